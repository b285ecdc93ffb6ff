using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>One element of a report section. Rendered to HTML (<see cref="Report.ToHtml"/>) and Markdown (<see cref="Report.ToMarkdown"/>).</summary>
public abstract record ReportBlock;

/// <summary>A paragraph of plain text (escaped when rendered).</summary>
/// <param name="Text">The text.</param>
public sealed record ReportParagraph(string Text) : ReportBlock;

/// <summary>A sub-heading inside a section.</summary>
/// <param name="Text">The heading.</param>
public sealed record ReportSubheading(string Text) : ReportBlock;

/// <summary>A bulleted list.</summary>
/// <param name="Items">The items, in order.</param>
public sealed record ReportList(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>Preformatted text, shown as it is (for example a model summary).</summary>
/// <param name="Text">The text; its line breaks are kept.</param>
public sealed record ReportPreformatted(string Text) : ReportBlock;

/// <summary>
/// A table: what is shown (<see cref="Columns"/>, <see cref="Rows"/>, formatted for reading) and the data behind it
/// (<see cref="Data"/>, written in full precision as <c>tables/Name.csv</c>).
/// </summary>
/// <param name="Name">A file-name-safe name, unique in the report (letters, digits, '-' and '_').</param>
/// <param name="Caption">What the table shows, with its units.</param>
/// <param name="Columns">The shown column headers.</param>
/// <param name="Rows">The shown rows, one string per column.</param>
/// <param name="Data">The table's data, for the CSV.</param>
public sealed record ReportTable(string Name, string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, DataFrame Data) : ReportBlock
{
    /// <summary>Checks the name and that every row has one cell per column.</summary>
    public ReportTable Validate()
    {
        Report.CheckName(Name);
        for (int i = 0; i < Rows.Count; i++)
            if (Rows[i].Count != Columns.Count)
                throw new ArgumentException($"Table '{Name}': row {i + 1} has {Rows[i].Count} cells for {Columns.Count} columns.");
        return this;
    }
}

/// <summary>A chart: embedded in the HTML as a PNG data URI and written as <c>charts/Name.png</c> (and <c>.svg</c> when given).</summary>
/// <param name="Caption">What the chart shows.</param>
/// <param name="Png">The chart as PNG.</param>
/// <param name="Svg">The same chart as SVG, written beside the PNG for print; <c>null</c> for none.</param>
public sealed record ReportFigure(string Caption, ChartImage Png, ChartImage? Svg = null) : ReportBlock;

/// <summary>A section of a report: an anchor id, a title and its blocks, in order. Sections are filled by the report's builder and by extensions.</summary>
public sealed class ReportSection
{
    private readonly List<ReportBlock> _blocks = [];

    internal ReportSection(string id, string title)
    {
        Id = id;
        Title = title;
    }

    /// <summary>The anchor id (letters, digits, '-' and '_').</summary>
    public string Id { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<ReportBlock> Blocks => _blocks;

    /// <summary>Appends a block and returns this section.</summary>
    public ReportSection Add(ReportBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block is ReportTable table) table.Validate();
        _blocks.Add(block);
        return this;
    }

    /// <summary>Appends a paragraph.</summary>
    public ReportSection Paragraph(string text) => Add(new ReportParagraph(text));

    /// <summary>Appends a sub-heading.</summary>
    public ReportSection Subheading(string text) => Add(new ReportSubheading(text));
}

/// <summary>
/// A report: a title and sections, rendered as one self-contained HTML page (<see cref="ToHtml"/>), as Markdown
/// (<see cref="ToMarkdown"/>), or written to a directory with its charts and every table as CSV (<see cref="WriteTo"/>).
/// </summary>
/// <remarks>
/// <see cref="EvaluationReport.Build"/> makes the standard report of an evaluation. Other parts of the project add to it
/// through <see cref="IReportExtension"/>, or by adding sections and blocks to a <see cref="Report"/> directly.
/// </remarks>
public sealed class Report
{
    private readonly List<ReportSection> _sections = [];

    /// <summary>Creates an empty report.</summary>
    /// <param name="title">The title; not blank.</param>
    /// <param name="subtitle">A line under the title (for example the data and the date); optional.</param>
    public Report(string title, string? subtitle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The line under the title; <c>null</c> for none.</summary>
    public string? Subtitle { get; }

    /// <summary>The sections, in order.</summary>
    public IReadOnlyList<ReportSection> Sections => _sections;

    /// <summary>Every table of every section, in order.</summary>
    public IEnumerable<ReportTable> Tables => _sections.SelectMany(s => s.Blocks.OfType<ReportTable>());

    /// <summary>Every figure of every section, in order.</summary>
    public IEnumerable<ReportFigure> Figures => _sections.SelectMany(s => s.Blocks.OfType<ReportFigure>());

    /// <summary>Adds a section at the end, or before the section <paramref name="before"/> when given and present.</summary>
    /// <exception cref="ArgumentException">When the id is not a plain name or is already used.</exception>
    public ReportSection AddSection(string id, string title, string? before = null)
    {
        CheckName(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (_sections.Any(s => s.Id == id)) throw new ArgumentException($"The report already has a section '{id}'.", nameof(id));
        var section = new ReportSection(id, title);
        int at = before is null ? -1 : _sections.FindIndex(s => s.Id == before);
        if (at < 0) _sections.Add(section); else _sections.Insert(at, section);
        return section;
    }

    /// <summary>The section with the id, or <c>null</c>.</summary>
    public ReportSection? FindSection(string id) => _sections.FirstOrDefault(s => s.Id == id);

    /// <summary>The report as one HTML page with its styles inline and its charts as data URIs: it needs no other file.</summary>
    public string ToHtml() => HtmlReportRenderer.Render(this);

    /// <summary>The report as Markdown; charts link to <c>charts/NAME.png</c>, as <see cref="WriteTo"/> writes them.</summary>
    public string ToMarkdown() => MarkdownReportRenderer.Render(this);

    /// <summary>
    /// Writes <c>index.html</c>, <c>report.md</c>, <c>charts/*.png</c> (and <c>.svg</c>) and <c>tables/*.csv</c> to
    /// <paramref name="directory"/>, creating it if needed, and returns the paths written.
    /// </summary>
    /// <param name="directory">The output directory.</param>
    /// <param name="overwrite">Whether files of a directory that is not empty may be replaced.</param>
    /// <exception cref="IOException">When the directory holds files and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="ArgumentException">When two tables or two figures share a name.</exception>
    public IReadOnlyList<string> WriteTo(string directory, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var tables = Tables.ToList();
        var figures = Figures.ToList();
        var duplicate = tables.Select(t => t.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key
                        ?? figures.Select(f => f.Png.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null) throw new ArgumentException($"Two tables or two charts of the report are named '{duplicate}'; names become file names, so they must differ.");
        if (!overwrite && IsNonEmptyDirectory(directory))
            throw new IOException($"'{directory}' already holds files; choose an empty or new directory, or allow overwriting (--force).");
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string Write(string relative, string text)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
            written.Add(path);
            return path;
        }
        Write("index.html", ToHtml());
        Write("report.md", ToMarkdown());
        foreach (var f in figures)
        {
            written.Add(f.Png.WriteTo(Path.Combine(directory, "charts")));
            if (f.Svg is not null) written.Add(f.Svg.WriteTo(Path.Combine(directory, "charts")));
        }
        foreach (var t in tables) Write(Path.Combine("tables", t.Name + ".csv"), CsvText.Of(t.Data));
        return written;
    }

    /// <summary>True when <paramref name="directory"/> exists and holds any file or directory.</summary>
    public static bool IsNonEmptyDirectory(string directory) => Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any();

    internal static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"'{name}' is not a plain name: use letters, digits, '-' and '_' (it becomes a file name and an anchor).", nameof(name));
    }
}

using System.Diagnostics;
using System.Globalization;
using nietras.SeparatedValues;

namespace Evaluation.Stats.Data;

/// <summary>
/// Delimited text (RFC 4180 CSV, TSV, semicolons...) read with Sep: SIMD field splitting into one reused buffer,
/// quoted fields with delimiters and line breaks, physical line numbers (header = line 1). Sep was chosen over
/// Sylvan.Data.Csv and CsvHelper because it hands out fields as spans of its own buffer (no string per field), keeps
/// the physical line of every row, and parses fast enough to share blocks of a file between cores (DelimitedBlocks).
/// </summary>
/// <remarks>
/// Sep itself is lenient about quotes, so the strict rules of methodology §9 are checked here: a quote left open
/// at the end of the input, or open across more than <see cref="MaxQuotedLines"/> lines, stops the read in every
/// mode, naming the line where it opened.
/// </remarks>
internal sealed class DelimitedSource : IRowSource
{
    /// <summary>A quoted field open across more lines than this is taken to be an unclosed quote.</summary>
    public const int MaxQuotedLines = 10_000;

    private readonly TextReader _text;
    private readonly SepReader _reader;

    public DelimitedSource(TextReader text, string name, ReadOptions options)
    {
        Name = name;
        _text = text;
        try
        {
            _reader = SepOptions(options).From(text);
            string[]? header = null;
            while (header is null && Next(out var row))
            {
                if (IsBlank(row)) continue;
                Check(row, Name);
                header = new string[row.ColCount];
                for (int i = 0; i < header.Length; i++) header[i] = row[i].Span.Trim().ToString();
            }
            if (header is null) throw new InputFormatException(name, 0, null, "the file is empty: a header row is needed");
            header[0] = header[0].TrimStart('\uFEFF');
            Header = header;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Sep's settings for every delimited read: the delimiter, no header (read here), quotes unescaped, any field count (checked here).</summary>
    internal static SepReaderOptions SepOptions(ReadOptions options) => Sep.Reader(o => o with
    {
        Sep = new Sep(options.Delimiter),
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    });

    /// <summary>Opens a path (<c>-</c> for standard input; <c>.gz</c> decompressed).</summary>
    public static DelimitedSource Open(string path, ReadOptions options)
    {
        var text = InputOpener.OpenText(path, options);
        return new DelimitedSource(text, InputOpener.NameOf(path), options);
    }

    public string Name { get; }

    public IReadOnlyList<string> Header { get; }

    public long ForEach(RowAction action, ReadOptions options)
    {
        long rows = 0;
        var clock = Stopwatch.StartNew();
        while (Next(out var row))
        {
            if (IsBlank(row)) continue;
            Check(row, Name);
            action(new Fields(row, LineOf(row), rows));
            if ((++rows & 0xFFFF) == 0) Report(rows, clock, options);
        }
        options.Progress?.Report(new ReadProgress(rows, clock.Elapsed, Finished: true));
        return rows;
    }

    private static void Report(long rows, Stopwatch clock, ReadOptions options)
    {
        options.CancellationToken.ThrowIfCancellationRequested();
        options.Progress?.Report(new ReadProgress(rows, clock.Elapsed));
    }

    private bool Next(out SepReader.Row row)
    {
        try
        {
            if (_reader.MoveNext()) { row = _reader.Current; return true; }
        }
        catch (InvalidDataException) { throw Corrupt(); }
        row = default;
        return false;
    }

    private InputFormatException Corrupt() => new(Name, 0, null, "the gzip data is corrupt or cut short");

    internal static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row.Span.IsWhiteSpace();

    /// <summary>
    /// The physical line a row starts on: the line after its end less the line breaks inside it. (Sep's own
    /// LineNumberFrom is wrong for the last row of each batch in parallel enumeration in 0.17.1; the end is right.)
    /// </summary>
    internal static long LineOf(SepReader.Row row) => row.LineNumberToExcl - 1 - DelimitedBlocks.Breaks(row.Span);

    /// <summary>
    /// Stops on a quote left open: at the end of the input (an odd number of quotes) or across too many lines.
    /// <paramref name="lineOffset"/> is the number of lines before the text the reader was given.
    /// </summary>
    internal static void Check(SepReader.Row row, string name, long lineOffset = 0)
    {
        var span = row.Span;
        if (span.IndexOf('"') < 0) return;
        int lines = DelimitedBlocks.Breaks(span) + 1;
        long line = lineOffset + row.LineNumberToExcl - lines;
        if (lines > MaxQuotedLines)
            throw new InputFormatException(name, line, null,
                $"a quoted field opened on this line is still open {lines:N0} lines later (more than {MaxQuotedLines:N0}): an unclosed quote? The file cannot be split into rows past it");
        if ((span.Count('"') & 1) == 1)
            throw new InputFormatException(name, line, null,
                "a quoted field opened on this line is never closed (an unclosed quote): the file cannot be split into rows past it");
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _text.Dispose();
    }
}

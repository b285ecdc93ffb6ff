using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads Treatment Outcomes Profile records (methodology §13): <c>client_id</c>, <c>review_date</c> (<c>yyyy-MM-dd</c>),
/// <c>review_type</c> (<c>start</c>, <c>review</c> or <c>exit</c>, any case), and every other column as a substance's
/// days of use in the last 28 days (a whole number, blank when not recorded). Parsing follows <see cref="Readers"/>:
/// a value that does not parse stops the read with file, line and column, unless bad rows are excluded; a value that
/// parses but is out of range (days outside 0 to 28) is left to the classifier's ledger as a data error.
/// </summary>
public static class TopReader
{
    /// <summary>The required TOP columns: <c>client_id, review_date, review_type</c>.</summary>
    public static readonly IReadOnlyList<string> TopColumns = ["client_id", "review_date", "review_type"];

    /// <summary>Reads TOP records from a CSV file.</summary>
    public static RecordSet<TopRecord> Read(string path, ReadOptions? options = null)
    {
        using var source = Sources.Open(path, options ?? ReadOptions.Default);
        return Read(source, options);
    }

    /// <summary>Reads TOP records from CSV text; <paramref name="sourceName"/> names it in errors.</summary>
    public static RecordSet<TopRecord> Read(TextReader csv, string sourceName, ReadOptions? options = null)
    {
        using var source = new DelimitedSource(csv, sourceName, options ?? ReadOptions.Default);
        return Read(source, options);
    }

    /// <summary>Reads TOP records from a <see cref="DataFrame"/>; row r is reported as line r + 1 of <paramref name="sourceName"/>.</summary>
    public static RecordSet<TopRecord> Read(DataFrame frame, ReadOptions? options = null, string sourceName = "DataFrame") =>
        Read(new DataFrameRowSource(frame, sourceName), options);

    private static RecordSet<TopRecord> Read(IRowSource source, ReadOptions? options)
    {
        options ??= ReadOptions.Default;
        var mapped = TopColumns.Select(c => options.Columns.TryGetValue(c, out var h) ? h : c).ToHashSet(StringComparer.Ordinal);
        var substances = source.Header.Where(h => !mapped.Contains(h)).ToArray();
        if (substances.Length == 0)
            throw new InputFormatException(source.Name, 1, null, "a TOP file needs at least one substance column (days of use in the last 28 days) besides client_id, review_date and review_type");
        var table = new TableReader(source, options, TopColumns, substances);
        return table.Read(row =>
        {
            var type = row.Required("review_type").ToLowerInvariant() switch
            {
                "start" => TopReviewType.Start,
                "review" => TopReviewType.Review,
                "exit" => TopReviewType.Exit,
                var other => throw new FieldException(table.HeaderOf("review_type"), $"'{other}' is not a review type: use start, review or exit"),
            };
            var days = new Dictionary<string, int?>(substances.Length, StringComparer.Ordinal);
            foreach (var s in substances) days[s] = row.OptionalInt(s);
            return new TopRecord(table.Intern(row.Required("client_id")), row.Date("review_date"), type)
            {
                DaysOfUse = days.AsReadOnly(), // a Dictionary keeps the columns' order
                SourceLine = row.Line,
            };
        });
    }
}

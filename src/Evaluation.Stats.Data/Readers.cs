using System.Data.Common;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads the methodology's record types from CSV files, text readers or Microsoft.Data.Analysis
/// <see cref="DataFrame"/>s. Column names are those of the methodology (for example <c>journey_start</c>);
/// <see cref="ReadOptions.Columns"/> maps other header names. Dates are <c>yyyy-MM-dd</c>; a blank field is missing.
/// Columns other than the named ones are kept as the records' characteristics.
/// </summary>
/// <remarks>
/// A value that does not parse, a ragged row or a missing column throws <see cref="InputFormatException"/>
/// naming the source, line and column, unless <see cref="ReadOptions.OnBadRows"/> is
/// <see cref="BadRowPolicy.Exclude"/>, in which case bad rows are returned in <see cref="RecordSet{T}.Rejected"/>.
/// </remarks>
public static class Readers
{
    /// <summary>The journey columns: <c>client_id, area, journey_start, journey_end, exit_reason, age</c>.</summary>
    public static readonly IReadOnlyList<string> JourneyColumns = ["client_id", "area", "journey_start", "journey_end", "exit_reason", "age"];

    /// <summary>The referral columns: <c>referral_id, client_id, area, cjit_area, prison, prison_leaving_date</c>.</summary>
    public static readonly IReadOnlyList<string> ReferralColumns = ["referral_id", "client_id", "area", "cjit_area", "prison", "prison_leaving_date"];

    /// <summary>The pick-up columns: <c>client_id, prison, care_plan_date</c>.</summary>
    public static readonly IReadOnlyList<string> PickupColumns = ["client_id", "prison", "care_plan_date"];

    /// <summary>Reads journeys from a CSV file.</summary>
    public static RecordSet<Journey> Journeys(string path, ReadOptions? options = null) => FromCsv(path, options, Journeys);

    /// <summary>Reads journeys from CSV text; <paramref name="sourceName"/> names it in errors.</summary>
    public static RecordSet<Journey> Journeys(TextReader csv, string sourceName, ReadOptions? options = null)
    {
        using var source = new DelimitedSource(csv, sourceName, options ?? ReadOptions.Default);
        return Journeys(source, options);
    }

    /// <summary>Reads journeys from a <see cref="DataFrame"/>; row r is reported as line r + 1 of <paramref name="sourceName"/>.</summary>
    public static RecordSet<Journey> Journeys(DataFrame frame, ReadOptions? options = null, string sourceName = "DataFrame") =>
        Journeys(new DataFrameRowSource(frame, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>
    /// Reads journeys from a file (CSV, TSV, <c>.gz</c>, <c>-</c>...) straight into columns, with no object per row: the
    /// form for large inputs, read by the same rules and messages as <see cref="Journeys(string, ReadOptions?)"/>.
    /// </summary>
    /// <remarks>Delimited text is cut into blocks of whole records that are parsed on every core.</remarks>
    public static JourneySet JourneySet(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        using IRowSource source = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? Sources.Open(path, options)
            : new DelimitedBlocks(InputOpener.OpenText(path, options), InputOpener.NameOf(path), options, options.BlockChars);
        return JourneySetReader.Read(source, options);
    }

    /// <summary>Reads journeys from CSV text straight into columns, on every core; <paramref name="sourceName"/> names it in errors.</summary>
    public static JourneySet JourneySet(TextReader csv, string sourceName, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        using var source = new DelimitedBlocks(csv, sourceName, options, options.BlockChars);
        return JourneySetReader.Read(source, options);
    }

    /// <summary>Reads referrals from a CSV file.</summary>
    public static RecordSet<Referral> Referrals(string path, ReadOptions? options = null) => FromCsv(path, options, Referrals);

    /// <summary>Reads referrals from CSV text.</summary>
    public static RecordSet<Referral> Referrals(TextReader csv, string sourceName, ReadOptions? options = null)
    {
        using var source = new DelimitedSource(csv, sourceName, options ?? ReadOptions.Default);
        return Referrals(source, options);
    }

    /// <summary>Reads referrals from a <see cref="DataFrame"/>.</summary>
    public static RecordSet<Referral> Referrals(DataFrame frame, ReadOptions? options = null, string sourceName = "DataFrame") =>
        Referrals(new DataFrameRowSource(frame, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>Reads pick-ups from a CSV file.</summary>
    public static RecordSet<Pickup> Pickups(string path, ReadOptions? options = null) => FromCsv(path, options, Pickups);

    /// <summary>Reads pick-ups from CSV text.</summary>
    public static RecordSet<Pickup> Pickups(TextReader csv, string sourceName, ReadOptions? options = null)
    {
        using var source = new DelimitedSource(csv, sourceName, options ?? ReadOptions.Default);
        return Pickups(source, options);
    }

    /// <summary>Reads pick-ups from a <see cref="DataFrame"/>.</summary>
    public static RecordSet<Pickup> Pickups(DataFrame frame, ReadOptions? options = null, string sourceName = "DataFrame") =>
        Pickups(new DataFrameRowSource(frame, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>Reads quarterly counts from a CSV file with <c>area</c>, <c>quarter_start</c> and the two named count columns.</summary>
    public static RecordSet<QuarterlyCount> QuarterlyCounts(string path, string countColumn, string successColumn, ReadOptions? options = null) =>
        FromCsv(path, options, (s, o) => QuarterlyCounts(s, countColumn, successColumn, o));

    /// <summary>Reads quarterly counts from CSV text.</summary>
    public static RecordSet<QuarterlyCount> QuarterlyCounts(TextReader csv, string sourceName, string countColumn, string successColumn, ReadOptions? options = null)
    {
        using var source = new DelimitedSource(csv, sourceName, options ?? ReadOptions.Default);
        return QuarterlyCounts(source, countColumn, successColumn, options);
    }

    /// <summary>Reads quarterly counts from a <see cref="DataFrame"/>.</summary>
    public static RecordSet<QuarterlyCount> QuarterlyCounts(DataFrame frame, string countColumn, string successColumn, ReadOptions? options = null, string sourceName = "DataFrame") =>
        QuarterlyCounts(new DataFrameRowSource(frame, sourceName, (options ?? ReadOptions.Default).DateFormat), countColumn, successColumn, options);

    /// <summary>
    /// Reads published cell counts (<c>pair, group, period, n, events</c>; group is <c>pilot</c> or <c>comparison</c>,
    /// period is <c>pre</c> or <c>post</c>) into one <see cref="PairCells"/> per pair, in order of first appearance.
    /// </summary>
    /// <exception cref="InputFormatException">When a value does not parse, a cell repeats or a pair lacks a cell.</exception>
    public static IReadOnlyList<(string Pair, PairCells Cells)> Cells(string path) => Cells(path, null);

    /// <summary>Reads published cell counts with the given input options (delimiter, encoding, <c>-</c>, <c>.gz</c>...).</summary>
    public static IReadOnlyList<(string Pair, PairCells Cells)> Cells(string path, ReadOptions? options)
    {
        using var source = Sources.Open(path, options ?? ReadOptions.Default);
        return Cells(source, options);
    }

    /// <summary>Reads published cell counts from CSV text.</summary>
    public static IReadOnlyList<(string Pair, PairCells Cells)> Cells(TextReader csv, string sourceName)
    {
        using var source = new DelimitedSource(csv, sourceName, ReadOptions.Default);
        return Cells(source, null);
    }

    /// <summary>Reads journeys from any ADO.NET reader (a query's result, for example from DuckDB); row r is line r + 1.</summary>
    public static RecordSet<Journey> Journeys(DbDataReader reader, ReadOptions? options = null, string sourceName = "query") =>
        Journeys(new DataReaderRowSource(reader, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>Reads referrals from any ADO.NET reader.</summary>
    public static RecordSet<Referral> Referrals(DbDataReader reader, ReadOptions? options = null, string sourceName = "query") =>
        Referrals(new DataReaderRowSource(reader, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>Reads pick-ups from any ADO.NET reader.</summary>
    public static RecordSet<Pickup> Pickups(DbDataReader reader, ReadOptions? options = null, string sourceName = "query") =>
        Pickups(new DataReaderRowSource(reader, sourceName, (options ?? ReadOptions.Default).DateFormat), options);

    /// <summary>Reads quarterly counts from any ADO.NET reader.</summary>
    public static RecordSet<QuarterlyCount> QuarterlyCounts(DbDataReader reader, string countColumn, string successColumn, ReadOptions? options = null, string sourceName = "query") =>
        QuarterlyCounts(new DataReaderRowSource(reader, sourceName, (options ?? ReadOptions.Default).DateFormat), countColumn, successColumn, options);

    /// <summary>Opens <paramref name="path"/> through the one ingestion layer (<c>-</c>, <c>.gz</c>, <c>.parquet</c>) and reads it.</summary>
    private static RecordSet<T> FromCsv<T>(string path, ReadOptions? options, Func<IRowSource, ReadOptions?, RecordSet<T>> read)
    {
        using var source = Sources.Open(path, options ?? ReadOptions.Default);
        return read(source, options);
    }

    /// <summary>Optional journey columns, read when present: <c>referral_date, first_intervention_date</c> (methodology §13 waiting times).</summary>
    public static readonly IReadOnlyList<string> OptionalJourneyColumns = ["referral_date", "first_intervention_date"];

    private static RecordSet<Journey> Journeys(IRowSource source, ReadOptions? options)
    {
        var table = new TableReader(source, options ?? ReadOptions.Default, JourneyColumns, OptionalJourneyColumns);
        bool waits = table.Has("referral_date"), firsts = table.Has("first_intervention_date");
        return table.Read(row => new Journey(
            row.RequiredUnshared("client_id"), row.Required("area"),
            row.Date("journey_start"), row.OptionalDate("journey_end"), row.OptionalInt("exit_reason"), row.OptionalInt("age"))
        {
            Characteristics = row.Characteristics(),
            SourceLine = row.Line,
            ReferralDate = waits ? row.OptionalDate("referral_date") : null,
            FirstInterventionDate = firsts ? row.OptionalDate("first_intervention_date") : null,
        });
    }

    private static RecordSet<Referral> Referrals(IRowSource source, ReadOptions? options)
    {
        var table = new TableReader(source, options ?? ReadOptions.Default, ReferralColumns);
        return table.Read(row => new Referral(
            row.RequiredUnshared("referral_id"), row.Required("client_id"), row.Required("area"),
            row.Required("cjit_area"), row.Required("prison"), row.Date("prison_leaving_date"))
        {
            Characteristics = row.Characteristics(),
            SourceLine = row.Line,
        });
    }

    private static RecordSet<Pickup> Pickups(IRowSource source, ReadOptions? options)
    {
        var table = new TableReader(source, options ?? ReadOptions.Default, PickupColumns);
        return table.Read(row => new Pickup(row.Required("client_id"), row.Required("prison"), row.Date("care_plan_date"))
        {
            SourceLine = row.Line,
        });
    }

    private static RecordSet<QuarterlyCount> QuarterlyCounts(IRowSource source, string countColumn, string successColumn, ReadOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(countColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(successColumn);
        var table = new TableReader(source, options ?? ReadOptions.Default, ["area", "quarter_start", countColumn, successColumn]);
        return table.Read(row => new QuarterlyCount(row.Required("area"), row.Date("quarter_start"), row.Long(countColumn), row.Long(successColumn))
        {
            SourceLine = row.Line,
        });
    }

    private static IReadOnlyList<(string Pair, PairCells Cells)> Cells(IRowSource source, ReadOptions? options)
    {
        var table = new TableReader(source, (options ?? ReadOptions.Default) with { OnBadRows = BadRowPolicy.Stop }, ["pair", "group", "period", "n", "events"]);
        var rows = table.Read(row =>
        {
            var group = row.Required("group").ToLowerInvariant();
            var period = row.Required("period").ToLowerInvariant();
            if (group is not ("pilot" or "comparison")) throw new FieldException("group", $"{Echo.Quote(group)} is neither pilot nor comparison");
            if (period is not ("pre" or "post")) throw new FieldException("period", $"{Echo.Quote(period)} is neither pre nor post");
            long n = row.Long("n"), events = row.Long("events");
            if (n < 0 || events < 0 || events > n) throw new FieldException("events", $"events = {events} with n = {n}: need 0 <= events <= n");
            return (Line: row.Line, Pair: row.Required("pair"), Key: group + period, Cell: new Cell(n, events));
        }).Records;
        var result = new List<(string, PairCells)>();
        foreach (var g in rows.GroupBy(r => r.Pair, StringComparer.Ordinal))
        {
            var cells = new Dictionary<string, Cell>();
            foreach (var r in g)
                if (!cells.TryAdd(r.Key, r.Cell))
                    throw new InputFormatException(source.Name, r.Line, "group", $"pair {Echo.Quote(g.Key)} has a second {r.Key} cell");
            string[] keys = ["pilotpre", "pilotpost", "comparisonpre", "comparisonpost"];
            var missing = keys.FirstOrDefault(k => !cells.ContainsKey(k));
            if (missing is not null) throw new InputFormatException(source.Name, 0, null, $"pair {Echo.Quote(g.Key)} has no {missing} cell; each pair needs all four");
            result.Add((g.Key, new PairCells(cells["pilotpre"], cells["pilotpost"], cells["comparisonpre"], cells["comparisonpost"])));
        }
        if (result.Count == 0) throw new InputFormatException(source.Name, 0, null, "the file has a header but no cells");
        return result;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Tool;

/// <summary>
/// <c>evalstats report</c>: runs the journeys (and, when given, the referrals) and writes the report to a directory:
/// <c>index.html</c> (self-contained), <c>report.md</c>, <c>charts/</c> and <c>tables/*.csv</c> (docs/cli.md).
/// </summary>
internal static class ReportCommand
{
    /// <summary>
    /// Extensions added to every report the command writes (the programme block, trends, economics and indicators
    /// register here when they land, in one line each).
    /// </summary>
    internal static readonly List<Func<ReportCommandInput, IReportExtension?>> Extensions = [.. ReportExtensions.All];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var journeys = new Option<string>("--journeys") { Description = "The journeys CSV.", Required = true };
        var design = new Option<string>("--design") { Description = "The design file (JSON).", Required = true };
        var referrals = new Option<string?>("--referrals") { Description = "The referrals CSV (with --pickups): adds the referral outcome." };
        var pickups = new Option<string?>("--pickups") { Description = "The pick-ups CSV (with --referrals)." };
        var costs = new Option<string?>("--costs") { Description = "Costs by pair and year (pair, year, cost in pounds): shown as given in the data section, and valued against the report's DiDs in an economics section." };
        var outDir = new Option<string>("--out") { Description = "The directory to write index.html, report.md, charts/ and tables/ to.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace files in an --out directory that is not empty." };
        var title = new Option<string>("--title") { Description = "The report's title.", DefaultValueFactory = _ => "Evaluation report" };
        var json = new Option<bool>("--json") { Description = "Print the files written as one JSON object." };
        var columns = new Option<string?>("--columns") { Description = "Map column names to header names: name=header,name=header." };
        var onBadRows = new Option<string>("--on-bad-rows") { Description = "What to do with rows that do not parse: stop (default) or exclude them into the ledger.", DefaultValueFactory = _ => "stop" };
        onBadRows.AcceptOnlyFromAmong("stop", "exclude");
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors." };

        var command = new Command("report", "Write the evaluation report: a self-contained index.html, report.md, the charts and every table as CSV.")
            { journeys, design, referrals, pickups, costs, outDir, force, title, json, columns, onBadRows, verbose };
        command.SetAction(p =>
        {
            var input = new ReportCommandInput(p.GetValue(journeys)!, p.GetValue(design)!, p.GetValue(referrals), p.GetValue(pickups), p.GetValue(costs),
                p.GetValue(outDir)!, p.GetValue(force), p.GetValue(title)!, p.GetValue(onBadRows) == "exclude", p.GetValue(columns));
            var written = Run(input, stderr);
            if (p.GetValue(json))
                stdout.WriteLine(new JsonObject
                {
                    ["out"] = input.Out,
                    ["files"] = new JsonArray(written.Select(w => (JsonNode?)JsonValue.Create(Path.GetRelativePath(input.Out, w).Replace('\\', '/'))).ToArray()),
                }.ToJsonString(JsonOutput.Options));
            else
                stdout.WriteLine($"wrote the report to {Path.Combine(input.Out, "index.html")} ({written.Count} files)");
            return 0;
        });
        return command;
    }

    /// <summary>Reads, evaluates, builds and writes; returns the paths written.</summary>
    internal static IReadOnlyList<string> Run(ReportCommandInput a, TextWriter stderr)
    {
        if ((a.Referrals is null) != (a.Pickups is null))
            throw new UsageException("--referrals and --pickups go together: give both or neither.");
        // Checked before any work, so a mistaken --out costs nothing and changes nothing.
        if (!a.Force && Reporting.Report.IsNonEmptyDirectory(a.Out))
            throw new UsageException($"--out '{a.Out}' already holds files; give an empty or new directory, or --force to replace them.");

        var design = DesignFile.Load(a.Design);
        ReadOptions Read(IReadOnlyList<string> numeric) => new()
        {
            OnBadRows = a.ExcludeBadRows ? BadRowPolicy.Exclude : BadRowPolicy.Stop,
            Columns = ReadOptions.ParseColumnMap(a.Columns),
            NumericColumns = numeric,
        };
        stderr.WriteLine($"evalstats: reading {a.Journeys}");
        var journeyRows = Readers.Journeys(a.Journeys, Read(design.Covariates.Numeric.Where(n => n != "age").ToArray()));
        var sources = new List<ReportSource> { Source("journeys", a.Journeys, journeyRows.InputRows, journeyRows.Rejected.Count) };
        var journeyResult = Evaluator.Journeys(design, journeyRows);

        EvaluationResult? referralResult = null;
        IReadOnlyList<ExclusionEntry> extra = [];
        if (a.Referrals is not null)
        {
            stderr.WriteLine($"evalstats: reading {a.Referrals} and {a.Pickups}");
            var referralRows = Readers.Referrals(a.Referrals, Read(design.ReferralCovariates.Numeric));
            var pickupRows = Readers.Pickups(a.Pickups!, Read([]));
            sources.Add(Source("referrals", a.Referrals, referralRows.InputRows, referralRows.Rejected.Count));
            sources.Add(Source("pickups", a.Pickups!, pickupRows.InputRows, pickupRows.Rejected.Count));
            referralResult = Evaluator.Referrals(design, referralRows, pickupRows.Records);
            if (pickupRows.Rejected.Count > 0)
                extra = [new ExclusionEntry("pickups", ExclusionReasons.Unparseable, pickupRows.Rejected.Count, pickupRows.Rejected.Select(r => r.Line).ToArray())];
        }

        var dataTables = new List<ReportTable>();
        if (a.Costs is not null)
        {
            var (table, rows) = CostsTable(a.Costs);
            sources.Add(Source("costs", a.Costs, rows, 0));
            dataTables.Add(table);
        }

        var input = new EvaluationReportInput(design)
        {
            Journeys = journeyResult,
            Referrals = referralResult,
            ExtraExclusions = extra,
            Sources = sources,
            DataTables = dataTables,
            Title = a.Title,
            Extensions = Extensions.Select(f => f(a with { Loaded = new ReportLoaded(design, journeyRows) })).OfType<IReportExtension>().ToArray(),
        };
        stderr.WriteLine("evalstats: building the report");
        var written = EvaluationReport.Build(input).WriteTo(a.Out, overwrite: a.Force);
        foreach (var w in written) stderr.WriteLine($"wrote {w}");
        return written;
    }

    private static ReportSource Source(string role, string path, long rows, long unparseable)
    {
        using var stream = File.OpenRead(path);
        return new ReportSource(role, path, rows, unparseable, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>
    /// The costs as given (pair, year, cost), for the data section; the economic evaluation itself belongs to the
    /// economics section. A missing column or a cost that is not a number is bad input naming the file and line.
    /// </summary>
    private static (ReportTable Table, long Rows) CostsTable(string path)
    {
        DataFrame frame;
        try { frame = DataFrame.LoadCsv(path, dataTypes: null, cultureInfo: CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InputFormatException(path, 0, null, $"is not a CSV of pair, year and cost: {e.Message}");
        }
        foreach (var name in new[] { "pair", "year", "cost" })
            if (!frame.Columns.Select(c => c.Name).Contains(name))
                throw new InputFormatException(path, 1, name, $"the costs need the columns pair, year and cost; '{name}' is missing");
        var rows = new List<(string Pair, string Year, double Cost)>();
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            var text = Convert.ToString(frame.Columns["cost"][r], CultureInfo.InvariantCulture);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cost))
                throw new InputFormatException(path, r + 2, "cost", $"'{text}' is not a number of pounds");
            rows.Add((Convert.ToString(frame.Columns["pair"][r], CultureInfo.InvariantCulture) ?? "",
                      Convert.ToString(frame.Columns["year"][r], CultureInfo.InvariantCulture) ?? "", cost));
        }
        var shown = rows.Select(x => (IReadOnlyList<string>)[x.Pair, x.Year, x.Cost.ToString("N0", CultureInfo.InvariantCulture)])
            .Concat(rows.GroupBy(x => x.Pair).Select(g => (IReadOnlyList<string>)[g.Key, "total", g.Sum(x => x.Cost).ToString("N0", CultureInfo.InvariantCulture)])).ToArray();
        var data = FrameBuilderForCosts(rows);
        return (new ReportTable("costs", "Costs as given, in pounds (undiscounted), with each pair's total", ["pair", "year", "cost (£)"], shown, data), rows.Count);
    }

    private static DataFrame FrameBuilderForCosts(List<(string Pair, string Year, double Cost)> rows)
    {
        var pair = new StringDataFrameColumn("pair", rows.Select(r => r.Pair));
        var year = new StringDataFrameColumn("year", rows.Select(r => r.Year));
        var cost = new DoubleDataFrameColumn("cost", rows.Select(r => r.Cost));
        return new DataFrame(pair, year, cost);
    }
}

/// <summary>The arguments of <c>evalstats report</c>, also handed to report extensions.</summary>
internal sealed record ReportCommandInput(string Journeys, string Design, string? Referrals, string? Pickups, string? Costs,
    string Out, bool Force, string Title, bool ExcludeBadRows, string? Columns)
{
    /// <summary>The design and journeys once read (set by <see cref="ReportCommand.Run"/> before the extensions are made).</summary>
    public ReportLoaded? Loaded { get; init; }
}

using System.Globalization;
using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats indicators --journeys FILE --design FILE [--top FILE] [--json]</c>: the national indicators of
/// methodology §13 for every pair, with Wilson intervals, funnel positions and the ledger of every analysis.
/// </summary>
internal static class IndicatorsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var journeys = new Option<string>("--journeys") { Description = "The journeys CSV (optional columns referral_date and first_intervention_date give waiting times).", Required = true };
        var design = new Option<string>("--design") { Description = "The design file (JSON).", Required = true };
        var top = new Option<string?>("--top") { Description = "A TOP CSV: client_id, review_date, review_type (start|review|exit) and one column of days of use per substance." };
        var benchmark = new Option<double?>("--benchmark") { Description = "The funnel benchmark proportion (default: each indicator's proportion over every pair, per window)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout (and nothing else there)." };
        var columns = new Option<string?>("--columns") { Description = "Map column names to header names: name=header,name=header." };
        var onBadRows = new Option<string>("--on-bad-rows") { Description = "What to do with rows that do not parse: stop (default) or exclude them into the ledger.", DefaultValueFactory = _ => "stop" };
        onBadRows.AcceptOnlyFromAmong("stop", "exclude");
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors." };
        var command = new Command("indicators", "National indicators: completion without re-presentation (6 and 12 months), time in treatment, waiting times and TOP abstinence, for every pair.")
            { journeys, design, top, benchmark, json, columns, onBadRows, verbose };
        var input = new InputOptions();
        input.AddTo(command);
        command.SetAction(p =>
        {
            var d = DesignFile.Load(p.GetValue(design)!);
            ReadOptions Read(bool covariates, string what) => input.Apply(p, new()
            {
                OnBadRows = InputOptions.BadRows(p.GetValue(onBadRows)),
                Columns = ReadOptions.ParseColumnMap(p.GetValue(columns)),
                NumericColumns = covariates ? d.Covariates.Numeric.Where(n => n != "age").ToArray() : [],
            }, stderr, what);
            var data = Readers.Journeys(p.GetValue(journeys)!, Read(true, p.GetValue(journeys)!));
            var topData = p.GetValue(top) is { } path ? TopReader.Read(path, Read(false, path)) : null;
            if (p.GetValue(json)) stderr.WriteLine($"evalstats: computing indicators for {data.Records.Count:N0} journeys");
            var result = IndicatorEvaluator.Evaluate(d, data, topData, IndicatorOptions.Default with { Benchmark = p.GetValue(benchmark) });
            if (p.GetValue(json)) stdout.WriteLine(Json(result).ToJsonString(JsonOutput.Options));
            else stdout.Write(Text(result));
            return 0;
        });
        return command;
    }

    /// <summary>Runs the indicators on the demo's indicator data set; with <paramref name="outDir"/>, writes its data there.</summary>
    public static (JsonObject Json, string Text, IReadOnlyList<string> Written) Demo(string? outDir)
    {
        var data = IndicatorData.Generate();
        var result = IndicatorEvaluator.Evaluate(data.Design, new RecordSet<Journey>(data.Journeys), new RecordSet<TopRecord>(data.Top));
        var written = outDir is null ? [] : data.WriteTo(outDir);
        var text = $"Indicator data set (seed {IndicatorData.DemoSeed}, its own random stream; the pilots' true effects as above on re-presentation, waits and TOP abstinence)\n" + Text(result);
        return (Json(result), text, written);
    }

    private static JsonNode? Num(double? x) => JsonOutput.Num(x);

    private static JsonObject Proportion(long events, long n, double level)
    {
        var w = Proportions.Wilson(events, n, level);
        return new JsonObject { ["n"] = n, ["events"] = events, ["proportion"] = Num(w.Proportion), ["wilsonLower"] = Num(w.WilsonLower), ["wilsonUpper"] = Num(w.WilsonUpper) };
    }

    private static JsonObject Cells(PairCells cells, double level)
    {
        var o = new JsonObject();
        foreach (var (name, c) in cells.Named()) o[name] = Proportion(c.Events, c.N, level);
        return o;
    }

    private static JsonNode? Did(DidResult? d) => d is null ? null : JsonOutput.Did(d.RiskDifference);

    private static JsonObject Days(DaysSummary d) => new()
    {
        ["n"] = d.N, ["mean"] = Num(d.Mean), ["sd"] = Num(d.StdDev), ["median"] = Num(d.Median), ["q1"] = Num(d.Q1), ["q3"] = Num(d.Q3),
    };

    /// <summary>The JSON of cli.md's <c>indicators</c>.</summary>
    public static JsonObject Json(IndicatorResult result)
    {
        double level = result.ConfidenceLevel;
        var pairs = new JsonArray();
        for (int k = 0; k < result.TimeInTreatment.Count; k++)
        {
            var pr = result.Representation.Pairs[k];
            var representation = new JsonObject();
            foreach (var (name, o) in pr.Outcomes)
                representation[name[(IndicatorNames.CompletionWithoutRepresentation.Length + 1)..]] = new JsonObject
                {
                    ["cells"] = Cells(o.Cells, level), ["did"] = Did(o.Did),
                    ["adjusted"] = o.Adjusted is null ? null : JsonOutput.Adjusted(o.Adjusted), ["warnings"] = JsonOutput.Warnings(o.Did.Warnings),
                };
            var t = result.TimeInTreatment[k];
            var titCells = new JsonObject();
            foreach (var (name, c) in t.Cells)
            {
                var cell = Days(c.Days);
                var bands = new JsonObject();
                for (int b = 0; b < TreatmentBands.Labels.Count; b++) bands[TreatmentBands.Labels[b]] = Num(c.Bands[b]);
                cell["bands"] = bands;
                cell["overTwoYears"] = Proportion(c.OverTwoYears.Events, c.OverTwoYears.N, level);
                titCells[name] = cell;
            }
            var w = result.WaitingTimes[k];
            var waitCells = new JsonObject();
            foreach (var (name, c) in w.Cells)
            {
                var cell = Days(c.Waits);
                for (int q = 0; q < w.Thresholds.Count; q++) cell[IndicatorNames.Threshold(w.Thresholds[q])] = Proportion(c.Over[q].Events, c.Over[q].N, level);
                waitCells[name] = cell;
            }
            var waitDid = new JsonObject();
            for (int q = 0; q < w.Thresholds.Count; q++) waitDid[IndicatorNames.Threshold(w.Thresholds[q])] = Did(w.OverDid[q]);
            var pair = new JsonObject
            {
                ["name"] = pr.Name,
                [IndicatorNames.CompletionWithoutRepresentation] = representation,
                [IndicatorNames.TimeInTreatment] = new JsonObject
                {
                    ["cells"] = titCells, ["meanDid"] = t.MeanDid is null ? null : JsonOutput.Did(t.MeanDid), ["overTwoYearsDid"] = Did(t.OverTwoYearsDid),
                },
                [IndicatorNames.WaitingTimes] = new JsonObject { ["cells"] = waitCells, ["did"] = waitDid },
            };
            if (result.Top.Count > 0)
            {
                var top = new JsonObject();
                foreach (var (name, results) in result.Top)
                    top[name[(IndicatorNames.TopAbstinence.Length + 1)..]] = new JsonObject
                    {
                        ["cells"] = Cells(results[k].Cells, level), ["did"] = Did(results[k].Did), ["warnings"] = JsonOutput.Warnings(results[k].Warnings),
                    };
                pair[IndicatorNames.TopAbstinence] = top;
            }
            pairs.Add((JsonNode)pair);
        }
        var funnel = new JsonArray();
        foreach (var f in result.Funnel())
            funnel.Add((JsonNode)new JsonObject
            {
                ["indicator"] = f.Indicator, ["pair"] = f.Pair, ["cell"] = f.Cell, ["n"] = f.Value.N, ["proportion"] = Num(f.Value.Proportion),
                ["benchmark"] = Num(f.Limits.Benchmark), ["lower95"] = Num(f.Limits.Lower95), ["upper95"] = Num(f.Limits.Upper95),
                ["lower998"] = Num(f.Limits.Lower998), ["upper998"] = Num(f.Limits.Upper998), ["position"] = f.Position,
            });
        return new JsonObject { ["pairs"] = pairs, ["funnel"] = funnel, ["exclusions"] = JsonOutput.Exclusions(result.Exclusions.Entries) };
    }

    /// <summary>The text output: report-style tables per indicator, funnel outliers, then the ledger.</summary>
    public static string Text(IndicatorResult result)
    {
        var sb = new StringBuilder();
        foreach (var outcome in result.Representation.Pairs[0].Outcomes.Keys)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{outcome}: completions without re-presentation as a share of the caseload; change and DiD in percentage points")
              .AppendLine(DidTable.Format(result.Representation.Pairs.Select(p => p.Outcomes[outcome].Did)));
            sb.AppendLine("adjusted (logistic, pilot:post with covariates; ATT on the probability scale):");
            foreach (var p in result.Representation.Pairs.Where(p => p.Outcomes[outcome].Adjusted is not null))
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {p.Name}: {p.Outcomes[outcome].Adjusted}");
            sb.AppendLine();
        }
        sb.AppendLine("timeInTreatment: days from start to min(end, window end) of each client's latest journey; bands in years of 365.25 days");
        foreach (var t in result.TimeInTreatment)
        {
            foreach (var (name, c) in t.Cells)
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {t.Pair,-10} {name,-15} {c.Days}; bands {string.Join(" / ", c.Bands.Select(b => string.Create(CultureInfo.InvariantCulture, $"{100 * b:0.0}%")))}; 2+ years {c.OverTwoYears}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {t.Pair,-10} DiD of mean days {(t.MeanDid?.ToString() ?? "undefined")}; DiD of 2+ years {(t.OverTwoYearsDid?.RiskDifference.ToString() ?? "undefined")}");
        }
        sb.AppendLine();
        sb.AppendLine("waitingTimes: days from referral to first intervention, journeys starting in the window");
        foreach (var w in result.WaitingTimes)
        {
            foreach (var (name, c) in w.Cells)
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {w.Pair,-10} {name,-15} {c.Waits}; {string.Join("; ", c.Over.Select((o, q) => string.Create(CultureInfo.InvariantCulture, $"over {w.Thresholds[q]} days {o}")))}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {w.Pair,-10} {string.Join("; ", w.OverDid.Select((d, q) => string.Create(CultureInfo.InvariantCulture, $"DiD over {w.Thresholds[q]} days {(d?.RiskDifference.ToString() ?? "undefined")}")))}");
        }
        sb.AppendLine();
        foreach (var (name, results) in result.Top)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: abstinent at a review 5 to 26 weeks after a start TOP, among users at start");
            var dids = results.Where(r => r.Did is not null).Select(r => r.Did!).ToList();
            if (dids.Count > 0) sb.AppendLine(DidTable.Format(dids));
            foreach (var r in results.Where(r => r.Did is null)) sb.AppendLine(CultureInfo.InvariantCulture, $"  {r.Pair}: {string.Join("; ", r.Warnings)}");
            sb.AppendLine();
        }
        var outliers = result.Funnel().Where(f => f.Position != "within").ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Funnel plot: {outliers.Count} cell(s) outside the 95% limits around the benchmark{(result.Benchmark is double b ? string.Create(CultureInfo.InvariantCulture, $" {b:0.###}") : " (each indicator's proportion over every pair, per window)")}");
        foreach (var f in outliers) sb.AppendLine(CultureInfo.InvariantCulture, $"  {f.Indicator,-45} {f.Pair,-10} {f.Cell,-15} {f.Value} {f.Position}");
        sb.AppendLine();
        sb.AppendLine("Exclusion ledger (rows set aside per analysis; cells + ledger = input rows)");
        foreach (var e in result.Exclusions.Entries)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {e.Analysis,-45} {e.Reason,-50} {e.Rows,10:N0}{(e.Lines.Count > 0 ? "  lines " + string.Join(",", e.Lines.Take(10)) + (e.Lines.Count > 10 ? ",…" : "") : "")}");
        sb.AppendLine();
        return sb.ToString();
    }
}

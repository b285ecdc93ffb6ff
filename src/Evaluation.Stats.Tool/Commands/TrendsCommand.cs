using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Trends;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats trends --journeys FILE --design FILE [--interval quarter|month|fiscalYear] [--json] [--plots DIR]</c>:
/// the series by pair, arm and interval, the pre-trend test, the event study and the placebo DiD (methodology §11).
/// </summary>
internal static class TrendsCommand
{
    /// <summary>Builds the command; the shared options are those of the other commands.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, Option<string> design, Option<bool> json, Option<string?> columns,
        Option<string> onBadRows, Option<bool> verbose)
    {
        var journeysFile = new Option<string>("--journeys") { Description = "The journeys CSV.", Required = true };
        var interval = new Option<string>("--interval") { Description = "The interval: quarter (default), month or fiscalYear.", DefaultValueFactory = _ => "quarter" };
        interval.AcceptOnlyFromAmong("quarter", "month", "fiscalYear");
        var plots = new Option<string?>("--plots") { Description = "Also write the charts (PNG and SVG) to this directory." };
        var command = new Command("trends", "Series by pair, arm and interval; pre-trend test, event study and placebo DiD.")
            { journeysFile, design, interval, json, plots, columns, onBadRows, verbose };
        var input = new InputOptions();
        input.AddTo(command);
        command.SetAction(p =>
        {
            var d = DesignFile.Load(p.GetValue(design)!);
            var read = new ReadOptions
            {
                OnBadRows = InputOptions.BadRows(p.GetValue(onBadRows)),
                Columns = ReadOptions.ParseColumnMap(p.GetValue(columns)),
            };
            var data = Readers.Journeys(p.GetValue(journeysFile)!, input.Apply(p, read, stderr, p.GetValue(journeysFile)!));
            var analysis = Trends.Trends.Analyze(d, data, TrendIntervals.Parse(p.GetValue(interval)!));
            if (p.GetValue(plots) is { } dir)
            {
                if (File.Exists(dir)) throw new UsageException($"--plots {dir}: a file of that name exists; give a directory.");
                foreach (var format in new[] { ChartFormat.Png, ChartFormat.Svg })
                    foreach (var image in TrendCharts.All(analysis, d.Study, format)) image.WriteTo(dir);
                if (!p.GetValue(json)) stderr.WriteLine($"evalstats: charts written to {dir}");
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(analysis).ToJsonString(JsonOutput.Options));
            else stdout.Write(Text(analysis, NewJourneyTable.Compute(d, data.Records)));
            return 0;
        });
        return command;
    }

    /// <summary>The JSON of cli.md's <c>trends</c> section, with the ledger and warnings.</summary>
    internal static JsonObject Json(TrendAnalysis analysis)
    {
        static JsonNode? CellJson(Cell? c) => c is { } x ? new JsonObject { ["n"] = x.N, ["events"] = x.Events } : null;
        var pairs = new JsonArray();
        foreach (var pair in analysis.Pairs)
        {
            var series = new JsonArray();
            foreach (var x in pair.Series)
            {
                var o = new JsonObject
                {
                    ["interval"] = x.Interval.Name, ["end"] = x.Interval.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["phase"] = x.Interval.Phase.ToString().ToLowerInvariant(), ["arm"] = x.Arm == Group.Pilot ? "pilot" : "comparison",
                    ["newJourneys"] = x.NewJourneys, ["inTreatment"] = x.InTreatment,
                };
                foreach (var name in TrendSeries.Outcomes) o[name] = CellJson(x.Outcome(name));
                series.Add((JsonNode)o);
            }
            JsonObject pre = new(), study = new(), placebo = new(), warnings = new();
            foreach (var (name, o) in pair.Outcomes)
            {
                pre[name] = o.PreTrend is { } t ? new JsonObject
                {
                    ["estimate"] = t.Estimate, ["stdError"] = t.StdError, ["zValue"] = t.ZValue, ["pValue"] = t.PValue,
                    ["ciLower"] = t.CiLower, ["ciUpper"] = t.CiUpper, ["intervals"] = t.Intervals.Count,
                } : null;
                study[name] = o.EventStudy is { } es ? new JsonArray(es.Coefficients.Select(c => (JsonNode?)new JsonObject
                {
                    ["interval"] = c.Interval.Name, ["reference"] = c.IsReference, ["estimate"] = JsonOutput.Num(c.Estimate),
                    ["stdError"] = JsonOutput.Num(c.StdError), ["zValue"] = JsonOutput.Num(c.ZValue), ["pValue"] = JsonOutput.Num(c.PValue),
                    ["ciLower"] = JsonOutput.Num(c.CiLower), ["ciUpper"] = JsonOutput.Num(c.CiUpper),
                }).ToArray()) : null;
                placebo[name] = o.Placebo is { } pl ? new JsonObject
                {
                    ["estimate"] = pl.RiskDifference.Estimate, ["stdError"] = pl.RiskDifference.StdError, ["pValue"] = JsonOutput.Num(pl.RiskDifference.PValue),
                    ["ciLower"] = pl.RiskDifference.CiLower, ["ciUpper"] = pl.RiskDifference.CiUpper, ["cells"] = JsonOutput.Cells(pl.Cells),
                } : null;
                warnings[name] = JsonOutput.Warnings(o.Warnings);
            }
            pairs.Add((JsonNode)new JsonObject
            {
                ["name"] = pair.Name, ["series"] = series, ["preTrend"] = pre, ["eventStudy"] = study, ["placebo"] = placebo, ["warnings"] = warnings,
            });
        }
        return new JsonObject
        {
            ["interval"] = TrendIntervals.Name(analysis.Series.Kind),
            ["placeboWindows"] = new JsonObject { ["pre"] = analysis.PlaceboPre.ToString(), ["post"] = analysis.PlaceboPost.ToString() },
            ["pairs"] = pairs,
            ["warnings"] = JsonOutput.Warnings(analysis.Series.Warnings),
            ["exclusions"] = JsonOutput.Exclusions(analysis.Exclusions.Entries),
        };
    }

    private static string Text(TrendAnalysis analysis, IReadOnlyList<NewJourneyRow> table) =>
        new StringBuilder().Append(analysis).AppendLine().Append(NewJourneyTable.Format(table)).ToString();
}

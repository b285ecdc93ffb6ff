using Evaluation.Stats.Data;
using Evaluation.Stats.Economics;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Reporting.Frames;
using Microsoft.Data.Analysis;
using SkiaSharp;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The sections the extensions add to <c>evalstats report</c> (the programme block, trends, economics, indicators):
/// present in index.html and report.md, their charts written and decodable, and their CSVs equal to the library's
/// own results computed here afresh from the same files.
/// </summary>
public class ReportSectionsTests
{
    private static readonly Lazy<(EvaluationDesign Design, RecordSet<Journey> Rows, EvaluationResult Journeys)> Library = new(() =>
    {
        var design = DesignFile.Load(Path.Combine(DemoReport.Data, "design.json"));
        var rows = Readers.Journeys(Path.Combine(DemoReport.Data, "journeys.csv"));
        return (design, rows, Evaluator.Journeys(design, rows));
    });

    private static string Html => File.ReadAllText(Path.Combine(DemoReport.Out, "index.html"));

    private static string Markdown => File.ReadAllText(Path.Combine(DemoReport.Out, "report.md"));

    /// <summary>
    /// A table's CSV with every column as text, so numbers are compared at full double precision
    /// (DataFrame.LoadCsv guesses single-precision floats). The report's CSVs quote no field in these tables.
    /// </summary>
    private static CsvRows Csv(string name)
    {
        var path = Path.Combine(DemoReport.Out, "tables", name + ".csv");
        Assert.True(File.Exists(path), path);
        var lines = File.ReadAllLines(path);
        Assert.DoesNotContain(lines, l => l.Contains('"'));
        var header = lines[0].Split(',');
        return new CsvRows(lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(x => x.First, x => x.Second)).ToList());
    }

    private sealed record CsvRows(List<Dictionary<string, string>> Rows)
    {
        public int Count => Rows.Count;
    }

    /// <summary>The chart is inline in the HTML, linked from the Markdown, and written as a PNG that decodes with ink on it.</summary>
    private static void AssertChart(string name)
    {
        Assert.Contains($"<figure id=\"chart-{name}\"><img src=\"data:image/png;base64,", Html);
        Assert.Contains($"](charts/{name}.png)", Markdown);
        using var bitmap = SKBitmap.Decode(Path.Combine(DemoReport.Out, "charts", name + ".png"));
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= 400 && bitmap.Height >= 300, $"{name}: {bitmap.Width}x{bitmap.Height}");
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                if (bitmap.GetPixel(x, y) is var p && p.Red < 128 && p.Green < 128) dark++;
        Assert.True(dark > 100, $"{name}: only {dark} dark pixels");
    }

    private static double? Num(CsvRows f, string column, int row) =>
        f.Rows[row][column] is { Length: > 0 } v ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static int RowOf(CsvRows f, params (string Column, string Value)[] keys)
    {
        int i = f.Rows.FindIndex(r => keys.All(k => r[k.Column] == k.Value));
        return i >= 0 ? i : throw new Xunit.Sdk.XunitException($"no row {string.Join(", ", keys)}");
    }

    [Fact]
    public void ProgrammeBlock_InEachOutcome_AgreesWithProgrammeAnalyse()
    {
        foreach (var o in DemoReport.Outcomes)
        {
            Assert.Matches($"(?s)<section id=\"outcome-{o}\">.*<h3>Programme level</h3>.*id=\"table-programme-{o}\".*id=\"table-padjusted-{o}\".*id=\"chart-forest-{o}\".*?</section>", Html);
            AssertChart($"forest-{o}");
        }
        Assert.Contains("### Programme level", Markdown);

        var (design, _, journeys) = Library.Value;
        var programme = Programme.Analyse(journeys, new ProgrammeOptions { ConfidenceLevel = design.ConfidenceLevel });
        foreach (var o in programme.OutcomeOrder)
        {
            var csv = Csv($"programme-{o}");
            var rd = programme.Outcomes[o].RiskDifference;
            int fe = RowOf(csv, ("quantity", "riskDifference"), ("method", "fixedEffect"));
            Assert.Equal(rd.FixedEffect!.Estimate, Num(csv, "estimate", fe)!.Value, 12);
            Assert.Equal(rd.FixedEffect.StdError, Num(csv, "stdError", fe)!.Value, 12);
            int kh = RowOf(csv, ("quantity", "riskDifference"), ("method", "knappHartung"));
            Assert.Equal(rd.RandomEffects!.KnappHartung.CiLower, Num(csv, "ciLower", kh)!.Value, 12);
            Assert.Equal(rd.RandomEffects.KnappHartung.CiUpper, Num(csv, "ciUpper", kh)!.Value, 12);
            Assert.Equal(rd.RandomEffects.Tau2, Num(csv, "tau2", RowOf(csv, ("quantity", "riskDifference"), ("method", "randomEffects")))!.Value, 12);
            Assert.Equal(rd.Randomization!.PValue, Num(csv, "pValue", RowOf(csv, ("quantity", "riskDifference"), ("method", "randomization")))!.Value, 12);
            Assert.Equal(programme.Outcomes[o].Adjusted!.LogOdds.FixedEffect!.Estimate,
                Num(csv, "estimate", RowOf(csv, ("quantity", "adjustedLogOdds"), ("method", "fixedEffect")))!.Value, 10);

            var p = Csv($"padjusted-{o}");
            Assert.Equal(journeys.Pairs.Count * 2, p.Count);
            foreach (var pair in journeys.Pairs)
            {
                var did = programme.DidOf(pair.Name, o);
                int r = RowOf(p, ("family", "did"), ("pair", pair.Name));
                Assert.Equal(did.PValueHolm!.Value, Num(p, "pValueHolm", r)!.Value, 12);
                Assert.Equal(did.PValueBH!.Value, Num(p, "pValueBH", r)!.Value, 12);
            }
        }
    }

    [Fact]
    public void TrendsSection_HasTheSeriesEventStudyPreTrendAndPlacebo_AgreeingWithTrendsAnalyze()
    {
        Assert.Contains("<section id=\"trends\">", Html);
        Assert.Contains("## Trends over time", Markdown);
        var (design, rows, _) = Library.Value;
        var analysis = Trends.Trends.Analyze(design, rows);
        foreach (var pair in analysis.Pairs)
        {
            var slug = pair.Name.Replace(' ', '-');
            AssertChart($"series-{slug}-{Trends.TrendSeries.NewJourneys}");
            AssertChart($"series-{slug}-{OutcomeNames.EffectiveTreatment}");
            foreach (var o in pair.Outcomes.Values.Where(o => o.EventStudy is not null))
                AssertChart($"eventStudy-{slug}-{o.Outcome}");
        }

        var pre = Csv("pretrend");
        var placebo = Csv("placebo");
        int tests = 0;
        foreach (var pair in analysis.Pairs)
            foreach (var o in pair.Outcomes.Values)
            {
                int r = RowOf(pre, ("pair", pair.Name), ("outcome", o.Outcome));
                Assert.Equal(o.PreTrend?.Estimate, Num(pre, "estimate", r));
                Assert.Equal(o.PreTrend?.PValue, Num(pre, "pValue", r));
                int q = RowOf(placebo, ("pair", pair.Name), ("outcome", o.Outcome));
                Assert.Equal(o.Placebo?.RiskDifference.Estimate, Num(placebo, "estimate", q));
                Assert.Equal(o.Placebo?.Cells.PilotPost.N, (long?)Num(placebo, "pilotPostN", q));
                if (o.PreTrend is not null && o.Placebo is not null) tests++;
            }
        Assert.True(tests > 0, "no pair had both a pre-trend test and a placebo DiD");
        Assert.Equal(analysis.Pairs.Sum(p => p.Outcomes.Count), pre.Count);
    }

    [Fact]
    public void EconomicsSection_FromTheRunsOwnDiDs_AgreesWithCostBenefit()
    {
        Assert.Contains("<section id=\"economics\">", Html);
        Assert.Contains("## Economics", Markdown);
        Assert.Contains("id=\"table-economics\"", Html);
        var (design, _, journeys) = Library.Value;
        var costs = EconomicsReaders.Costs(Path.Combine(DemoReport.Data, "costs.csv"), design.Pairs.Select(p => p.Name).ToArray());
        var expected = CostBenefit.Evaluate(journeys, costs);
        var csv = Csv("economics");
        Assert.Equal(expected.Pairs.Count, csv.Count);
        foreach (var p in expected.Pairs)
        {
            int r = RowOf(csv, ("pair", p.Name));
            Assert.Equal(p.People.EffectiveTreatment!.Value, Num(csv, "peopleEffectiveTreatment", r)!.Value, 9);
            Assert.Equal(p.Benefits.Total, Num(csv, "totalBenefits", r)!.Value, 6);
            Assert.Equal(p.Costs?.Total, Num(csv, "costs", r));
            Assert.Equal(p.NetBenefit, Num(csv, "netBenefit", r));
            Assert.Equal(p.Ratio, Num(csv, "ratio", r));
            AssertChart("tornado-" + p.Name.Replace(' ', '-'));
        }
        // People = the run's own DiD × its pilot post n (the chain is fed from this report's results, not a file).
        var site1 = journeys.Pairs.Single(p => p.Name == "site 1").Outcomes[OutcomeNames.EffectiveTreatment].Did;
        Assert.Equal(site1.RiskDifference.Estimate * site1.Cells.PilotPost.N, Num(csv, "peopleEffectiveTreatment", RowOf(csv, ("pair", "site 1")))!.Value, 9);
        Assert.Equal(200000.0, Num(csv, "costs", RowOf(csv, ("pair", "site 1"))));
    }

    [Fact]
    public void IndicatorsSection_HasCellsDidsAndFunnels_AgreeingWithIndicatorEvaluator()
    {
        Assert.Contains("<section id=\"indicators\">", Html);
        Assert.Contains("## National indicators", Markdown);
        var (design, rows, _) = Library.Value;
        var expected = IndicatorEvaluator.Evaluate(design, rows);

        var cells = Csv("indicators");
        var frame = expected.ToDataFrame();
        Assert.Equal(frame.Rows.Count, cells.Count);
        string months6 = IndicatorNames.Representation(182);
        foreach (var (pair, pc) in expected.ProportionCells()[months6])
            foreach (var (name, cell) in pc.Named())
            {
                int r = RowOf(cells, ("indicator", months6), ("pair", pair), ("cell", name));
                var w = Proportions.Wilson(cell.Events, cell.N, expected.ConfidenceLevel);
                Assert.Equal(cell.N, (long)Num(cells, "n", r)!.Value);
                Assert.Equal(w.WilsonLower, Num(cells, "wilsonLower", r)!.Value, 12);
                Assert.Equal(w.WilsonUpper, Num(cells, "wilsonUpper", r)!.Value, 12);
            }
        foreach (var t in expected.TimeInTreatment)
        {
            int r = RowOf(cells, ("indicator", IndicatorNames.TimeInTreatment + ".days"), ("pair", t.Pair), ("cell", "pilotPost"));
            Assert.Equal(t.Cells["pilotPost"].Days.Median, Num(cells, "median", r)!.Value, 9);
        }

        var did = Csv("indicator-did-" + months6.Replace('.', '-'));
        foreach (var pair in expected.Representation.Pairs)
            Assert.Equal(100 * pair.Outcomes[months6].Did.RiskDifference.Estimate, Num(did, "didPercentagePoints", RowOf(did, ("pair", pair.Name)))!.Value, 9);
        var meanDays = Csv("indicator-meandays");
        foreach (var t in expected.TimeInTreatment)
            Assert.Equal(t.MeanDid?.Estimate, Num(meanDays, "estimate", RowOf(meanDays, ("pair", t.Pair))));

        var funnel = Csv("funnel");
        var points = expected.Funnel();
        Assert.Equal(points.Count, funnel.Count);
        foreach (var p in points.Where(p => p.Indicator == months6))
        {
            int r = RowOf(funnel, ("indicator", p.Indicator), ("pair", p.Pair), ("cell", p.Cell));
            Assert.Equal(p.Limits.Upper95, Num(funnel, "upper95", r)!.Value, 12);
            Assert.Equal(p.Position, funnel.Rows[r]["position"]);
        }
        AssertChart($"funnel-{months6}-post");
        AssertChart($"funnel-{IndicatorNames.TimeInTreatment}.overTwoYears-post");
    }
}

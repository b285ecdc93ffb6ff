using System.Globalization;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The indicators against independent references committed in <c>fixtures/indicators</c>: every indicator's cells,
/// times, waits and ledger against <c>indicators_reference.py</c> (Python, written from the methodology) on a
/// hand-made fixture with the edge cases, on both paths; Wilson intervals against R's
/// <c>prop.test(correct = FALSE)</c> and funnel limits against the closed form in R (<c>wilson_reference.R</c>), to 1e-12.
/// </summary>
public class IndicatorReferenceTests
{
    private static string F(string name) => CliTests.Fixture("indicators", name);

    internal static IndicatorResult Evaluate(Implementation implementation) =>
        IndicatorEvaluator.Evaluate(DesignFile.Load(F("design.json")), Readers.Journeys(F("journeys.csv")), TopReader.Read(F("top.csv")), null, implementation);

    private static JsonNode Expected => JsonNode.Parse(File.ReadAllText(F("expected.json")))!;

    private static readonly string[] CellNames = ["pilotPre", "pilotPost", "comparisonPre", "comparisonPost"];

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void EveryIndicatorsCells_MatchThePythonReference(Implementation implementation)
    {
        var result = Evaluate(implementation);
        var expected = Expected["indicators"]!;
        int compared = 0;
        foreach (var (name, pairs) in result.ProportionCells())
        {
            // The proportion indicators: representation, TOP abstinence, and the shares of times and waits.
            foreach (var (pair, cells) in pairs)
                foreach (var (cell, c) in cells.Named())
                {
                    var (node, n, events) = name switch
                    {
                        "timeInTreatment.overTwoYears" => (expected["timeInTreatment"]![pair]![cell]!, "n", "overTwoYears"),
                        "waitingTimes.over3Weeks" => (expected["waitingTimes"]![pair]![cell]!, "n", "over21"),
                        "waitingTimes.over6Weeks" => (expected["waitingTimes"]![pair]![cell]!, "n", "over42"),
                        _ => (expected[name]![pair]![cell]!, "n", "events"),
                    };
                    Assert.Equal(node[n]!.GetValue<long>(), c.N);
                    Assert.Equal(node[events]!.GetValue<long>(), c.Events);
                    compared++;
                }
        }
        Assert.Equal((2 + 1 + 2 + 2) * 4, compared); // 2 R, 2+ years, 2 thresholds, 2 substances; 4 cells each
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void TimesAndWaits_MatchThePythonReference(Implementation implementation)
    {
        var result = Evaluate(implementation);
        var expected = Expected["indicators"]!;
        var tit = Assert.Single(result.TimeInTreatment);
        var wait = Assert.Single(result.WaitingTimes);
        foreach (var cell in CellNames)
        {
            var t = expected["timeInTreatment"]!["site A"]![cell]!;
            var d = tit.Cells[cell].Days;
            Assert.Equal(t["mean"]!.GetValue<double>(), d.Mean, 12);
            Assert.Equal(t["q1"]!.GetValue<double>(), d.Q1, 12);
            Assert.Equal(t["median"]!.GetValue<double>(), d.Median, 12);
            Assert.Equal(t["q3"]!.GetValue<double>(), d.Q3, 12);
            var bands = t["bands"]!.AsArray().Select(b => b!.GetValue<double>()).ToArray();
            for (int b = 0; b < bands.Length; b++) Assert.Equal(bands[b], tit.Cells[cell].Bands[b], 12);
            var w = expected["waitingTimes"]!["site A"]![cell]!;
            var s = wait.Cells[cell].Waits;
            Assert.Equal(w["n"]!.GetValue<long>(), s.N);
            Assert.Equal(w["mean"]!.GetValue<double>(), s.Mean, 12);
            Assert.Equal(w["q1"]!.GetValue<double>(), s.Q1, 12);
            Assert.Equal(w["median"]!.GetValue<double>(), s.Median, 12);
            Assert.Equal(w["q3"]!.GetValue<double>(), s.Q3, 12);
        }
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void Ledger_MatchesThePythonReference_AndBalances(Implementation implementation)
    {
        var result = Evaluate(implementation);
        var expected = Expected["ledger"]!.AsObject();
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), result.Exclusions.Analyses.Order(StringComparer.Ordinal));
        foreach (var (analysis, reasons) in expected)
        {
            var actual = result.Exclusions.Entries.Where(e => e.Analysis == analysis).ToDictionary(e => e.Reason, e => e.Rows);
            var want = reasons!.AsObject().ToDictionary(r => r.Key, r => r.Value!.GetValue<long>());
            Assert.Equal(want.OrderBy(x => x.Key, StringComparer.Ordinal), actual.OrderBy(x => x.Key, StringComparer.Ordinal));
            // Cells plus ledger equal the input rows, for every analysis.
            long inCells = result.Classifications[analysis].Count(s => s.IsIncluded);
            Assert.Equal(result.Exclusions.InputRows(analysis), inCells + result.Exclusions.ExcludedRows(analysis));
        }
    }

    [Fact]
    public void Ledger_KeepsTheLinesOfDataErrors()
    {
        var result = Evaluate(Implementation.Fast);
        var reversed = Assert.Single(result.Exclusions.Entries, e => e.Analysis == "waitingTimes/post" && e.Reason == IndicatorReasons.FirstInterventionBeforeReferral);
        Assert.Equal([16L], reversed.Lines); // p12 is on line 16 of journeys.csv
        var days = Assert.Single(result.Exclusions.Entries, e => e.Analysis == "topAbstinence.opiates/post" && e.Reason == IndicatorReasons.DaysOutOfRange);
        Assert.Equal([21L], days.Lines);     // c6's start TOP
    }

    private static IEnumerable<string[]> Csv(string name) =>
        File.ReadLines(F(name)).Skip(1).Select(l => l.Split(','));

    private static double P(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Wilson_MatchesRPropTest_To1e12()
    {
        int rows = 0;
        foreach (var r in Csv("wilson_reference.csv"))
        {
            var w = Proportions.Wilson((long)P(r[0]), (long)P(r[1]), P(r[2]));
            Assert.Equal(P(r[3]), w.WilsonLower, 1e-12);
            Assert.Equal(P(r[4]), w.WilsonUpper, 1e-12);
            rows++;
        }
        Assert.True(rows > 90);
    }

    [Fact]
    public void FunnelLimits_MatchTheClosedFormInR_To1e12()
    {
        int rows = 0;
        foreach (var r in Csv("funnel_reference.csv"))
        {
            var f = Proportions.Funnel((long)P(r[0]), P(r[1]));
            Assert.Equal(P(r[2]), f.Lower95, 1e-12);
            Assert.Equal(P(r[3]), f.Upper95, 1e-12);
            Assert.Equal(P(r[4]), f.Lower998, 1e-12);
            Assert.Equal(P(r[5]), f.Upper998, 1e-12);
            rows++;
        }
        Assert.Equal(20, rows);
    }

    [Fact]
    public void FunnelPositions_FollowTheLimits()
    {
        var f = Proportions.Funnel(100, 0.5);
        Assert.Equal("within", f.Classify(0.5));
        Assert.Equal("above 95%", f.Classify((f.Upper95 + f.Upper998) / 2));
        Assert.Equal("above 99.8%", f.Classify(f.Upper998 + 1e-9));
        Assert.Equal("below 95%", f.Classify((f.Lower95 + f.Lower998) / 2));
        Assert.Equal("below 99.8%", f.Classify(f.Lower998 - 1e-9));
        // Every proportion cell of the fixture is on the funnel, with its Wilson interval around it.
        var points = Evaluate(Implementation.Fast).Funnel();
        Assert.Equal(7 * 4, points.Count);
        Assert.All(points, p => Assert.InRange(p.Value.Proportion, p.Value.WilsonLower, p.Value.WilsonUpper));
    }

    [Fact]
    public void Wilson_ValidatesAndHandlesEmptyCells()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(1, 2, 1.0));
        Assert.True(double.IsNaN(Proportions.Wilson(0, 0).WilsonLower));
    }
}

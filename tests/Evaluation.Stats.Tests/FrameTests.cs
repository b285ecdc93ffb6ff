using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Reporting;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Tests;

/// <summary>The demo evaluation, run once for the reporting tests.</summary>
internal static class DemoResults
{
    private static readonly Lazy<(EvaluationDesign Design, EvaluationResult Journeys)> Lazy = new(() =>
    {
        var design = DesignFile.Load(CliTests.Fixture("demo", "design.json"));
        return (design, Evaluator.Journeys(design, Readers.Journeys(CliTests.Fixture("demo", "journeys.csv"))));
    });

    public static EvaluationDesign Design => Lazy.Value.Design;
    public static EvaluationResult Journeys => Lazy.Value.Journeys;
}

public class FrameTests
{
    private static object? Cell(DataFrame frame, long row, string column) => frame.Columns[column][row];

    [Fact]
    public void EvaluationFrame_HasOneRowPerPairAndOutcome_WithTheIndependentlyComputedCells()
    {
        var result = DemoResults.Journeys;
        var frame = result.ToDataFrame();
        Assert.Equal(6 * 3, frame.Rows.Count);
        string[] expectedColumns = ["pair", "outcome", "pilotPreN", "pilotPreEvents", "pilotPreProportion", "comparisonPostEvents",
            "did", "didStdError", "didCiLower", "didCiUpper", "didPValue", "logOdds", "people", "warnings",
            "adjustedLogOdds", "adjustedOddsRatio", "adjustedAtt", "adjustedN", "adjustedCovariates"];
        foreach (var c in expectedColumns) Assert.Contains(c, frame.Columns.Select(x => x.Name));

        // Cells against fixtures/demo/expected_journey_cells.json (written by an independent Python script).
        var expected = JsonNode.Parse(File.ReadAllText(CliTests.Fixture("demo", "expected_journey_cells.json")))!["pairs"]!.AsArray();
        int checkedCells = 0;
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            var pair = expected.Single(p => p!["name"]!.GetValue<string>() == (string)Cell(frame, r, "pair")!)!;
            var cells = pair["outcomes"]![(string)Cell(frame, r, "outcome")!]!["cells"]!;
            foreach (var name in new[] { "pilotPre", "pilotPost", "comparisonPre", "comparisonPost" })
            {
                Assert.Equal(cells[name]!["n"]!.GetValue<long>(), (long)Cell(frame, r, name + "N")!);
                Assert.Equal(cells[name]!["events"]!.GetValue<long>(), (long)Cell(frame, r, name + "Events")!);
                checkedCells++;
            }
        }
        Assert.Equal(6 * 3 * 4, checkedCells);

        // The estimates are the result's, unrounded.
        var first = result.Pairs[1].Outcomes[OutcomeNames.SuccessfulCompletion];
        long row = 1 * 3 + 1;
        Assert.Equal("site 2", Cell(frame, row, "pair"));
        Assert.Equal(first.Did.RiskDifference.Estimate, (double)Cell(frame, row, "did")!);
        Assert.Equal(first.Did.RiskDifference.PValue, (double?)Cell(frame, row, "didPValue"));
        Assert.Equal(first.Adjusted!.Att, (double?)Cell(frame, row, "adjustedAtt"));
        Assert.Equal(first.Did.People, (double)Cell(frame, row, "people")!);
    }

    [Fact]
    public void CellsFrame_IsLong_AndSumsToTheCells()
    {
        var result = DemoResults.Journeys;
        var frame = result.ToCellsDataFrame();
        Assert.Equal(new[] { "pair", "outcome", "group", "period", "n", "events", "proportion", "inputRows" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(6 * 3 * 4, frame.Rows.Count);
        var et = result.Pairs[2].Outcomes[OutcomeNames.EffectiveTreatment].Cells;
        var rows = Enumerable.Range(0, (int)frame.Rows.Count)
            .Where(i => (string)Cell(frame, i, "pair")! == "site 3" && (string)Cell(frame, i, "outcome")! == OutcomeNames.EffectiveTreatment).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Equal(("comparison", "post"), ((string)Cell(frame, rows[3], "group")!, (string)Cell(frame, rows[3], "period")!));
        Assert.Equal(et.ComparisonPost.N, (long)Cell(frame, rows[3], "n")!);
        Assert.Equal(et.PilotPre.Events, (long)Cell(frame, rows[0], "events")!);
        Assert.Equal(et.PilotPost.Proportion, (double)Cell(frame, rows[1], "proportion")!);
    }

    [Fact]
    public void DidFrame_UndefinedLogOdds_IsMissing_NotNaN_AndWarningsAreKept()
    {
        // The comparison's pre cell has 0 events: the log-odds interaction is undefined.
        var r = DidEstimator.Estimate("edge", new PairCells(new Cell(10, 5), new Cell(10, 6), new Cell(10, 0), new Cell(10, 3)));
        var frame = new[] { r, DidEstimator.Estimate("plain", new PairCells(new Cell(200, 100), new Cell(250, 150), new Cell(300, 120), new Cell(280, 126))) }.ToDataFrame();
        Assert.Equal(2, frame.Rows.Count);
        Assert.Null(Cell(frame, 0, "logOdds"));
        Assert.Equal(1, frame.Columns["logOdds"].NullCount);
        Assert.Contains("log-odds interaction undefined", (string)Cell(frame, 0, "warnings")!);
        Assert.Equal(0.05, (double)Cell(frame, 1, "did")!, 12);
        Assert.Equal(0.05 * 250, (double)Cell(frame, 1, "people")!, 9);
        Assert.Equal(1, r.ToDataFrame().Rows.Count);
    }

    [Fact]
    public void DidTableRowFrame_CarriesPercentagePoints_InItsColumnNames()
    {
        var r = DidEstimator.Estimate("plain", new PairCells(new Cell(200, 100), new Cell(250, 150), new Cell(300, 120), new Cell(280, 126)));
        var frame = DidTable.Rows([r]).ToDataFrame();
        Assert.Equal(5.0, (double)Cell(frame, 0, "didPercentagePoints")!, 9);
        Assert.Equal(10.0, (double)Cell(frame, 0, "pilotChangePercentagePoints")!, 9);
        Assert.Equal(50.0, (double)Cell(frame, 0, "pilotPrePercent")!, 9);
        Assert.Equal(100 * r.RiskDifference.CiLower, (double)Cell(frame, 0, "ciLowerPercentagePoints")!, 9);
    }

    [Fact]
    public void CoefficientFrame_KeepsAliasedTerms_WithMissingNumbers()
    {
        int n = 200;
        var x = Enumerable.Range(0, n).Select(i => Math.Sin(i * 0.7)).ToArray();
        var data = new ModelData(n).AddNumeric("x", x).AddNumeric("twice", x.Select(v => 2 * v).ToArray())
            .AddCategorical("g", Enumerable.Range(0, n).Select(i => i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : null).ToArray());
        var y = Enumerable.Range(0, n).Select(i => (i * 7919 % 5) < 2 ? 1.0 : 0.0).ToArray();
        var fit = LogisticRegression.Fit(data, new ModelSpec(["x", "twice"], ["g"], []), y);
        var frame = fit.ToDataFrame();
        Assert.Equal(new[] { "term", "estimate", "stdError", "zValue", "pValue", "ciLower", "ciUpper", "oddsRatio", "aliased", "separation" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(fit.Coefficients.Select(c => c.Term), Enumerable.Range(0, (int)frame.Rows.Count).Select(i => (string)Cell(frame, i, "term")!));
        int twice = fit.Coefficients.ToList().FindIndex(c => c.Term == "twice");
        Assert.True((bool)Cell(frame, twice, "aliased")!);
        Assert.Null(Cell(frame, twice, "estimate"));
        Assert.Equal(fit["x"].Estimate, (double?)Cell(frame, 1, "estimate"));
        Assert.Equal(fit["x"].PValue, (double?)Cell(frame, 1, "pValue"));
        Assert.False((bool)Cell(frame, 1, "aliased")!);
    }

    [Fact]
    public void AdjustedFrame_NamesTheCovariates_AndIsEmptyOfThemWithoutCovariates()
    {
        var result = DemoResults.Journeys;
        var frame = result.ToAdjustedDataFrame();
        Assert.Equal(6 * 3, frame.Rows.Count);
        var a = result.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Adjusted!;
        Assert.Equal(a.LogOdds, (double?)Cell(frame, 0, "logOdds"));
        Assert.Equal(a.OddsRatioCiUpper, (double?)Cell(frame, 0, "oddsRatioCiUpper"));
        Assert.Equal((long)a.N, (long)Cell(frame, 0, "n")!);
        var covariates = (string)Cell(frame, 0, "covariates")!;
        Assert.Contains("age", covariates);
        Assert.Contains("sex[", covariates);
        Assert.DoesNotContain("pilot", covariates);

        var plain = new EvaluationDesign(DemoResults.Design.Study, DemoResults.Design.Pairs);
        var noCovariates = Evaluator.Journeys(plain, Readers.Journeys(CliTests.Fixture("demo", "journeys.csv")));
        Assert.Equal("", (string)Cell(noCovariates.ToAdjustedDataFrame(), 0, "covariates")!);
        Assert.Empty(noCovariates.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Adjusted!.CovariateTerms());
        Assert.Equal(1, a.ToDataFrame().Rows.Count);
    }

    [Fact]
    public void LedgerFrame_HasEveryEntry_WithInputRowsAndTheLinesOfDataErrors()
    {
        var design = CliTests.PlainDesign();
        var csv = File.ReadAllLines(CliTests.Fixture("demo", "journeys.csv")).Select(l => string.Join(',', l.Split(',').Take(6))).ToList();
        // Line 3 (1-based, header is line 1): end before start; line 5: no age; line 6 does not parse.
        var f = csv[2].Split(','); f[3] = "2000-01-01"; csv[2] = string.Join(',', f);
        f = csv[4].Split(','); f[5] = ""; csv[4] = string.Join(',', f);
        f = csv[5].Split(','); f[2] = "not a date"; csv[5] = string.Join(',', f);
        var path = CliTests.Temp("journeys.csv", string.Join("\n", csv) + "\n");
        var result = Evaluator.Journeys(DesignFile.Load(design), Readers.Journeys(path, new ReadOptions { OnBadRows = BadRowPolicy.Exclude }));
        var frame = result.Exclusions.ToDataFrame();
        Assert.Equal(new[] { "analysis", "reason", "rows", "inputRows", "dataError", "lines" }, frame.Columns.Select(c => c.Name));
        Assert.Equal(result.Exclusions.Entries.Count, (int)frame.Rows.Count);
        Assert.Equal(result.Exclusions.Entries.Sum(e => e.Rows), Enumerable.Range(0, (int)frame.Rows.Count).Sum(i => (long)Cell(frame, i, "rows")!));
        int Find(string analysis, string reason) => Enumerable.Range(0, (int)frame.Rows.Count)
            .Single(i => (string)Cell(frame, i, "analysis")! == analysis && (string)Cell(frame, i, "reason")! == reason);
        // The demo data has data errors of its own; the three made here are among them, and the lines are all there in full.
        string[] LinesOf(int row) => ((string)Cell(frame, row, "lines")!).Split(',');
        int end = Find("effectiveTreatment/pre", ExclusionReasons.EndBeforeStart);
        Assert.Contains("3", LinesOf(end));
        Assert.True((bool)Cell(frame, end, "dataError")!);
        var entry = result.Exclusions.Entries.Single(e => e.Analysis == "effectiveTreatment/pre" && e.Reason == ExclusionReasons.EndBeforeStart);
        Assert.Equal(entry.Lines.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)), LinesOf(end));
        Assert.Contains("5", LinesOf(Find("effectiveTreatment/pre", ExclusionReasons.MissingAge)));
        Assert.Equal("6", Cell(frame, Find("successfulCompletion/post", ExclusionReasons.Unparseable), "lines"));
        int outside = Find("effectiveTreatment/pre", ExclusionReasons.OutsideWindow);
        Assert.False((bool)Cell(frame, outside, "dataError")!);
        Assert.Equal("", Cell(frame, outside, "lines"));
        Assert.Equal(csv.Count - 1L, (long)Cell(frame, outside, "inputRows")!);

        var lines = result.Exclusions.ToLinesDataFrame();
        Assert.Equal(result.Exclusions.Entries.Sum(e => e.Lines.Count), lines.Rows.Count);
        Assert.Contains(Enumerable.Range(0, (int)lines.Rows.Count), i => (long)lines.Columns["line"][i]! == 6
            && (string)lines.Columns["reason"][i]! == ExclusionReasons.Unparseable);
    }
}

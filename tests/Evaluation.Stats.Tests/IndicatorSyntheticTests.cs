using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The synthetic indicator data recover their known true effects, the demo's journeys are untouched by the new
/// generator, and the results convert to DataFrames and a funnel chart.
/// </summary>
public class IndicatorSyntheticTests
{
    private static readonly Lazy<(IndicatorDataSet Data, IndicatorResult Result)> Large = new(() =>
    {
        var data = IndicatorData.Generate(11, 3000);
        var result = IndicatorEvaluator.Evaluate(data.Design with { Covariates = CovariateSpec.None }, new RecordSet<Journey>(data.Journeys), new RecordSet<TopRecord>(data.Top));
        return (data, result);
    });

    [Fact]
    public void Waits_RecoverTheTrueDid_WithinFourStandardErrors()
    {
        var (data, result) = Large.Value;
        for (int k = 0; k < data.Design.Pairs.Count; k++)
            for (int t = 0; t < 2; t++)
            {
                var did = result.WaitingTimes[k].OverDid[t]!.RiskDifference;
                double truth = data.TrueWaitDid(data.Design.Pairs[k], result.WaitingTimes[k].Thresholds[t]);
                Assert.True(Math.Abs(did.Estimate - truth) < 4 * did.StdError, $"{data.Design.Pairs[k].Name} over {result.WaitingTimes[k].Thresholds[t]}: {did.Estimate} vs true {truth}");
            }
        // The largest effect (site 4, β = 0.45, waits e^−0.45 as long) is found.
        Assert.True(result.WaitingTimes[3].OverDid[0]!.RiskDifference.CiUpper < 0);
    }

    [Fact]
    public void TopAbstinence_RecoversTheTrueDid_WithinFourStandardErrors()
    {
        var (data, result) = Large.Value;
        foreach (var substance in IndicatorData.Substances)
            for (int k = 0; k < data.Design.Pairs.Count; k++)
            {
                var did = result.Top[IndicatorNames.Top(substance)][k].Did!.RiskDifference;
                double truth = data.TrueTopDid(data.Design.Pairs[k], substance);
                Assert.True(Math.Abs(did.Estimate - truth) < 4 * did.StdError, $"{substance} {data.Design.Pairs[k].Name}: {did.Estimate} vs true {truth}");
            }
    }

    [Fact]
    public void Representation_LargestEffect_RaisesCompletionWithoutRepresentation_AndTheLedgerBalances()
    {
        var (_, result) = Large.Value;
        foreach (var outcome in new[] { "completionWithoutRepresentation.months6", "completionWithoutRepresentation.months12" })
        {
            Assert.True(result.Representation.Pairs[3].Outcomes[outcome].Did.RiskDifference.CiLower > 0, outcome + string.Join(" | ", result.Representation.Pairs.Select(p => p.Outcomes[outcome].Did.ToString() + " " + p.Outcomes[outcome].Cells)));
            Assert.True(result.Representation.Pairs[4].Outcomes[outcome].Did.RiskDifference.Estimate < 0, outcome); // β = −0.20
        }
        foreach (var analysis in result.Exclusions.Analyses)
            Assert.Equal(result.Exclusions.InputRows(analysis), result.Classifications[analysis].Count(s => s.IsIncluded) + result.Exclusions.ExcludedRows(analysis));
        Assert.Contains(result.Exclusions.Entries, e => e.Reason == IndicatorReasons.ClientNotInJourneys);
        Assert.Contains(result.Exclusions.Entries, e => e.Reason == IndicatorReasons.FirstInterventionBeforeReferral);
        Assert.Contains(result.Exclusions.Entries, e => e.Reason == IndicatorReasons.DaysOutOfRange);
    }

    [Fact]
    public void DataFrame_HasOneRowPerIndicatorPairAndCell()
    {
        var result = IndicatorReferenceTests.Evaluate(Regression.Implementation.Fast);
        var frame = result.ToDataFrame();
        Assert.Equal((7 + 2) * 4, frame.Rows.Count);
        Assert.Equal("completionWithoutRepresentation.months6", frame.Columns["indicator"][0]);
        var w = Proportions.Wilson((long)frame.Columns["events"][0], (long)frame.Columns["n"][0]);
        Assert.Equal(w.WilsonLower, (double)frame.Columns["wilsonLower"][0]!);
        Assert.Null(frame.Columns["events"][frame.Rows.Count - 1]);
        Assert.Equal(result.Funnel().Count, result.Funnel().ToDataFrame().Rows.Count);
    }

    [Fact]
    public void FunnelChart_RendersSvgAndPng()
    {
        var points = Large.Value.Result.Funnel();
        var svg = FunnelChart.Render(points, "waitingTimes.over3Weeks", "Post");
        var text = System.Text.Encoding.UTF8.GetString(svg.Bytes.Span);
        Assert.Equal("svg", System.Xml.Linq.XDocument.Parse(text).Root!.Name.LocalName);
        Assert.Contains("99.8% limits", text);
        var png = FunnelChart.Render(points, "completionWithoutRepresentation.months6", "Pre", ChartFormat.Png, 600, 400);
        Assert.Equal((byte)0x89, png.Bytes.Span[0]);
        Assert.Throws<ArgumentException>(() => FunnelChart.Render(points, "nothing", "Pre"));
    }
}

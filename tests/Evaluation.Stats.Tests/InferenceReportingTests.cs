using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;

namespace Evaluation.Stats.Tests;

/// <summary>The forest plot and the programme DataFrames.</summary>
public class InferenceReportingTests
{
    private static readonly Lazy<(EvaluationResult Result, ProgrammeResult Programme)> Demo = new(() =>
    {
        var journeys = Evaluation.Stats.Data.Readers.Journeys(CliTests.Fixture("demo", "journeys.csv"));
        var design = Evaluation.Stats.Data.DesignFile.Load(CliTests.Fixture("demo", "design.json"));
        var result = Evaluator.Journeys(design, journeys);
        return (result, Programme.Analyse(result));
    });

    [Fact]
    public void ForestPlot_HasEveryPairAndBothPooledRows_InPngAndSvg()
    {
        var (result, programme) = Demo.Value;
        var rows = ForestPlotChart.Rows(result, programme.Outcomes[OutcomeNames.SuccessfulCompletion]);
        Assert.Equal(8, rows.Count);
        Assert.Equal(result.Pairs.Select(p => p.Name), rows.Take(6).Select(r => r.Label));
        var fe = programme.Outcomes[OutcomeNames.SuccessfulCompletion].RiskDifference.FixedEffect!;
        Assert.Equal(("fixed effect", fe.Estimate, fe.CiLower, fe.CiUpper, true), rows[6]);
        Assert.All(rows, r => Assert.True(r.CiLower <= r.Estimate && r.Estimate <= r.CiUpper));
        var png = ForestPlotChart.Render(result, programme, OutcomeNames.SuccessfulCompletion, ChartFormat.Png, 640, 400);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Bytes.ToArray()[..4]);
        Assert.Equal("forest-successfulCompletion", png.Name);
        var svg = System.Text.Encoding.UTF8.GetString(ForestPlotChart.Render(result, programme, OutcomeNames.SuccessfulCompletion, ChartFormat.Svg).Bytes.Span);
        Assert.Contains("<svg", svg);
        Assert.Contains("site 6", svg);
        Assert.Contains("fixed effect", svg);
        Assert.Throws<ArgumentException>(() => ForestPlotChart.Render(result, programme, "nope"));
    }

    [Fact]
    public void ProgrammeFrame_HoldsThePooledNumbers()
    {
        var (_, programme) = Demo.Value;
        var df = programme.ToDataFrame();
        // 3 outcomes × (risk difference and adjusted log-odds: 4 methods; ATT: 3, no randomization) = 33 rows.
        Assert.Equal(33, df.Rows.Count);
        var o = programme.Outcomes[OutcomeNames.EffectiveTreatment];
        var row = df.Rows.First(r => (string)r["outcome"] == OutcomeNames.EffectiveTreatment && (string)r["quantity"] == "riskDifference" && (string)r["method"] == "randomEffects");
        Assert.Equal(o.RiskDifference.RandomEffects!.Tau2, (double)row["tau2"]);
        Assert.Equal(o.RiskDifference.RandomEffects.Pooled.Estimate, (double)row["estimate"]);
        var rz = df.Rows.First(r => (string)r["outcome"] == OutcomeNames.EffectiveTreatment && (string)r["method"] == "randomization");
        Assert.Equal(64L, (long)rz["draws"]);
        Assert.Equal(o.RiskDifference.Randomization!.PValue, (double)rz["pValue"]);
        var adjustedP = programme.ToAdjustedPValuesDataFrame();
        Assert.Equal(36, adjustedP.Rows.Count);
        Assert.Equal(programme.Did[0].PValueHolm, (double?)adjustedP.Rows[0]["pValueHolm"]);
    }
}

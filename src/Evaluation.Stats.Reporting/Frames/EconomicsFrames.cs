using Evaluation.Stats.Economics;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting.Frames;

/// <summary>The economics results as <see cref="DataFrame"/>s: one row per pair, per year of Table C6.1, or per tornado bar.</summary>
public static class EconomicsFrames
{
    /// <summary>One row per pair: people, benefits, costs, net benefit, ratios, the sensitivity, the bounds and the interval
    /// (pounds; a missing value where the result has none).</summary>
    public static DataFrame ToDataFrame(this EconomicsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var p = result.Pairs;
        DoubleDataFrameColumn Col(string name, Func<PairEconomics, double?> value) => new(name, p.Select(value));
        return new DataFrame(
            new StringDataFrameColumn("pair", p.Select(x => x.Name)),
            Col("peopleEffectiveTreatment", x => x.People.EffectiveTreatment),
            Col("peopleSuccessfulCompletion", x => x.People.SuccessfulCompletion),
            Col("benefitEffectiveTreatment", x => x.Benefits.EffectiveTreatment),
            Col("benefitSuccessfulCompletion", x => x.Benefits.SuccessfulCompletion),
            Col("totalBenefits", x => x.Benefits.Total),
            Col("costs", x => x.Costs?.Total),
            Col("netBenefit", x => x.NetBenefit),
            Col("ratio", x => x.Ratio),
            Col("netRatio", x => x.NetRatio),
            Col("benefitScale", x => x.Sensitivity.BenefitScale),
            Col("scaledTotal", x => x.Sensitivity.Total),
            Col("scaledRatio", x => x.Sensitivity.Ratio),
            Col("totalAtLowerBounds", x => x.AtLowerBounds?.TotalBenefits),
            Col("totalAtUpperBounds", x => x.AtUpperBounds?.TotalBenefits),
            Col("netBenefitLower", x => x.Interval?.NetBenefitLower),
            Col("netBenefitUpper", x => x.Interval?.NetBenefitUpper),
            Col("ratioLower", x => x.Interval?.RatioLower),
            Col("ratioUpper", x => x.Interval?.RatioUpper),
            Col("probabilityNetPositive", x => x.Interval?.ProbabilityNetPositive));
    }

    /// <summary>One row per year of Table C6.1 (pounds).</summary>
    public static DataFrame ToDataFrame(this UnitValues units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var y = units.Years;
        DoubleDataFrameColumn Col(string name, Func<UnitValueYear, double> value) => new(name, y.Select(value));
        return new DataFrame(
            new Int32DataFrameColumn("year", y.Select(r => r.Year)),
            Col("noTreatment", r => r.NoTreatment), Col("recovery", r => r.Recovery), Col("noRecovery", r => r.NoRecovery),
            Col("weighted", r => r.Weighted), Col("shortTermValue", r => r.ShortTermValue), Col("shortTermDiscounted", r => r.ShortTermDiscounted),
            Col("longTermValue", r => r.LongTermValue), Col("recoveryDiscounted", r => r.RecoveryDiscounted), Col("expected", r => r.Expected),
            Col("costDiscounted", r => r.CostDiscounted));
    }

    /// <summary>One row per bar of a tornado, widest first.</summary>
    public static DataFrame ToDataFrame(this SensitivityAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var b = analysis.Bars;
        return new DataFrame(
            new StringDataFrameColumn("input", b.Select(x => x.Label)),
            new DoubleDataFrameColumn("lowInput", b.Select(x => x.LowInput)),
            new DoubleDataFrameColumn("highInput", b.Select(x => x.HighInput)),
            new DoubleDataFrameColumn("outputAtLow", b.Select(x => x.OutputAtLow)),
            new DoubleDataFrameColumn("outputAtHigh", b.Select(x => x.OutputAtHigh)),
            new DoubleDataFrameColumn("swing", b.Select(x => x.Swing)),
            new DoubleDataFrameColumn("base", b.Select(_ => analysis.Base)));
    }
}

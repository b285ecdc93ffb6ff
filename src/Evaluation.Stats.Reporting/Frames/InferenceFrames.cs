using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Inference;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting.Frames;

/// <summary>DataFrames of the programme-level results (methodology §10).</summary>
public static class InferenceFrames
{
    /// <summary>
    /// One row per outcome × quantity (<c>riskDifference</c>, <c>adjustedLogOdds</c>, <c>adjustedAtt</c>) × method
    /// (<c>fixedEffect</c>, <c>randomEffects</c>, <c>knappHartung</c>, <c>randomization</c>), with the pairs pooled, the
    /// estimate, SE, CI and p, the heterogeneity statistics on random-effects rows, and the draws of the randomization
    /// rows. Absent pooling (fewer than two pairs) gives no rows for that quantity.
    /// </summary>
    public static DataFrame ToDataFrame(this ProgrammeResult programme)
    {
        ArgumentNullException.ThrowIfNull(programme);
        var outcome = new List<string>(); var quantity = new List<string>(); var method = new List<string>(); var pairs = new List<int?>();
        var est = new List<double?>(); var se = new List<double?>(); var lo = new List<double?>(); var hi = new List<double?>(); var p = new List<double?>();
        var tau2 = new List<double?>(); var i2 = new List<double?>(); var q = new List<double?>(); var qp = new List<double?>();
        var draws = new List<long?>(); var exact = new List<bool?>();
        void Add(string o, string qn, string m, int k, WaldEstimate? w, RandomEffectsEstimate? re = null, RandomizationResult? r = null)
        {
            outcome.Add(o); quantity.Add(qn); method.Add(m); pairs.Add(k);
            est.Add(w?.Estimate); se.Add(w?.StdError); lo.Add(w?.CiLower); hi.Add(w?.CiUpper); p.Add(w?.PValue ?? r?.PValue);
            tau2.Add(re?.Tau2); i2.Add(re?.I2); q.Add(re?.Q); qp.Add(re?.QPValue); draws.Add(r?.Draws); exact.Add(r?.Exact);
        }
        void Pooled(string o, string qn, PooledResult r)
        {
            if (r.FixedEffect is null || r.RandomEffects is null) return;
            Add(o, qn, "fixedEffect", r.Pairs, r.FixedEffect);
            Add(o, qn, "randomEffects", r.Pairs, r.RandomEffects.Pooled, r.RandomEffects);
            Add(o, qn, "knappHartung", r.Pairs, r.RandomEffects.KnappHartung, r.RandomEffects);
            if (r.Randomization is { } rz) Add(o, qn, "randomization", r.Pairs, null, null, rz);
        }
        foreach (var name in programme.OutcomeOrder)
        {
            var o = programme.Outcomes[name];
            Pooled(name, "riskDifference", o.RiskDifference);
            if (o.Adjusted is { } a)
            {
                Pooled(name, "adjustedLogOdds", a.LogOdds);
                Pooled(name, "adjustedAtt", a.Att);
            }
        }
        return new DataFrame(
            new StringDataFrameColumn("outcome", outcome), new StringDataFrameColumn("quantity", quantity), new StringDataFrameColumn("method", method),
            new PrimitiveDataFrameColumn<int>("pairs", pairs),
            new PrimitiveDataFrameColumn<double>("estimate", est), new PrimitiveDataFrameColumn<double>("stdError", se),
            new PrimitiveDataFrameColumn<double>("ciLower", lo), new PrimitiveDataFrameColumn<double>("ciUpper", hi), new PrimitiveDataFrameColumn<double>("pValue", p),
            new PrimitiveDataFrameColumn<double>("tau2", tau2), new PrimitiveDataFrameColumn<double>("i2", i2),
            new PrimitiveDataFrameColumn<double>("q", q), new PrimitiveDataFrameColumn<double>("qPValue", qp),
            new PrimitiveDataFrameColumn<long>("draws", draws), new PrimitiveDataFrameColumn<bool>("exact", exact));
    }

    /// <summary>One row per pair × outcome test: the p-value and its Holm and Benjamini–Hochberg adjustments, for the risk-difference (<c>did</c>) and adjusted-model (<c>adjusted</c>) families.</summary>
    public static DataFrame ToAdjustedPValuesDataFrame(this ProgrammeResult programme)
    {
        ArgumentNullException.ThrowIfNull(programme);
        var rows = programme.Did.Select(a => ("did", a)).Concat(programme.Adjusted.Select(a => ("adjusted", a))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("family", rows.Select(r => r.Item1)), new StringDataFrameColumn("pair", rows.Select(r => r.a.Pair)),
            new StringDataFrameColumn("outcome", rows.Select(r => r.a.Outcome)),
            new PrimitiveDataFrameColumn<double>("pValue", rows.Select(r => r.a.PValue)),
            new PrimitiveDataFrameColumn<double>("pValueHolm", rows.Select(r => r.a.PValueHolm)),
            new PrimitiveDataFrameColumn<double>("pValueBH", rows.Select(r => r.a.PValueBH)));
    }
}

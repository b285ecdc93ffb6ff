using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Tool;

/// <summary>
/// The programme block of <c>journeys</c>, <c>referrals</c> and <c>aggregate</c> (docs/cli.md, "the programme block"):
/// the top-level <c>programme</c> object, each pair's Holm and BH p-values, and the plain-language text lines.
/// </summary>
internal static class ProgrammeOutput
{
    /// <summary>Adds <c>programme</c> and the pairs' adjusted p-values to a <c>journeys</c>/<c>referrals</c>/<c>aggregate</c> object.</summary>
    public static JsonObject With(JsonObject output, EvaluationResult result)
    {
        var programme = Programme.Analyse(result, new ProgrammeOptions { ConfidenceLevel = ConfidenceLevel(result) });
        foreach (var pairNode in output["pairs"]!.AsArray())
        {
            var pair = pairNode!.AsObject();
            var name = pair["name"]!.GetValue<string>();
            if (pair["outcomes"] is JsonObject outcomes)
                foreach (var (outcome, node) in outcomes)
                {
                    AddAdjustedP(node!["did"]!.AsObject(), programme.DidOf(name, outcome));
                    if (node["adjusted"] is JsonObject adjusted && programme.AdjustedOf(name, outcome) is { } a)
                    {
                        AddAdjustedP(adjusted, a);
                        var fit = result.Pairs.First(x => x.Name == name).Outcomes[outcome].Adjusted!.Model.Options;
                        adjusted["covariance"] = fit.Covariance == Regression.CovarianceType.Cluster ? "cluster:client" : fit.Covariance.ToString().ToLowerInvariant();
                    }
                }
            else AddAdjustedP(pair["did"]!.AsObject(), programme.DidOf(name, programme.OutcomeOrder[0]));
        }
        var block = new JsonObject();
        foreach (var name in programme.OutcomeOrder) block[name] = Outcome(programme.Outcomes[name]);
        output["programme"] = block;
        return output;
    }

    /// <summary>The programme block as text: per outcome, the plain-language line and the pooled blocks.</summary>
    public static string Text(EvaluationResult result)
    {
        var programme = Programme.Analyse(result, new ProgrammeOptions { ConfidenceLevel = ConfidenceLevel(result) });
        return "Programme level (pooled over pairs; risk difference in percentage points)\n" + programme + "\n";
    }

    private static double ConfidenceLevel(EvaluationResult result) =>
        result.Pairs.SelectMany(p => p.Outcomes.Values).Select(o => o.Did.RiskDifference.ConfidenceLevel).FirstOrDefault(DidEstimator.DefaultConfidenceLevel);

    private static void AddAdjustedP(JsonObject test, AdjustedPValue a)
    {
        test["pValueHolm"] = JsonOutput.Num(a.PValueHolm);
        test["pValueBH"] = JsonOutput.Num(a.PValueBH);
    }

    private static JsonObject Outcome(OutcomeProgramme o)
    {
        var block = Pooled(o.RiskDifference);
        block["summary"] = o.Summary();
        if (o.Adjusted is { } a)
        {
            var adjusted = Pooled(a.LogOdds);
            adjusted["att"] = new JsonObject { ["fixedEffect"] = Fixed(a.Att.FixedEffect), ["randomEffects"] = Random(a.Att.RandomEffects), ["pairs"] = a.Att.Pairs, ["warnings"] = JsonOutput.Warnings(a.Att.Warnings) };
            if (a.WildBootstrap is { } w)
                adjusted["wildBootstrap"] = w.Bootstrap is { } b
                    ? new JsonObject { ["pValue"] = JsonOutput.Num(b.PValue), ["draws"] = b.Draws, ["seed"] = b.Seed ?? 1, ["enumerated"] = b.Enumerated,
                                       ["weights"] = b.Weights, ["clusters"] = b.Clusters, ["statistic"] = JsonOutput.Num(b.Statistic) }
                    : new JsonObject { ["pValue"] = null, ["warning"] = w.Warning };
            block["adjusted"] = adjusted;
        }
        return block;
    }

    private static JsonObject Pooled(PooledResult p) => new()
    {
        ["pairs"] = p.Pairs,
        ["fixedEffect"] = Fixed(p.FixedEffect),
        ["randomEffects"] = Random(p.RandomEffects),
        ["randomization"] = p.Randomization is { } r ? new JsonObject
        {
            ["pValue"] = JsonOutput.Num(r.PValue), ["draws"] = r.Draws, ["exact"] = r.Exact,
            ["monteCarloError"] = JsonOutput.Num(r.MonteCarloError), ["seed"] = r.Seed,
        } : null,
        ["warnings"] = JsonOutput.Warnings(p.Warnings),
    };

    private static JsonObject? Fixed(WaldEstimate? e) => e is null ? null : JsonOutput.Did(e);

    private static JsonObject? Random(RandomEffectsEstimate? re)
    {
        if (re is null) return null;
        var o = JsonOutput.Did(re.Pooled);
        o["tau2"] = JsonOutput.Num(re.Tau2);
        o["i2"] = JsonOutput.Num(re.I2);
        o["q"] = JsonOutput.Num(re.Q);
        o["qPValue"] = JsonOutput.Num(re.QPValue);
        o["knappHartung"] = JsonOutput.Did(re.KnappHartung);
        return o;
    }
}

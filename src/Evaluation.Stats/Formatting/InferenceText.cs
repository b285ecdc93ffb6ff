using System.Globalization;
using System.Text;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Formatting;

/// <summary>The printed forms of the programme-level results (methodology §10), in the invariant culture.</summary>
internal static class InferenceText
{
    /// <summary>Fixed effect, random effects and randomization on one line each.</summary>
    internal static string Format(PooledResult r) => r.FixedEffect is null
        ? string.Join("; ", r.Warnings)
        : $"fixed effect {r.FixedEffect}\nrandom effects {r.RandomEffects}" + (r.Randomization is null ? "" : $"\nrandomization {r.Randomization}")
          + (r.Warnings.Count > 0 ? $"\n[{string.Join("; ", r.Warnings)}]" : "");

    /// <summary>The plain-language line of one outcome (see <see cref="OutcomeProgramme.Summary"/>).</summary>
    internal static string Summary(OutcomeProgramme o)
    {
        var inv = CultureInfo.InvariantCulture;
        if (o.RiskDifference.RandomEffects is not { } re || o.RiskDifference.FixedEffect is not { } fe)
            return $"{o.Outcome}: no pooled estimate ({string.Join("; ", o.RiskDifference.Warnings)})";
        var hk = re.KnappHartung;
        var sb = new StringBuilder(string.Create(inv,
            $"{o.Outcome}: pooled over {o.RiskDifference.Pairs} pairs: {Points(hk.Estimate)} points ({100 * hk.ConfidenceLevel:0.##}% CI {Points(hk.CiLower)} to {Points(hk.CiUpper)}; p = {P(hk.PValue)})"));
        if (o.RiskDifference.Randomization is { } r)
            sb.Append(string.Create(inv, $"; randomization p = {r.PValue:0.00} ({(r.Exact ? $"exact, {r.Draws} sign flips" : $"Monte Carlo, {r.Draws} draws")})"));
        sb.Append(string.Create(inv, $"; fixed effect {Points(fe.Estimate)} (CI {Points(fe.CiLower)} to {Points(fe.CiUpper)}); I² = {re.I2:0}%"));
        return sb.ToString();
    }

    private static string P(double? p) => p is double x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "undefined";

    private static string Points(double fraction) => (100 * fraction).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>The summary line, then the pooled blocks.</summary>
    internal static string Format(OutcomeProgramme o)
    {
        var sb = new StringBuilder(Summary(o)).AppendLine();
        sb.AppendLine("  risk difference: " + Indent(o.RiskDifference.ToString()));
        if (o.Adjusted is { } adjusted)
        {
            sb.AppendLine("  adjusted log-odds: " + Indent(adjusted.LogOdds.ToString()));
            sb.AppendLine("  adjusted ATT: " + Indent(adjusted.Att.ToString()));
            if (adjusted.WildBootstrap is { } w) sb.AppendLine("  pooled record-level model, common pilot:post: " + (w.Bootstrap?.ToString() ?? w.Warning));
        }
        return sb.ToString();
    }

    private static string Indent(string s) => s.Replace("\n", "\n    ");

    /// <summary>Each outcome's summary and pooled blocks, then the multiplicity-adjusted pair tests.</summary>
    internal static string Format(ProgrammeResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        foreach (var o in r.OutcomeOrder) sb.Append(r.Outcomes[o]);
        sb.AppendLine(string.Create(inv, $"pair tests adjusted for multiplicity over the run's {r.Did.Count(d => d.PValue is not null)} risk-difference tests (Holm; Benjamini-Hochberg):"));
        foreach (var d in r.Did)
            sb.AppendLine(string.Create(inv, $"  {d.Outcome} {d.Pair}: p {PValueText.Format(d.PValue)}, Holm {PValueText.Format(d.PValueHolm)}, BH {PValueText.Format(d.PValueBH)}"));
        return sb.ToString();
    }
}

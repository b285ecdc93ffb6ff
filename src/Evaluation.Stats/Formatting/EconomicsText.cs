using System.Globalization;
using System.Text;
using Evaluation.Stats.Economics;

namespace Evaluation.Stats.Formatting;

/// <summary>The printed forms of the economics results (methodology §12), in the invariant culture.</summary>
internal static class EconomicsText
{
    /// <summary>Table 7.10's rows by pair, in £k, then the bounds, intervals and warnings.</summary>
    internal static string Format(EconomicsResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var pairs = r.Pairs;
        if (pairs.Count == 0) return "No pairs." + Environment.NewLine;
        int years = pairs.Max(p => p.Costs?.ByYear.Count ?? 0);
        string Row(string label, Func<PairEconomics, string> cell) =>
            $"{label,-34}" + string.Concat(pairs.Select(p => $" {cell(p),10}")) + Environment.NewLine;
        static string K(double? pounds) => pounds is double x ? (x / 1000).ToString("N0", CultureInfo.InvariantCulture) : "-";
        static string N(double? x, string format) => x is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

        sb.AppendLine("Site level estimates of costs and benefits (Table 7.10 layout; money in £k, rounded)");
        sb.Append(Row("", p => p.Name));
        sb.AppendLine("Costs (£k)");
        for (int y = 0; y < years; y++)
            sb.Append(Row($"  Year {y + 1}", p => p.Costs is { } c && y < c.ByYear.Count ? K(c.ByYear[y]) : "-"));
        sb.Append(Row("  Total", p => K(p.Costs?.Total)));
        sb.AppendLine("Benefits (change in)");
        sb.Append(Row("  Numbers in effective treatment", p => N(p.People.EffectiveTreatment, "+0;-0;0")));
        sb.Append(Row("  Successful completions", p => N(p.People.SuccessfulCompletion, "+0;-0;0")));
        sb.AppendLine(inv, $"Value of benefits (£k; £{r.UnitValues.EffectiveTreatment:N0} a client in effective treatment, £{r.UnitValues.SuccessfulCompletion:N0} a successful completion)");
        sb.Append(Row("  Number in effective treatment", p => K(p.Benefits.EffectiveTreatment)));
        sb.Append(Row("  Successful completions", p => K(p.Benefits.SuccessfulCompletion)));
        sb.Append(Row("  Total benefits", p => K(p.Benefits.Total)));
        sb.Append(Row("Net benefit", p => K(p.NetBenefit)));
        sb.Append(Row("Benefits: Costs", p => N(p.Ratio, "0.0")));
        sb.Append(Row("Net benefit: Costs", p => N(p.NetRatio, "0.0")));
        sb.AppendLine(inv, $"Sensitivity analysis - benefits @ {100 * r.Options.BenefitScale:0.##}%");
        sb.Append(Row("  Value of benefits (£k)", p => K(p.Sensitivity.Total)));
        sb.Append(Row("  Benefits: costs", p => N(p.Sensitivity.Ratio, "0.0")));
        if (pairs.Any(p => p.AtLowerBounds is not null))
        {
            sb.AppendLine(inv, $"Every DiD at its {100 * r.Options.ConfidenceLevel:0.##}% confidence bound");
            sb.Append(Row("  Total benefits, lower (£k)", p => K(p.AtLowerBounds?.TotalBenefits)));
            sb.Append(Row("  Total benefits, upper (£k)", p => K(p.AtUpperBounds?.TotalBenefits)));
            sb.Append(Row("  Benefits: costs, lower", p => N(p.AtLowerBounds?.Ratio, "0.0")));
            sb.Append(Row("  Benefits: costs, upper", p => N(p.AtUpperBounds?.Ratio, "0.0")));
        }
        if (pairs.FirstOrDefault(p => p.Interval is not null)?.Interval is { } first)
        {
            sb.AppendLine(inv, $"Monte Carlo {100 * first.Level:0.##}% interval ({first.Draws:N0} draws, seed {first.Seed})");
            sb.Append(Row("  Net benefit, lower (£k)", p => K(p.Interval?.NetBenefitLower)));
            sb.Append(Row("  Net benefit, upper (£k)", p => K(p.Interval?.NetBenefitUpper)));
            sb.Append(Row("  Benefits: costs, lower", p => N(p.Interval?.RatioLower, "0.0")));
            sb.Append(Row("  Benefits: costs, upper", p => N(p.Interval?.RatioUpper, "0.0")));
            sb.Append(Row("  P(net benefit > 0)", p => N(p.Interval?.ProbabilityNetPositive, "0.000")));
        }
        foreach (var p in pairs)
            foreach (var w in p.Warnings)
                sb.AppendLine(inv, $"warning: {p.Name}: {w}");
        return sb.ToString();
    }

    /// <summary>One pair on one line: people, benefits, costs, net benefit and ratio (pounds), and any warnings.</summary>
    internal static string Format(PairEconomics p)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"{p.Name}: people {p.People.EffectiveTreatment:+0.0;-0.0;0} in effective treatment, {p.People.SuccessfulCompletion:+0.0;-0.0;0} completions; ")
            + string.Create(inv, $"benefits {p.Benefits.Total:N0}; costs {(p.Costs is null ? "none" : p.Costs.Total.ToString("N0", inv))}; ")
            + string.Create(inv, $"net {(p.NetBenefit is double n ? n.ToString("N0", inv) : "-")}; ratio {(p.Ratio is double r ? r.ToString("0.0", inv) : "-")}")
            + (p.Warnings.Count > 0 ? $" [{string.Join("; ", p.Warnings)}]" : "");
    }

    /// <summary>The unit values in the layout of Table C6.1 (pounds, rounded to whole pounds), then the totals.</summary>
    internal static string Format(UnitValues u)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("Harm reduction estimates and the returns from treatment (Table C6.1 layout; pounds)");
        sb.AppendLine(inv, $"{"Year",4} {"No treat",9} {"Recovery",9} {"No recov.",9} {"Wtd av.",9} {"Short term",10} {"Disc. value",11} {"Long term",9} {"Disc. abstain",13} {"Expected",9} {"Disc. cost",10}");
        foreach (var y in u.Years)
            sb.AppendLine(inv, $"{y.Year,4} {y.NoTreatment,9:N0} {y.Recovery,9:N0} {y.NoRecovery,9:N0} {y.Weighted,9:N0} {y.ShortTermValue,10:N0} {y.ShortTermDiscounted,11:N0} {y.LongTermValue,9:N0} {y.RecoveryDiscounted,13:N0} {y.Expected,9:N0} {y.CostDiscounted,10:N0}");
        sb.AppendLine(inv, $"{"PV",4} {"",9} {"",9} {"",9} {"",9} {"",10} {u.EffectiveTreatment,11:N0} {"",9} {u.Recovery,13:N0} {u.SuccessfulCompletion,9:N0} {u.TreatmentCost,10:N0}");
        sb.AppendLine(inv, $"Unit values: effective treatment {u.EffectiveTreatment:N0}; successful completion {u.SuccessfulCompletion:N0}; recovery {u.Recovery:N0}; treatment cost {u.TreatmentCost:N0}; short-term net {u.NetShortTerm:N0}");
        sb.AppendLine(inv, $"Parameters: {u.Parameters}");
        return sb.ToString();
    }
}

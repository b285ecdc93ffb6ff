using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Indicators;

namespace Evaluation.Stats.Formatting;

/// <summary>The printed forms of the indicator results (methodology §13), in the invariant culture.</summary>
internal static class IndicatorText
{
    /// <summary>A pair's time-in-treatment cells and DiDs.</summary>
    internal static string Format(TimeInTreatmentResult r)
    {
        var sb = new StringBuilder(r.Pair + ": ");
        sb.Append(string.Join("; ", r.Cells.Select(c => $"{c.Key} {c.Value.Days}, 2+ years {c.Value.OverTwoYears}")));
        sb.Append($"; DiD of mean days {(r.MeanDid?.ToString() ?? "undefined")}; DiD of 2+ years {(r.OverTwoYearsDid?.RiskDifference.ToString() ?? "undefined")}");
        return sb.ToString();
    }

    /// <summary>A pair's waiting-time cells and DiDs.</summary>
    internal static string Format(WaitingTimesResult r) =>
        r.Pair + ": " + string.Join("; ", r.Cells.Select(c => $"{c.Key} {c.Value.Waits}, " + string.Join(", ", c.Value.Over.Select((o, k) => string.Create(CultureInfo.InvariantCulture, $"over {r.Thresholds[k]} days {o}")))))
        + "; " + string.Join("; ", r.OverDid.Select((d, k) => string.Create(CultureInfo.InvariantCulture, $"DiD over {r.Thresholds[k]} days {(d?.RiskDifference.ToString() ?? "undefined")}")));

    /// <summary>Every indicator as text, then the ledger.</summary>
    internal static string Format(IndicatorResult r)
    {
        var sb = new StringBuilder();
        foreach (var outcome in r.Representation.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())
        {
            sb.AppendLine(outcome);
            sb.AppendLine(DidTable.Format(r.Representation.Pairs.Select(p => p.Outcomes[outcome].Did)));
        }
        sb.AppendLine(IndicatorNames.TimeInTreatment);
        foreach (var t in r.TimeInTreatment) sb.AppendLine("  " + t);
        sb.AppendLine(IndicatorNames.WaitingTimes);
        foreach (var w in r.WaitingTimes) sb.AppendLine("  " + w);
        foreach (var (name, results) in r.Top)
        {
            sb.AppendLine(name);
            foreach (var p in results)
                sb.AppendLine($"  {p.Pair}: " + string.Join("; ", p.Cells.Named().Select(c => $"{c.Name} {c.Cell}")) +
                              $"; DiD {(p.Did?.RiskDifference.ToString() ?? "undefined: " + string.Join("; ", p.Warnings))}");
        }
        sb.AppendLine("Exclusions");
        sb.Append(r.Exclusions);
        return sb.ToString();
    }
}

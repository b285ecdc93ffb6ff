using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Trends;

namespace Evaluation.Stats.Formatting;

/// <summary>The printed forms of the trend results (methodology §11): series tables, event studies and the checks.</summary>
internal static class TrendText
{
    /// <summary>The series as one table per pair: new journeys, in treatment and each outcome's events/n by interval and arm.</summary>
    internal static string Format(TrendSeries s)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        static string C(Cell? c) => c?.ToString() ?? "undefined";
        for (int p = 0; p < s.Pairs.Count; p++)
        {
            sb.AppendLine($"{s.Pairs[p]}: series by {TrendIntervals.Name(s.Kind)}");
            var rows = new List<string[]> { new[] { "interval", "phase", "arm", "new", "in treatment", "effective", "completed", "completed/caseload" } };
            foreach (var x in s.ForPair(p))
                rows.Add([x.Interval.Name, x.Interval.Phase.ToString().ToLowerInvariant(), x.Arm == Group.Pilot ? "pilot" : "comparison",
                    x.NewJourneys.ToString("N0", inv), x.InTreatment.ToString("N0", inv), C(x.EffectiveTreatment), C(x.SuccessfulCompletion), C(x.SuccessfulCompletionOfCaseload)]);
            sb.Append(TextTable.Format(rows));
        }
        foreach (var w in s.Warnings) sb.AppendLine($"Warning: {w}");
        return sb.ToString();
    }

    /// <summary>An event study's coefficients as a table.</summary>
    internal static string Format(EventStudy es)
    {
        var rows = new List<string[]> { new[] { "interval", "delta", "SE", "CI" } };
        foreach (var c in es.Coefficients)
            rows.Add([c.Interval.Name, c.IsReference ? "0 (reference)" : F(c.Estimate), F(c.StdError), c.CiLower is null ? "" : $"{F(c.CiLower)} to {F(c.CiUpper)}"]);
        return TextTable.Format(rows);
    }

    private static string F(double? x) => x is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The series, then each pair's checks, then the ledger.</summary>
    internal static string Format(TrendAnalysis a)
    {
        var sb = new StringBuilder();
        sb.Append(a.Series);
        foreach (var p in a.Pairs)
            foreach (var o in p.Outcomes.Values)
            {
                sb.AppendLine($"{p.Name}, {o.Outcome}:");
                sb.AppendLine($"  pre-trend: {(o.PreTrend?.ToString() ?? "absent")}");
                sb.AppendLine($"  placebo DiD ({a.PlaceboPre} against {a.PlaceboPost}): {(o.Placebo?.RiskDifference.ToString() ?? "absent")}");
                if (o.EventStudy is { } es) sb.Append("  event study (reference ").Append(es.Reference.Name).AppendLine("):").Append(es);
                foreach (var w in o.Warnings) sb.AppendLine($"  note: {w}");
            }
        sb.AppendLine("Exclusions").Append(a.Exclusions);
        return sb.ToString();
    }
}

/// <summary>Fixed-width text tables (first column left-aligned, the rest right-aligned).</summary>
internal static class TextTable
{
    public static string Format(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        return sb.ToString();
    }
}


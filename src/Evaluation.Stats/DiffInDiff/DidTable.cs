using System.Globalization;
using System.Text;

namespace Evaluation.Stats.DiffInDiff;

/// <summary>
/// One row of a multi-pair DiD table in the layout of the report's Tables 6.1 to 6.4: n and % per cell,
/// the change in each area, DiD, CI and p. Percentages and changes are in percentage points here, for reading;
/// the underlying <see cref="DidResult"/> holds fractions.
/// </summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="PilotPreN">n of the pilot's pre cell.</param>
/// <param name="PilotPrePercent">% of the pilot's pre cell.</param>
/// <param name="PilotPostN">n of the pilot's post cell.</param>
/// <param name="PilotPostPercent">% of the pilot's post cell.</param>
/// <param name="PilotChangePercentagePoints">The pilot's change, percentage points.</param>
/// <param name="ComparisonPreN">n of the comparison's pre cell.</param>
/// <param name="ComparisonPrePercent">% of the comparison's pre cell.</param>
/// <param name="ComparisonPostN">n of the comparison's post cell.</param>
/// <param name="ComparisonPostPercent">% of the comparison's post cell.</param>
/// <param name="ComparisonChangePercentagePoints">The comparison's change, percentage points.</param>
/// <param name="DidPercentagePoints">The DiD, percentage points.</param>
/// <param name="CiLowerPercentagePoints">The CI's lower end, percentage points.</param>
/// <param name="CiUpperPercentagePoints">The CI's upper end, percentage points.</param>
/// <param name="PValue">The two-sided p-value; <c>null</c> when undefined.</param>
public sealed record DidTableRow(string Pair,
    long PilotPreN, double PilotPrePercent, long PilotPostN, double PilotPostPercent, double PilotChangePercentagePoints,
    long ComparisonPreN, double ComparisonPrePercent, long ComparisonPostN, double ComparisonPostPercent, double ComparisonChangePercentagePoints,
    double DidPercentagePoints, double CiLowerPercentagePoints, double CiUpperPercentagePoints, double? PValue)
{
    /// <summary>The row of <paramref name="result"/>.</summary>
    public static DidTableRow From(DidResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Cells;
        var rd = result.RiskDifference;
        return new DidTableRow(result.Pair,
            c.PilotPre.N, 100 * c.PilotPre.Proportion, c.PilotPost.N, 100 * c.PilotPost.Proportion, 100 * result.PilotChange,
            c.ComparisonPre.N, 100 * c.ComparisonPre.Proportion, c.ComparisonPost.N, 100 * c.ComparisonPost.Proportion, 100 * result.ComparisonChange,
            100 * rd.Estimate, 100 * rd.CiLower, 100 * rd.CiUpper, rd.PValue);
    }
}

/// <summary>Formats several pairs' DiD results as one report-style table.</summary>
public static class DidTable
{
    /// <summary>The rows of a table, one per result, in order.</summary>
    public static IReadOnlyList<DidTableRow> Rows(IEnumerable<DidResult> results) => results.Select(DidTableRow.From).ToArray();

    /// <summary>The table as fixed-width text, percentages to one decimal place, with any warnings below it.</summary>
    public static string Format(IEnumerable<DidResult> results)
    {
        var list = results.ToList();
        var inv = CultureInfo.InvariantCulture;
        string[] header = ["pair", "pilot pre n", "%", "pilot post n", "%", "change", "comp pre n", "%", "comp post n", "%", "change", "DiD", $"{100 * (list.Count > 0 ? list[0].RiskDifference.ConfidenceLevel : 0.95):0.##}% CI", "p"];
        var table = new List<string[]> { header };
        foreach (var r in Rows(list))
            table.Add([r.Pair,
                r.PilotPreN.ToString("N0", inv), r.PilotPrePercent.ToString("0.0", inv), r.PilotPostN.ToString("N0", inv), r.PilotPostPercent.ToString("0.0", inv), r.PilotChangePercentagePoints.ToString("+0.0;-0.0;0.0", inv),
                r.ComparisonPreN.ToString("N0", inv), r.ComparisonPrePercent.ToString("0.0", inv), r.ComparisonPostN.ToString("N0", inv), r.ComparisonPostPercent.ToString("0.0", inv), r.ComparisonChangePercentagePoints.ToString("+0.0;-0.0;0.0", inv),
                r.DidPercentagePoints.ToString("+0.0;-0.0;0.0", inv), $"{r.CiLowerPercentagePoints.ToString("0.0", inv)} to {r.CiUpperPercentagePoints.ToString("0.0", inv)}",
                PValueText.Format(r.PValue)]);
        var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in table)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        foreach (var w in list.SelectMany(r => r.Warnings.Select(x => $"  note ({r.Pair}): {x}")))
            sb.AppendLine(w);
        return sb.ToString();
    }
}

using System.Globalization;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Reporting.Charts;

/// <summary>
/// A forest plot of one outcome: each pair's risk-difference DiD with its confidence interval, and below them the
/// pooled fixed-effect and random-effects (Knapp–Hartung interval) estimates, in percentage points, with a line at 0.
/// </summary>
public static class ForestPlotChart
{
    /// <summary>Renders the forest plot of <paramref name="outcome"/>.</summary>
    /// <param name="result">The evaluation, for the pairs' DiDs.</param>
    /// <param name="programme">Its programme-level result (<see cref="Programme.Analyse"/>), for the pooled rows.</param>
    /// <param name="outcome">The outcome's contract name.</param>
    /// <param name="format">PNG or SVG.</param>
    /// <param name="width">Width in pixels (at least 50).</param>
    /// <param name="height">Height in pixels (at least 50).</param>
    /// <exception cref="ArgumentException">When the outcome is not in the evaluation.</exception>
    public static ChartImage Render(EvaluationResult result, ProgrammeResult programme, string outcome, ChartFormat format = ChartFormat.Png, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(programme);
        if (!programme.Outcomes.TryGetValue(outcome, out var pooled))
            throw new ArgumentException($"Outcome '{outcome}' is not in the programme result ({string.Join(", ", programme.OutcomeOrder)}).", nameof(outcome));
        var rows = Rows(result, pooled);
        var plot = new ScottPlot.Plot();
        var labels = new string[rows.Count];
        var positions = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var (label, estimate, lo, hi, isPooled) = rows[i];
            double y = rows.Count - i; // top to bottom in list order
            positions[i] = y;
            labels[i] = label;
            var line = plot.Add.Line(100 * lo, y, 100 * hi, y);
            line.LineWidth = isPooled ? 3 : 1.5f;
            var marker = plot.Add.Marker(100 * estimate, y);
            marker.Shape = isPooled ? ScottPlot.MarkerShape.FilledDiamond : ScottPlot.MarkerShape.FilledSquare;
            marker.Size = isPooled ? 14 : 9;
        }
        plot.Add.VerticalLine(0);
        plot.Axes.Left.SetTicks(positions, labels);
        plot.Axes.SetLimitsY(0.3, rows.Count + 0.7);
        plot.XLabel("DiD, percentage points (95% CI)");
        plot.Title($"{outcome}: pair DiDs and pooled estimates");
        return ChartImage.Render($"forest-{outcome}", plot, format, width, height);
    }

    /// <summary>The plotted rows: each pair, then the pooled fixed-effect and random-effects estimates (fractions).</summary>
    internal static List<(string Label, double Estimate, double CiLower, double CiUpper, bool Pooled)> Rows(EvaluationResult result, OutcomeProgramme pooled)
    {
        var rows = result.Pairs.Where(p => p.Outcomes.ContainsKey(pooled.Outcome))
            .Select(p => p.Outcomes[pooled.Outcome].Did.RiskDifference is var rd ? (p.Name, rd.Estimate, rd.CiLower, rd.CiUpper, false) : default)
            .ToList();
        if (pooled.RiskDifference.FixedEffect is { } fe) rows.Add(("fixed effect", fe.Estimate, fe.CiLower, fe.CiUpper, true));
        if (pooled.RiskDifference.RandomEffects is { } re)
            rows.Add((string.Create(CultureInfo.InvariantCulture, $"random effects (I² {re.I2:0}%)"), re.KnappHartung.Estimate, re.KnappHartung.CiLower, re.KnappHartung.CiUpper, true));
        return rows;
    }
}

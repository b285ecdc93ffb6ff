using Evaluation.Stats.Indicators;

namespace Evaluation.Stats.Reporting.Charts;

/// <summary>
/// A funnel plot of one proportion indicator in one window: each pair's cells as points (n across, proportion up),
/// the benchmark as a line, and the 95% and 99.8% limits (<see cref="Proportions.Funnel"/>) as curves over n.
/// </summary>
public static class FunnelChart
{
    /// <summary>Renders the funnel of <paramref name="indicator"/> for the cells whose name ends with <paramref name="period"/> (<c>Pre</c> or <c>Post</c>).</summary>
    /// <exception cref="ArgumentException">When no point matches, or the points of the window have different benchmarks.</exception>
    public static ChartImage Render(IReadOnlyList<FunnelPoint> points, string indicator, string period, ChartFormat format = ChartFormat.Svg, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(points);
        var mine = points.Where(p => p.Indicator == indicator && p.Cell.EndsWith(period, StringComparison.Ordinal)).ToList();
        if (mine.Count == 0) throw new ArgumentException($"No funnel point of '{indicator}' in period '{period}'.", nameof(indicator));
        double benchmark = mine[0].Limits.Benchmark;
        if (mine.Any(p => p.Limits.Benchmark != benchmark)) throw new ArgumentException("The points of one funnel must share a benchmark.", nameof(points));
        var plot = new ScottPlot.Plot();
        long maxN = mine.Max(p => p.Value.N);
        var ns = Enumerable.Range(0, 200).Select(i => Math.Max(1.0, Math.Round(Math.Pow(maxN * 1.1, i / 199.0)))).Distinct().ToArray();
        var limits = ns.Select(n => Proportions.Funnel((long)n, benchmark)).ToArray();
        void Curve(Func<FunnelLimits, double> f, ScottPlot.Color color, string? label, ScottPlot.LinePattern pattern)
        {
            var s = plot.Add.ScatterLine(ns, limits.Select(f).ToArray(), color);
            s.LinePattern = pattern;
            if (label is not null) s.LegendText = label;
        }
        Curve(l => l.Upper95, ScottPlot.Colors.Orange, "95% limits", ScottPlot.LinePattern.Dashed);
        Curve(l => l.Lower95, ScottPlot.Colors.Orange, null, ScottPlot.LinePattern.Dashed);
        Curve(l => l.Upper998, ScottPlot.Colors.Red, "99.8% limits", ScottPlot.LinePattern.Dotted);
        Curve(l => l.Lower998, ScottPlot.Colors.Red, null, ScottPlot.LinePattern.Dotted);
        var line = plot.Add.HorizontalLine(benchmark, color: ScottPlot.Colors.Gray);
        line.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"benchmark {100 * benchmark:0.0}%");
        foreach (var group in mine.GroupBy(p => p.Cell.StartsWith("pilot", StringComparison.Ordinal)))
        {
            var s = plot.Add.ScatterPoints(group.Select(p => (double)p.Value.N).ToArray(), group.Select(p => p.Value.Proportion).ToArray(),
                group.Key ? ScottPlot.Colors.Blue : ScottPlot.Colors.Green);
            s.MarkerSize = 8;
            s.LegendText = group.Key ? "pilot areas" : "comparison areas";
        }
        foreach (var p in mine)
            plot.Add.Text(p.Pair, p.Value.N, p.Value.Proportion).LabelFontSize = 10;
        plot.Title($"{indicator} ({period.ToLowerInvariant()} window)");
        plot.XLabel("n (denominator)");
        plot.YLabel("proportion");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight); // the cells sit at large n near the benchmark, where the default lower-right legend would hide them
        return ChartImage.Render($"funnel-{indicator}-{period.ToLowerInvariant()}", plot, format, width, height);
    }
}

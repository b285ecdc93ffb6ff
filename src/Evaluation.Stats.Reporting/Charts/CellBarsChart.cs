using Evaluation.Stats.DiffInDiff;
using MathNet.Numerics.Distributions;
using ScottPlot;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The four cells of every pair of one outcome as bars (percent with the outcome), each with its confidence interval:
/// pilot pre and post in blue, comparison pre and post in orange, light before and dark after, so that a DiD reads as
/// the dark blue bar rising more (or less) over its light one than the dark orange over its light one.
/// </summary>
/// <remarks>
/// A cell's interval is the normal one, <c>p ± z·sqrt(p(1 − p)/n)</c>, clipped to 0–100%: the same per-cell variance
/// that the risk-difference DiD's standard error sums (methodology §5), so the chart and the DiD agree on what is noise.
/// </remarks>
public static class CellBarsChart
{
    /// <summary>Fill colours of the four cells, in <see cref="PairCells.Named"/> order (pilot pre, pilot post, comparison pre, comparison post).</summary>
    public static IReadOnlyList<string> CellColours { get; } = ["#9ecae1", "#08519c", "#fdbe85", "#a63603"];

    /// <summary>Renders the cells of <paramref name="outcome"/> for every pair of <paramref name="result"/> that has it.</summary>
    /// <param name="result">An evaluation.</param>
    /// <param name="outcome">The outcome's contract name, for example <c>effectiveTreatment</c>.</param>
    /// <param name="format">PNG or SVG.</param>
    /// <param name="width">Pixels, at least 50.</param>
    /// <param name="height">Pixels, at least 50.</param>
    /// <exception cref="ArgumentException">When no pair has the outcome.</exception>
    public static ChartImage Render(EvaluationResult result, string outcome, ChartFormat format = ChartFormat.Png, int width = 900, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(outcome);
        var dids = result.Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).Select(p => p.Outcomes[outcome].Did).ToArray();
        if (dids.Length == 0)
            throw new ArgumentException($"No pair has the outcome '{outcome}'; the outcomes are {string.Join(", ", result.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())}.", nameof(outcome));
        return Render(dids, $"cells-{outcome}", outcome, format, width, height);
    }

    /// <summary>Renders the cells of the given DiDs (one group of four bars per pair).</summary>
    /// <param name="results">The DiDs, one per pair; at least one.</param>
    /// <param name="name">The image's name (its file name stem).</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="format">PNG or SVG.</param>
    /// <param name="width">Pixels, at least 50.</param>
    /// <param name="height">Pixels, at least 50.</param>
    public static ChartImage Render(IEnumerable<DidResult> results, string name, string title, ChartFormat format = ChartFormat.Png, int width = 900, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var list = results.ToArray();
        if (list.Length == 0) throw new ArgumentException("A cell chart needs at least one pair.", nameof(results));
        return ChartImage.Render(name, Build(list, title), format, width, height);
    }

    /// <summary>The interval of one cell, in percent, clipped to 0–100.</summary>
    internal static (double Lower, double Upper) Interval(Cell cell, double confidenceLevel)
    {
        double z = Normal.InvCDF(0, 1, 0.5 + confidenceLevel / 2);
        double p = cell.Proportion, half = z * Math.Sqrt(p * (1 - p) / cell.N);
        return (100 * Math.Max(0, p - half), 100 * Math.Min(1, p + half));
    }

    private static Plot Build(DidResult[] results, string title)
    {
        var plot = new Plot();
        var colours = CellColours.Select(Color.FromHex).ToArray();
        var ticks = new List<Tick>();
        var bars = new List<Bar>();
        double level = results[0].RiskDifference.ConfidenceLevel;
        for (int k = 0; k < results.Length; k++)
        {
            var cells = results[k].Cells.Named().ToArray();
            for (int j = 0; j < 4; j++)
            {
                // Groups of four bars with a one-bar gap between pairs.
                double x = 5 * k + j;
                var cell = cells[j].Cell;
                bars.Add(new Bar { Position = x, Value = 100 * cell.Proportion, FillColor = colours[j], LineWidth = 0, Size = 0.9 });
                var (lo, hi) = Interval(cell, level);
                var whisker = plot.Add.Line(x, lo, x, hi);
                whisker.Color = Colors.Black;
                whisker.LineWidth = 1.5f;
                foreach (var y in new[] { lo, hi })
                {
                    var cap = plot.Add.Line(x - 0.2, y, x + 0.2, y);
                    cap.Color = Colors.Black;
                    cap.LineWidth = 1.5f;
                }
            }
            ticks.Add(new Tick(5 * k + 1.5, results[k].Pair));
        }
        // Bars first (behind the whiskers added above them in the plot's order).
        plot.MoveToBack(plot.Add.Bars(bars));
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        // Room above the bars for the legend, so that it never hides a bar or a whisker.
        double top = results.SelectMany(r => r.Cells.Named()).Max(c => Interval(c.Cell, level).Upper);
        plot.Axes.SetLimitsY(0, top + Math.Max(12, 0.18 * top));
        plot.Axes.SetLimitsX(-1, 5 * results.Length - 1);
        plot.Title(title);
        plot.YLabel(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"% with the outcome ({100 * level:0.##}% CI)"));
        string[] labels = ["pilot pre", "pilot post", "comparison pre", "comparison post"];
        for (int j = 0; j < 4; j++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = labels[j], FillColor = colours[j] });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperCenter;
        plot.Legend.Orientation = Orientation.Horizontal;
        return plot;
    }
}

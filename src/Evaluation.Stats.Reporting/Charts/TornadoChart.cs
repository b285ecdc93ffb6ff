using Evaluation.Stats.Economics;
using ScottPlot;

namespace Evaluation.Stats.Reporting.Charts;

/// <summary>
/// A tornado chart of one-way sensitivities (<see cref="SensitivityAnalysis"/>): one horizontal bar per input, widest
/// at the top, running from the base value of the output to its value with the input at the low end (one colour) and
/// at the high end (the other), with a vertical line at the base.
/// </summary>
public static class TornadoChart
{
    /// <summary>The colour of the part of a bar for the input's low end.</summary>
    public static readonly Color LowColor = Color.FromHex("#1f77b4");

    /// <summary>The colour of the part of a bar for the input's high end.</summary>
    public static readonly Color HighColor = Color.FromHex("#ff7f0e");

    /// <summary>Renders the chart.</summary>
    /// <param name="analysis">The sensitivities.</param>
    /// <param name="format">PNG or SVG.</param>
    /// <param name="width">Width in pixels, at least 50.</param>
    /// <param name="height">Height in pixels, at least 50.</param>
    /// <param name="name">The file name stem; by default <c>tornado-</c> and the subject, made safe for a file name.</param>
    public static ChartImage Render(SensitivityAnalysis analysis, ChartFormat format = ChartFormat.Png, int width = 900, int height = 500, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return ChartImage.Render(name ?? FileStem(analysis.Subject), Plot(analysis), format, width, height);
    }

    /// <summary>The file name stem for a subject: <c>tornado-</c> and its letters and digits, other characters as '-'.</summary>
    public static string FileStem(string subject) =>
        "tornado-" + new string((subject ?? "").Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    private static Plot Plot(SensitivityAnalysis analysis)
    {
        var plot = new Plot();
        int count = analysis.Bars.Count;
        var bars = new List<Bar>();
        var positions = new double[count];
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            var b = analysis.Bars[i];
            double position = count - 1 - i; // widest at the top
            positions[i] = position;
            labels[i] = $"{b.Label} [{Short(b.LowInput)} to {Short(b.HighInput)}]";
            bars.Add(new Bar { Position = position, ValueBase = analysis.Base, Value = b.OutputAtLow, FillColor = LowColor, Size = 0.6 });
            bars.Add(new Bar { Position = position, ValueBase = analysis.Base, Value = b.OutputAtHigh, FillColor = HighColor, Size = 0.6 });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        var line = plot.Add.VerticalLine(analysis.Base);
        line.Color = Colors.Black;
        line.LineWidth = 1;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Title($"{analysis.Subject}: one-way sensitivity of the {analysis.Output}");
        plot.XLabel(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{analysis.Output}; base {analysis.Base:N0}"));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "input at its low end", FillColor = LowColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "input at its high end", FillColor = HighColor });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.LowerRight;
        return plot;
    }

    private static string Short(double x) => Math.Abs(x) >= 1000 ? x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
        : x.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Trends;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// Charts of the time results (methodology §11), drawn with ScottPlot 5: each measure's series by arm with the pre and
/// post windows shaded and the pilot start marked, and the event-study coefficients with their confidence intervals.
/// </summary>
public static class TrendCharts
{
    /// <summary>The measures a series chart can show: new journeys, in treatment, and the three outcomes (as proportions).</summary>
    public static IReadOnlyList<string> Measures { get; } =
        [TrendSeries.NewJourneys, TrendSeries.InTreatment, .. TrendSeries.Outcomes];

    /// <summary>
    /// One pair's series of one measure: a line per arm at each interval's first day (points where the measure is
    /// undefined or n = 0 are left out), the pre and post windows shaded, and the pilot start (the day after the pre
    /// window ends) marked with a dashed line. Named <c>series-{pair}-{measure}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">When the pair index or the measure is unknown.</exception>
    public static ChartImage Series(TrendSeries series, StudyDesign windows, int pair, string measure, ChartFormat format = ChartFormat.Png, int width = 800, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(windows);
        if (pair < 0 || pair >= series.Pairs.Count) throw new ArgumentException($"No pair {pair}: the series has {series.Pairs.Count}.", nameof(pair));
        if (!Measures.Contains(measure)) throw new ArgumentException($"Unknown measure '{measure}': use one of {string.Join(", ", Measures)}.", nameof(measure));
        var plot = new ScottPlot.Plot();
        Shade(plot, windows);
        var points = series.ForPair(pair).ToArray();
        foreach (var arm in new[] { Group.Pilot, Group.Comparison })
        {
            var xy = points.Where(p => p.Arm == arm).Select(p => (X: p.Interval.Start.ToDateTime(TimeOnly.MinValue).ToOADate(), Y: Value(p, measure)))
                .Where(v => v.Y is not null).ToArray();
            var line = plot.Add.Scatter(xy.Select(v => v.X).ToArray(), xy.Select(v => v.Y!.Value).ToArray());
            line.LegendText = arm == Group.Pilot ? "pilot" : "comparison";
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{series.Pairs[pair]}: {measure} by {TrendIntervals.Name(series.Kind)}");
        plot.YLabel(measure is TrendSeries.NewJourneys or TrendSeries.InTreatment ? "count" : "proportion");
        plot.ShowLegend();
        return ChartImage.Render($"series-{Slug(series.Pairs[pair])}-{measure}", plot, format, width, height);
    }

    /// <summary>
    /// An event study's δₖ with their confidence intervals, at each interval's first day, with a line at 0, the
    /// reference interval at 0 and the pilot start marked. Undefined δₖ are left out. Named <c>eventStudy-{pair}-{outcome}</c>.
    /// </summary>
    public static ChartImage EventStudy(EventStudy study, StudyDesign windows, string pair, string outcome, ChartFormat format = ChartFormat.Png, int width = 800, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(windows);
        var plot = new ScottPlot.Plot();
        Shade(plot, windows);
        var c = study.Coefficients.Where(x => x.Estimate is not null).ToArray();
        var xs = c.Select(x => x.Interval.Start.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        var ys = c.Select(x => x.Estimate!.Value).ToArray();
        var errors = c.Select(x => x.CiUpper is double hi ? hi - x.Estimate!.Value : 0).ToArray();
        plot.Add.ErrorBar(xs, ys, errors);
        var points = plot.Add.Scatter(xs, ys);
        points.LineWidth = 0;
        points.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"delta (log-odds) with {100 * study.Fit.Options.ConfidenceLevel:0.##}% CI");
        plot.Add.HorizontalLine(0);
        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{pair}: {outcome} event study (reference {study.Reference.Name})");
        plot.YLabel("delta (log-odds)");
        plot.ShowLegend();
        return ChartImage.Render($"eventStudy-{Slug(pair)}-{outcome}", plot, format, width, height);
    }

    /// <summary>
    /// Every chart of an analysis: each pair's series of each measure (outcomes only where defined) and each pair's
    /// event study per outcome, in <paramref name="format"/>.
    /// </summary>
    public static IReadOnlyList<ChartImage> All(TrendAnalysis analysis, StudyDesign windows, ChartFormat format = ChartFormat.Png)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var images = new List<ChartImage>();
        for (int p = 0; p < analysis.Pairs.Count; p++)
        {
            foreach (var m in Measures.Where(m => analysis.Pairs[p].Series.Any(x => Value(x, m) is not null)))
                images.Add(Series(analysis.Series, windows, p, m, format));
            foreach (var o in analysis.Pairs[p].Outcomes.Values)
                if (o.EventStudy is { } es) images.Add(EventStudy(es, windows, analysis.Pairs[p].Name, o.Outcome, format));
        }
        return images;
    }

    private static double? Value(SeriesPoint p, string measure) => measure switch
    {
        TrendSeries.NewJourneys => p.NewJourneys,
        TrendSeries.InTreatment => p.InTreatment,
        _ => p.Outcome(measure) is { N: > 0 } c ? c.Proportion : null,
    };

    private static void Shade(ScottPlot.Plot plot, StudyDesign w)
    {
        static double X(DateOnly d) => d.ToDateTime(TimeOnly.MinValue).ToOADate();
        var pre = plot.Add.HorizontalSpan(X(w.Pre.Start), X(w.Pre.End.AddDays(1)));
        pre.FillStyle.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.12);
        pre.LegendText = "pre window";
        var post = plot.Add.HorizontalSpan(X(w.Post.Start), X(w.Post.End.AddDays(1)));
        post.FillStyle.Color = ScottPlot.Colors.Orange.WithAlpha(0.12);
        post.LegendText = "post window";
        var start = plot.Add.VerticalLine(X(w.Pre.End.AddDays(1)));
        start.LinePattern = ScottPlot.LinePattern.Dashed;
        start.LegendText = $"pilot start {w.Pre.End.AddDays(1):yyyy-MM-dd}";
    }

    private static string Slug(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray());
}

using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Trends;
using Microsoft.Data.Analysis;
using static Evaluation.Stats.Reporting.ExtensionText;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The trends section (methodology §11): each pair's series by arm with the pre and post windows shaded, the event
/// study of each outcome, the pre-trend test and the placebo DiD (the pre window split in two), as tables and charts.
/// </summary>
/// <param name="analysis">The trend analysis of the same journeys and design (<see cref="Trends.Trends.Analyze"/>).</param>
public sealed class TrendsReportExtension(TrendAnalysis analysis) : IReportExtension
{
    private readonly TrendAnalysis _analysis = analysis ?? throw new ArgumentNullException(nameof(analysis));

    /// <summary>The section's id.</summary>
    public const string SectionId = "trends";

    /// <inheritdoc/>
    public void ExtendReport(Report report, EvaluationReportInput input)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(input);
        var section = report.AddSection(SectionId, "Trends over time", before: EvaluationReport.SectionIds.Methods);
        section.Paragraph($"The journeys counted by {TrendIntervals.Name(_analysis.Series.Kind)}, pair and arm; the pre and post windows are shaded. A DiD assumes the arms would have moved in parallel without the pilot: the pre-trend test and the event study look for a gap before the pilot, and the placebo DiD compares the pre window's later half ({_analysis.PlaceboPost}) with its earlier half ({_analysis.PlaceboPre}), where no effect should be.");
        section.Add(PreTrends(_analysis));
        section.Add(Placebo(_analysis));
        foreach (var w in _analysis.Pairs.SelectMany(p => p.Outcomes.Values.SelectMany(o => o.Warnings.Select(x => $"{p.Name}, {o.Outcome}: {x}"))))
            section.Paragraph("Note — " + w);
        if (!input.Charts) return;
        var windows = input.Design.Study;
        for (int p = 0; p < _analysis.Pairs.Count; p++)
        {
            var pair = _analysis.Pairs[p];
            section.Subheading(pair.Name);
            foreach (var m in TrendCharts.Measures.Where(m => pair.Series.Any(x => Defined(x, m))))
                section.Add(new ReportFigure($"{pair.Name}: {m} by {TrendIntervals.Name(_analysis.Series.Kind)} and arm, the pre and post windows shaded",
                    TrendCharts.Series(_analysis.Series, windows, p, m, ChartFormat.Png)));
            foreach (var o in pair.Outcomes.Values)
                if (o.EventStudy is { } es)
                    section.Add(new ReportFigure($"{pair.Name}: {o.Outcome} event study, the pilot–comparison gap on the log-odds scale by interval against {es.Reference.Name}, with {Level(es.Fit.Options.ConfidenceLevel)} CIs",
                        TrendCharts.EventStudy(es, windows, pair.Name, o.Outcome, ChartFormat.Png)));
        }
    }

    private static bool Defined(SeriesPoint x, string measure) =>
        measure is TrendSeries.NewJourneys or TrendSeries.InTreatment || x.Outcome(measure) is { N: > 0 };

    /// <summary>The pre-trend test of each pair and outcome: the difference of the arms' slopes (log-odds per interval) over the pre window.</summary>
    public static ReportTable PreTrends(TrendAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var rows = analysis.Pairs.SelectMany(p => p.Outcomes.Values.Select(o => (Pair: p.Name, o.Outcome, Test: o.PreTrend))).ToArray();
        var data = FrameBuilder.Of(rows).Text("pair", r => r.Pair).Text("outcome", r => r.Outcome)
            .Number("estimate", r => r.Test?.Estimate).Number("stdError", r => r.Test?.StdError).Number("zValue", r => r.Test?.ZValue)
            .Number("pValue", r => r.Test?.PValue).Number("ciLower", r => r.Test?.CiLower).Number("ciUpper", r => r.Test?.CiUpper)
            .Long("intervals", r => r.Test?.Intervals.Count).Build();
        var shown = rows.Select(r => (IReadOnlyList<string>)[r.Pair, r.Outcome, F(r.Test?.Estimate, "+0.0000;-0.0000"), F(r.Test?.StdError, "0.0000"),
            r.Test is null ? "" : Interval(r.Test.CiLower, r.Test.CiUpper, 1, "+0.0000;-0.0000"), PValueText.Format(r.Test?.PValue), F(r.Test?.Intervals.Count, "0")]).ToArray();
        return new ReportTable("pretrend", "Pre-trend test: the pilot–comparison difference in slope (log-odds per interval) over the pre window; n/a where it cannot be fitted",
            ["pair", "outcome", "slope difference", "SE", "CI", "p", "intervals"], shown, data).Validate();
    }

    /// <summary>The placebo DiD of each pair and outcome: the later half of the pre window against the earlier half (percentage points).</summary>
    public static ReportTable Placebo(TrendAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var rows = analysis.Pairs.SelectMany(p => p.Outcomes.Values.Select(o => (Pair: p.Name, o.Outcome, Did: o.Placebo))).ToArray();
        static long? N(DidResult? d, Func<PairCells, Cell> cell) => d is null ? null : cell(d.Cells).N;
        var data = FrameBuilder.Of(rows).Text("pair", r => r.Pair).Text("outcome", r => r.Outcome)
            .Long("pilotPreN", r => N(r.Did, c => c.PilotPre)).Long("pilotPostN", r => N(r.Did, c => c.PilotPost))
            .Long("comparisonPreN", r => N(r.Did, c => c.ComparisonPre)).Long("comparisonPostN", r => N(r.Did, c => c.ComparisonPost))
            .Number("estimate", r => r.Did?.RiskDifference.Estimate).Number("stdError", r => r.Did?.RiskDifference.StdError)
            .Number("ciLower", r => r.Did?.RiskDifference.CiLower).Number("ciUpper", r => r.Did?.RiskDifference.CiUpper)
            .Number("pValue", r => r.Did?.RiskDifference.PValue).Build();
        var shown = rows.Select(r => (IReadOnlyList<string>)[r.Pair, r.Outcome,
            r.Did is null ? "n/a" : ResultTables.N(r.Did.Cells.PilotPre.N + r.Did.Cells.PilotPost.N + r.Did.Cells.ComparisonPre.N + r.Did.Cells.ComparisonPost.N),
            Points(r.Did?.RiskDifference.Estimate), r.Did is null ? "" : Interval(r.Did.RiskDifference.CiLower, r.Did.RiskDifference.CiUpper, 100, "+0.0;-0.0;0.0"),
            PValueText.Format(r.Did?.RiskDifference.PValue)]).ToArray();
        return new ReportTable("placebo", $"Placebo DiD: {analysis.PlaceboPost} against {analysis.PlaceboPre}, both before the pilot (percentage points)",
            ["pair", "outcome", "n (four cells)", "placebo DiD (points)", "CI", "p"], shown, data).Validate();
    }

    /// <inheritdoc/>
    public IEnumerable<string> Methods(EvaluationReportInput input) =>
    [
        "Trends (docs/methodology.md §11): the pre-trend test fits logit(p) = a + b·pilot + c·t + d·pilot·t to the grouped cells of the intervals wholly inside the pre window and tests d = 0; the event study fits one pilot × interval term per interval against a reference interval before the pilot; the placebo DiD is the ordinary DiD with the pre window's halves as its windows.",
    ];

    /// <inheritdoc/>
    public IEnumerable<string> Choices(EvaluationReportInput input)
    {
        yield return $"Trend interval: {TrendIntervals.Name(_analysis.Series.Kind)}; placebo windows {_analysis.PlaceboPre} and {_analysis.PlaceboPost}.";
    }
}

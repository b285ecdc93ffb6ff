using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;
using static Evaluation.Stats.Reporting.ExtensionText;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The indicators section (methodology §13): completion without re-presentation (cells and DiD), time in treatment
/// and waiting times, every proportion cell with its Wilson interval, and a funnel chart of each proportion
/// indicator in the post window.
/// </summary>
/// <param name="result">The indicators of the same journeys and design (<see cref="IndicatorEvaluator.Evaluate"/>).</param>
public sealed class IndicatorsReportExtension(IndicatorResult result) : IReportExtension
{
    private readonly IndicatorResult _result = result ?? throw new ArgumentNullException(nameof(result));

    /// <summary>The section's id.</summary>
    public const string SectionId = "indicators";

    /// <inheritdoc/>
    public void ExtendReport(Report report, EvaluationReportInput input)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(input);
        var r = _result;
        var section = report.AddSection(SectionId, "National indicators", before: EvaluationReport.SectionIds.Methods);
        section.Paragraph($"Payment-by-results indicators for each pair's four cells, each proportion with its {Level(r.ConfidenceLevel)} Wilson interval; their own exclusion ledger is in indicators-exclusions.");
        section.Add(Cells(r));
        foreach (var outcome in r.Representation.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())
        {
            section.Subheading(outcome);
            section.Add(ResultTables.Did(r.Representation.Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).Select(p => p.Outcomes[outcome].Did),
                "indicator-did-" + Slug(outcome), $"{outcome}: cells and DiD (percentage points)"));
        }
        section.Subheading(IndicatorNames.TimeInTreatment);
        section.Add(MeanDays(r));
        if (r.TimeInTreatment.Select(t => t.OverTwoYearsDid).OfType<DidResult>().ToArray() is { Length: > 0 } over2)
            section.Add(ResultTables.Did(over2, "indicator-did-timeInTreatment-overTwoYears", "Share in treatment two years or more: cells and DiD (percentage points)"));
        if (r.WaitingTimes.Count > 0)
        {
            section.Subheading(IndicatorNames.WaitingTimes);
            for (int k = 0; k < r.WaitingTimes[0].Thresholds.Count; k++)
            {
                int days = r.WaitingTimes[0].Thresholds[k];
                var dids = r.WaitingTimes.Select(w => w.OverDid[k]).OfType<DidResult>().ToArray();
                if (dids.Length > 0)
                    section.Add(ResultTables.Did(dids, "indicator-did-waitingTimes-" + IndicatorNames.Threshold(days), string.Create(CultureInfo.InvariantCulture, $"Share waiting over {days} days: cells and DiD (percentage points)")));
            }
        }
        section.Add(ResultTables.Ledger(r.Exclusions, name: "indicators-exclusions", caption: "Exclusion ledger of the indicators: rows set aside by analysis and reason"));
        var funnel = r.Funnel();
        section.Subheading("Funnel plots");
        section.Add(Funnel(funnel));
        if (!input.Charts) return;
        foreach (var indicator in funnel.Where(p => p.Cell.EndsWith("Post", StringComparison.Ordinal)).Select(p => p.Indicator).Distinct())
            section.Add(new ReportFigure($"{indicator}: each post-window cell against the benchmark with 95% and 99.8% funnel limits",
                FunnelChart.Render(funnel, indicator, "Post", ChartFormat.Png)));
    }

    /// <summary>Every cell of every indicator: n, events and % with the Wilson interval for proportions; median (IQR) and mean days for time in treatment and waits. The CSV is <see cref="IndicatorFrames.ToDataFrame(IndicatorResult)"/>.</summary>
    public static ReportTable Cells(IndicatorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var data = result.ToDataFrame();
        var rows = new List<IReadOnlyList<string>>();
        for (long i = 0; i < data.Rows.Count; i++)
            rows.Add([(string)data["indicator"][i], (string)data["pair"][i], (string)data["cell"][i], F(D(data, "n", i), "N0"), F(D(data, "events", i), "N0"),
                D(data, "proportion", i) is null ? "" : $"{F(D(data, "proportion", i) * 100, "0.0")} ({Interval(D(data, "wilsonLower", i), D(data, "wilsonUpper", i), 100, "0.0")})",
                D(data, "median", i) is null ? "" : $"{F(D(data, "median", i), "0")} ({F(D(data, "q1", i), "0")} to {F(D(data, "q3", i), "0")})", F(D(data, "mean", i), "0.0") is var m && m != "n/a" ? m : ""]);
        return new ReportTable("indicators", $"Indicator cells: % with its {Level(result.ConfidenceLevel)} Wilson interval, or days as median (IQR) and mean",
            ["indicator", "pair", "cell", "n", "events", "% (Wilson CI)", "median days (IQR)", "mean days"], rows, data).Validate();
    }

    /// <summary>Each pair's DiD of the mean days in treatment, with its Welch-type interval.</summary>
    public static ReportTable MeanDays(IndicatorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var t = result.TimeInTreatment;
        var data = FrameBuilder.Of(t).Text("pair", x => x.Pair).Number("estimate", x => x.MeanDid?.Estimate).Number("stdError", x => x.MeanDid?.StdError)
            .Number("ciLower", x => x.MeanDid?.CiLower).Number("ciUpper", x => x.MeanDid?.CiUpper).Number("pValue", x => x.MeanDid?.PValue).Build();
        var shown = t.Select(x => (IReadOnlyList<string>)[x.Pair, F(x.MeanDid?.Estimate, "+0.0;-0.0;0.0"), F(x.MeanDid?.StdError, "0.0"),
            x.MeanDid is null ? "" : Interval(x.MeanDid.CiLower, x.MeanDid.CiUpper, 1, "+0.0;-0.0;0.0"), PValueText.Format(x.MeanDid?.PValue)]).ToArray();
        return new ReportTable("indicator-meandays", "Time in treatment: DiD of the mean days (n/a when a cell has fewer than two clients)",
            ["pair", "DiD (days)", "SE", "CI", "p"], shown, data).Validate();
    }

    /// <summary>The funnel points: each cell's proportion against the benchmark and its 95% and 99.8% limits.</summary>
    public static ReportTable Funnel(IReadOnlyList<FunnelPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var shown = points.Select(p => (IReadOnlyList<string>)[p.Indicator, p.Pair, p.Cell, F(p.Value.N, "N0"), F(100 * p.Value.Proportion, "0.0"),
            F(100 * p.Limits.Benchmark, "0.0"), Interval(p.Limits.Lower95, p.Limits.Upper95, 100, "0.0"), Interval(p.Limits.Lower998, p.Limits.Upper998, 100, "0.0"), p.Position]).ToArray();
        return new ReportTable("funnel", "Funnel positions: each cell's % against its window's benchmark and the limits at its n (%)",
            ["indicator", "pair", "cell", "n", "%", "benchmark", "95% limits", "99.8% limits", "position"], shown, points.ToDataFrame()).Validate();
    }

    /// <inheritdoc/>
    public IEnumerable<string> Methods(EvaluationReportInput input) =>
    [
        "Indicators (docs/methodology.md §13): completion without re-presentation counts successful completions not followed by a new journey within 6 or 12 months; time in treatment runs from a journey's start to its end or the window's end; waiting times from referral to first intervention. Proportions carry Wilson intervals; the funnel limits are exact binomial limits at each n around the window's pooled proportion.",
    ];
}

using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;
using static Evaluation.Stats.Reporting.ExtensionText;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The programme block of each outcome section (methodology §10): the pairs' DiDs pooled by fixed effect,
/// DerSimonian–Laird random effects and Knapp–Hartung, the sign-flip randomization p, each pair's p-value with its
/// Holm and Benjamini–Hochberg adjustments, and the forest plot of the pair DiDs with the pooled estimates.
/// </summary>
/// <param name="options">The pooling options; by default the design's confidence level and the library's seed and draws.</param>
public sealed class ProgrammeReportExtension(ProgrammeOptions? options = null) : IReportExtension
{
    // One analysis per evaluation result: the journeys' outcomes share one (its Holm/BH families span the outcomes).
    private readonly Dictionary<EvaluationResult, ProgrammeResult> _analyses = new(ReferenceEqualityComparer.Instance);

    /// <summary>The programme result of <paramref name="result"/> as the report shows it (cached per result).</summary>
    public ProgrammeResult Analyse(EvaluationResult result, EvaluationDesign design)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(design);
        if (!_analyses.TryGetValue(result, out var programme))
            _analyses[result] = programme = Programme.Analyse(result, options ?? new ProgrammeOptions { ConfidenceLevel = design.ConfidenceLevel });
        return programme;
    }

    /// <inheritdoc/>
    public void ExtendOutcome(ReportSection section, string outcome, EvaluationResult result, EvaluationReportInput input)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(input);
        var programme = Analyse(result, input.Design);
        if (!programme.Outcomes.TryGetValue(outcome, out var pooled)) return;
        section.Subheading("Programme level");
        section.Paragraph(pooled.Summary());
        section.Add(Pooled(programme, outcome, input.Design.ConfidenceLevel));
        foreach (var w in pooled.RiskDifference.Warnings) section.Paragraph("Note — " + w);
        section.Add(AdjustedPValues(programme, outcome));
        if (input.Charts && pooled.RiskDifference.FixedEffect is not null)
            section.Add(new ReportFigure($"{outcome}: each pair's DiD and the pooled fixed-effect and random-effects (Knapp–Hartung) estimates, percentage points",
                ForestPlotChart.Render(result, programme, outcome, ChartFormat.Png)));
    }

    /// <summary>
    /// The pooled estimates of one outcome: one row per quantity (risk difference and ATT in percentage points, the
    /// adjusted log-odds as they are) and method. The CSV is <see cref="InferenceFrames.ToDataFrame"/>'s rows of the outcome.
    /// </summary>
    public static ReportTable Pooled(ProgrammeResult programme, string outcome, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(programme);
        var data = Where(programme.ToDataFrame(), "outcome", outcome);
        var rows = new List<IReadOnlyList<string>>();
        for (long i = 0; i < data.Rows.Count; i++)
        {
            var quantity = (string)data["quantity"][i];
            double scale = quantity == "adjustedLogOdds" ? 1 : 100;
            string format = quantity == "adjustedLogOdds" ? "+0.0000;-0.0000" : "+0.0;-0.0;0.0";
            // Blank where a quantity does not apply to the method (a randomization row has a p only; τ², I² and Q are random-effects statistics).
            string Cell(string column, Func<double?, string> format) => D(data, column, i) is null ? "" : format(D(data, column, i));
            rows.Add([quantity, (string)data["method"][i], F(D(data, "pairs", i), "0"),
                Cell("estimate", x => F(x * scale, format)), Cell("stdError", x => F(x * scale, scale == 1 ? "0.0000" : "0.0")),
                Cell("estimate", _ => Interval(D(data, "ciLower", i), D(data, "ciUpper", i), scale, format)),
                PValueText.Format(D(data, "pValue", i)), Cell("tau2", x => F(x, "0.000000")), Cell("i2", x => F(x, "0.0")), Cell("qPValue", PValueText.Format)]);
        }
        return new ReportTable($"programme-{outcome}", $"Programme level: the pairs pooled (risk difference and ATT in percentage points, log-odds as is; {Level(confidenceLevel)} CI; randomization rows give the sign-flip p)",
            ["quantity", "method", "pairs", "estimate", "SE", $"{Level(confidenceLevel)} CI", "p", "tau²", "I² (%)", "Q p"], rows, data).Validate();
    }

    /// <summary>Each pair's p-value for the outcome with its Holm and Benjamini–Hochberg adjustments (families over every pair × outcome test).</summary>
    public static ReportTable AdjustedPValues(ProgrammeResult programme, string outcome)
    {
        ArgumentNullException.ThrowIfNull(programme);
        var data = Where(programme.ToAdjustedPValuesDataFrame(), "outcome", outcome);
        var rows = new List<IReadOnlyList<string>>();
        for (long i = 0; i < data.Rows.Count; i++)
            rows.Add([(string)data["family"][i], (string)data["pair"][i], PValueText.Format(D(data, "pValue", i)),
                PValueText.Format(D(data, "pValueHolm", i)), PValueText.Format(D(data, "pValueBH", i))]);
        return new ReportTable($"padjusted-{outcome}", "The pairs' p-values adjusted for multiplicity over every pair and outcome (did: the risk-difference tests; adjusted: the model interactions)",
            ["family", "pair", "p", "Holm p", "BH p"], rows, data).Validate();
    }

    /// <inheritdoc/>
    public IEnumerable<string> Methods(EvaluationReportInput input) =>
    [
        "Programme level (docs/methodology.md §10): in each outcome, the pairs' DiDs are pooled by inverse-variance fixed effect and by DerSimonian–Laird random effects with the Knapp–Hartung interval (τ², I² and Cochran's Q are given); the sign-flip randomization test flips the signs of the pair DiDs (exact when 2^pairs is small, seeded Monte Carlo otherwise). The pairs' p-values are adjusted by Holm and Benjamini–Hochberg over every pair × outcome test of the evaluation.",
    ];

    /// <inheritdoc/>
    public IEnumerable<string> Choices(EvaluationReportInput input)
    {
        var o = options ?? new ProgrammeOptions();
        yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Programme pooling: randomization seed {o.Seed}, at most {o.MonteCarloDraws:N0} Monte Carlo draws when the sign flips are not enumerated.");
    }
}

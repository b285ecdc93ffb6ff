using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Reporting;

/// <summary>One input of a report, for its data section.</summary>
/// <param name="Role">What the input is, for example <c>journeys</c>.</param>
/// <param name="Path">Where it was read from (a file path, or a name such as <c>DataFrame</c>).</param>
/// <param name="Rows">Rows read, parsed or not.</param>
/// <param name="Unparseable">Rows set aside because they did not parse.</param>
/// <param name="Sha256">The file's SHA-256 in hex, so the report names exactly the data it came from; <c>null</c> when not a file.</param>
public sealed record ReportSource(string Role, string Path, long Rows, long Unparseable, string? Sha256 = null);

/// <summary>
/// Adds to the standard evaluation report. An extension is called once per outcome section (after the outcome's
/// tables, chart and adjusted model: the place for a programme block and forest plot), once for the whole report
/// (after the outcomes, before the methods: the place for trends, economics or indicators sections), and for the
/// lines it adds to the methods and to the choices made. Every member has a default that adds nothing.
/// </summary>
public interface IReportExtension
{
    /// <summary>Adds blocks to the section of <paramref name="outcome"/> (its id is <c>outcome-</c> and the outcome's name).</summary>
    void ExtendOutcome(ReportSection section, string outcome, EvaluationResult result, EvaluationReportInput input) { }

    /// <summary>Adds sections; a section added without <c>before</c> lands before the methods.</summary>
    void ExtendReport(Report report, EvaluationReportInput input) { }

    /// <summary>Paragraphs for the methods section.</summary>
    IEnumerable<string> Methods(EvaluationReportInput input) => [];

    /// <summary>Items for the list of choices made.</summary>
    IEnumerable<string> Choices(EvaluationReportInput input) => [];
}

/// <summary>What the standard evaluation report is built from. Give the journeys, the referrals or both.</summary>
/// <param name="Design">The design the results came from.</param>
public sealed record EvaluationReportInput(EvaluationDesign Design)
{
    /// <summary>The journey outcomes (<c>Evaluator.Journeys</c>); <c>null</c> for none.</summary>
    public EvaluationResult? Journeys { get; init; }

    /// <summary>The referral outcome (<c>Evaluator.Referrals</c>); <c>null</c> for none.</summary>
    public EvaluationResult? Referrals { get; init; }

    /// <summary>Ledger entries beyond the results' own, for example unparseable pick-up rows.</summary>
    public IReadOnlyList<ExclusionEntry> ExtraExclusions { get; init; } = [];

    /// <summary>The inputs, for the data section.</summary>
    public IReadOnlyList<ReportSource> Sources { get; init; } = [];

    /// <summary>Further tables for the data section (for example costs as given).</summary>
    public IReadOnlyList<ReportTable> DataTables { get; init; } = [];

    /// <summary>Extensions that add to the report (see <see cref="IReportExtension"/>).</summary>
    public IReadOnlyList<IReportExtension> Extensions { get; init; } = [];

    /// <summary>The report's title.</summary>
    public string Title { get; init; } = "Evaluation report";

    /// <summary>A line under the title; by default the tool and the time are not stamped, so a report is reproducible.</summary>
    public string? Subtitle { get; init; }

    /// <summary>Whether to draw the charts (on by default).</summary>
    public bool Charts { get; init; } = true;

    /// <summary>Every outcome with its result, journeys first.</summary>
    public IEnumerable<(string Outcome, EvaluationResult Result)> Outcomes =>
        new[] { Journeys, Referrals }.OfType<EvaluationResult>()
            .SelectMany(r => r.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct().Select(o => (o, r)));
}

/// <summary>
/// The standard report of an evaluation: the data, the exclusion ledger, a section per outcome (cells and DiD,
/// the cell chart, the adjusted model), whatever the extensions add, the methods, and the choices made.
/// </summary>
public static class EvaluationReport
{
    /// <summary>Section ids of the standard report, for extensions that place sections relative to them.</summary>
    public static class SectionIds
    {
        /// <summary>The data.</summary>
        public const string Data = "data";
        /// <summary>The exclusion ledger.</summary>
        public const string Exclusions = "exclusions";
        /// <summary>The methods.</summary>
        public const string Methods = "methods";
        /// <summary>The choices made.</summary>
        public const string Choices = "choices";

        /// <summary>The section of one outcome.</summary>
        public static string Outcome(string outcome) => "outcome-" + outcome;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the report.</summary>
    /// <exception cref="ArgumentException">When neither journeys nor referrals are given.</exception>
    public static Report Build(EvaluationReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Journeys is null && input.Referrals is null)
            throw new ArgumentException("A report needs the journeys' results, the referrals' results, or both.", nameof(input));
        var design = input.Design;
        var report = new Report(input.Title, input.Subtitle);

        var data = report.AddSection(SectionIds.Data, "The data");
        data.Paragraph($"{design.Pairs.Count} pilot–comparison pair(s); the pre window is {Window(design.Study.Pre)} and the post window {Window(design.Study.Post)} ({design.Study.LagDays} days between them are left out as the implementation lag).");
        if (input.Sources.Count > 0)
            data.Add(new ReportTable("inputs", "Inputs: rows read and rows that did not parse",
                ["input", "file", "rows", "unparseable", "SHA-256"],
                input.Sources.Select(s => (IReadOnlyList<string>)[s.Role, s.Path, ResultTables.N(s.Rows), ResultTables.N(s.Unparseable), s.Sha256 ?? ""]).ToArray(),
                FrameBuilder.Of(input.Sources).Text("input", s => s.Role).Text("file", s => s.Path).Long("rows", s => s.Rows)
                    .Long("unparseable", s => s.Unparseable).Text("sha256", s => s.Sha256).Build()));
        data.Add(new ReportTable("pairs", "Pairs: the pilot areas and their comparison areas",
            ["pair", "pilot areas", "comparison areas", "pilot prisons"],
            design.Pairs.Select(p => (IReadOnlyList<string>)[p.Name, string.Join(", ", p.PilotAreas), string.Join(", ", p.ComparisonAreas), p.PilotPrisons is null ? "all" : string.Join(", ", p.PilotPrisons)]).ToArray(),
            FrameBuilder.Of(design.Pairs).Text("pair", p => p.Name).Text("pilotAreas", p => string.Join(";", p.PilotAreas))
                .Text("comparisonAreas", p => string.Join(";", p.ComparisonAreas)).Text("pilotPrisons", p => p.PilotPrisons is null ? null : string.Join(";", p.PilotPrisons)).Build()));
        foreach (var t in input.DataTables) data.Add(t);

        var ledger = report.AddSection(SectionIds.Exclusions, "The exclusion ledger");
        ledger.Paragraph("For every analysis (an outcome in a window), each input row is either in one of the four cells of a pair or here, with one reason. Data errors list their source lines (header = line 1); the CSV has every line.");
        foreach (var (label, result, extra) in new[] { ("journeys", input.Journeys, (IReadOnlyList<ExclusionEntry>)[]), ("referrals", input.Referrals, input.ExtraExclusions) })
            if (result is not null)
                ledger.Add(ResultTables.Ledger(result.Exclusions, extra, name: $"exclusions-{label}", caption: $"Exclusion ledger of the {label}: rows set aside by analysis and reason"));

        foreach (var (outcome, result) in input.Outcomes)
        {
            var section = report.AddSection(SectionIds.Outcome(outcome), OutcomeTitle(outcome, design));
            section.Paragraph(OutcomeDefinition(outcome, design));
            var pairs = result.Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).ToArray();
            var dids = pairs.Select(p => p.Outcomes[outcome].Did).ToArray();
            section.Add(ResultTables.Did(dids, $"did-{outcome}"));
            foreach (var w in dids.SelectMany(d => d.Warnings.Select(x => $"{d.Pair}: {x}"))) section.Paragraph("Note — " + w);
            if (input.Charts)
                section.Add(new ReportFigure($"{OutcomeTitle(outcome, design)}: % with the outcome in each cell, with {Level(design.ConfidenceLevel)} confidence intervals",
                    CellBarsChart.Render(dids, $"cells-{outcome}", OutcomeTitle(outcome, design), ChartFormat.Png),
                    CellBarsChart.Render(dids, $"cells-{outcome}", OutcomeTitle(outcome, design), ChartFormat.Svg)));
            var adjusted = pairs.Where(p => p.Outcomes[outcome].Adjusted is not null).Select(p => (p.Name, p.Outcomes[outcome].Adjusted!)).ToArray();
            if (adjusted.Length > 0)
            {
                section.Subheading("Adjusted model");
                var covariates = outcome == OutcomeNames.ReferralPickup ? design.ReferralCovariates : design.Covariates;
                section.Paragraph(covariates.All.Any()
                    ? $"Record-level logistic regression of the outcome on pilot, post, pilot:post and the covariates {string.Join(", ", covariates.All)}, both windows pooled; the DiD is the pilot:post interaction, and the ATT is Puhani's effect on the treated on the probability scale."
                    : "No covariates are configured, so the adjusted model is the logistic regression on pilot, post and pilot:post alone: saturated on the 2×2 cells, its interaction equals the unadjusted log-odds interaction. Name covariates in the design file to adjust for them.");
                section.Add(ResultTables.Adjusted(adjusted, outcome, $"adjusted-{outcome}"));
            }
            foreach (var e in input.Extensions) e.ExtendOutcome(section, outcome, result, input);
        }

        foreach (var e in input.Extensions) e.ExtendReport(report, input);

        var methods = report.AddSection(SectionIds.Methods, "Methods");
        foreach (var m in MethodParagraphs(design).Concat(input.Extensions.SelectMany(e => e.Methods(input)))) methods.Paragraph(m);

        var choices = report.AddSection(SectionIds.Choices, "The choices made");
        choices.Paragraph("Everything that decides the numbers above, as this run used it:");
        choices.Add(new ReportList(Choices(design).Concat(input.Extensions.SelectMany(e => e.Choices(input))).ToArray()));
        return report;
    }

    private static IEnumerable<string> MethodParagraphs(EvaluationDesign design) =>
    [
        "Difference in differences (docs/methodology.md §5): the pilot's change in the proportion with the outcome from the pre to the post window, minus the comparison's. Its standard error is sqrt(Σ p(1−p)/n) over the four cells, the interval is normal at the stated level, and p is two-sided. The log-odds interaction and the change in the base count are in the CSV.",
        "Each cell's interval in the charts is the normal one, p ± z·sqrt(p(1−p)/n), clipped to 0–100%: the same per-cell variance that the DiD's standard error sums.",
        "Adjusted DiD (docs/methodology.md §6): for each pair and outcome, a logistic regression on the rows of the four cells with pilot, post, the covariates and pilot:post, fitted by IRLS to R's convergence criterion. The odds ratio is exp(b3); the ATT averages Λ(η) − Λ(η − b3) over the treated rows with a delta-method SE. Aliased terms, separation and non-convergence are reported, never hidden.",
        "Nothing is lost silently (docs/methodology.md §8): every input row of every analysis is in a cell or in the exclusion ledger with one reason.",
        $"p-values are printed to three decimals, and below {PValueText.Floor.ToString(Inv)} as <0.001; the CSV files hold every number unrounded.",
    ];

    private static IEnumerable<string> Choices(EvaluationDesign design)
    {
        yield return $"Pre window {Window(design.Study.Pre)}; post window {Window(design.Study.Post)}; implementation lag {design.Study.LagDays} days.";
        yield return $"Minimum age {design.Rules.MinimumAge}; effective treatment {design.Rules.EffectiveTreatmentDays} days or a completed exit.";
        yield return $"Completed exit reasons: {string.Join(", ", design.Rules.CompletedExitReasons.Order())}.";
        yield return $"Referral follow-up: {design.FollowUpDays} days.";
        yield return $"Confidence level {Level(design.ConfidenceLevel)}.";
        yield return $"Journey covariates: {Covariates(design.Covariates)}.";
        yield return $"Referral covariates: {Covariates(design.ReferralCovariates)}.";
        yield return $"Classifier and model implementation: {Regression.LogisticOptions.DefaultImplementation.ToString().ToLowerInvariant()} path (set EVALSTATS_IMPLEMENTATION=reference for the reference path; both give the same numbers).";
    }

    private static string Covariates(CovariateSpec c) => !c.All.Any() ? "none (the adjusted model has the three DiD terms alone)"
        : string.Join("; ", new[] { c.Numeric.Count > 0 ? "numeric " + string.Join(", ", c.Numeric) : null, c.Categorical.Count > 0 ? "categorical " + string.Join(", ", c.Categorical) : null }.OfType<string>());

    /// <summary>A readable title for an outcome's contract name.</summary>
    public static string OutcomeTitle(string outcome, EvaluationDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return outcome switch
        {
            OutcomeNames.EffectiveTreatment => $"Effective treatment ({design.Rules.EffectiveTreatmentDays} days or completed)",
            OutcomeNames.SuccessfulCompletion => "Successful completion",
            OutcomeNames.SuccessfulCompletionOfCaseload => "Successful completions as a share of the caseload",
            OutcomeNames.ReferralPickup => $"Prison referrals picked up within {design.FollowUpDays} days",
            OutcomeNames.Aggregate => "Aggregate quarterly counts",
            _ => outcome,
        };
    }

    private static string OutcomeDefinition(string outcome, EvaluationDesign design) => outcome switch
    {
        OutcomeNames.EffectiveTreatment => $"Each client's latest journey that crosses into the window and starts at least {design.Rules.EffectiveTreatmentDays} days before its end; the event is lasting {design.Rules.EffectiveTreatmentDays} days (to the window's end at most) or ending within the window with a completed exit (docs/methodology.md §2.1).",
        OutcomeNames.SuccessfulCompletion => "Each client's latest journey that crosses into the window and ends inside it; the event is a completed exit (docs/methodology.md §2.2).",
        OutcomeNames.SuccessfulCompletionOfCaseload => "The effective-treatment caseload (same rows and denominator); a client is an event when the same client completes successfully in the same window (docs/methodology.md §2.3).",
        OutcomeNames.ReferralPickup => $"Prison referrals of local clients leaving in the window at least {design.FollowUpDays} days before its end; the event is a care plan in the same prison within {design.FollowUpDays} days of leaving (docs/methodology.md §3).",
        _ => $"The outcome '{outcome}'.",
    };

    private static string Window(Periods.DateWindow w) => $"{w.Start.ToString("yyyy-MM-dd", Inv)} to {w.End.ToString("yyyy-MM-dd", Inv)}";

    private static string Level(double level) => (100 * level).ToString("0.##", Inv) + "%";
}

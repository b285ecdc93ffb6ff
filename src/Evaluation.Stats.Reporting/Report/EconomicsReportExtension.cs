using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Economics;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;
using static Evaluation.Stats.Reporting.ExtensionText;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The economics section (methodology §12): the cost-benefit chain of each pair from the report's own journey DiDs
/// and pilot post n (effective treatment and successful completions of the caseload), against the costs given, in the
/// layout of the evaluation report's Table 7.10 with one row per pair, and a tornado chart per pair.
/// </summary>
/// <param name="costs">Each pair's costs (for example <c>EconomicsReaders.Costs</c>); pairs without costs get benefits only, with a warning.</param>
/// <param name="options">The unit values and sensitivity; the report's by default.</param>
public sealed class EconomicsReportExtension(IReadOnlyList<PairCosts> costs, EconomicsOptions? options = null) : IReportExtension
{
    private readonly IReadOnlyList<PairCosts> _costs = costs ?? throw new ArgumentNullException(nameof(costs));
    private readonly EconomicsOptions _options = options ?? new EconomicsOptions();

    /// <summary>The section's id.</summary>
    public const string SectionId = "economics";

    /// <summary>The economics of <paramref name="journeys"/> as the section shows them.</summary>
    public EconomicsResult Evaluate(EvaluationResult journeys) => CostBenefit.Evaluate(journeys, _costs, _options);

    /// <inheritdoc/>
    public void ExtendReport(Report report, EvaluationReportInput input)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Journeys is null) return; // the chain values journey outcomes only
        var result = Evaluate(input.Journeys);
        var section = report.AddSection(SectionId, "Economics", before: EvaluationReport.SectionIds.Methods);
        section.Paragraph(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"People = DiD × the pilot's post-window n; benefits = people × the unit value (£{result.UnitValues.EffectiveTreatment:N0} a client in effective treatment, £{result.UnitValues.SuccessfulCompletion:N0} a successful completion, discounted at {100 * _options.UnitValues.DiscountRate:0.##}%); costs as given, undiscounted."));
        section.Add(Table(result));
        foreach (var p in result.Pairs)
            foreach (var w in p.Warnings) section.Paragraph($"Note — {p.Name}: {w}");
        if (!input.Charts) return;
        var costsByPair = _costs.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var e in PairEffects.From(input.Journeys))
        {
            var tornado = EconomicsUncertainty.Tornado(e, costsByPair.GetValueOrDefault(e.Name), _options);
            section.Add(new ReportFigure(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{e.Name}: how {tornado.Output} moves as each input goes from its low to its high value (base {tornado.Base:N2})"),
                TornadoChart.Render(tornado, ChartFormat.Png, name: "tornado-" + Slug(e.Name))));
        }
    }

    /// <summary>Table 7.10's rows, one row per pair (money in £k); the CSV is <see cref="EconomicsFrames.ToDataFrame(EconomicsResult)"/> in pounds.</summary>
    public static ReportTable Table(EconomicsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string K(double? pounds) => F(pounds / 1000, "N0");
        var shown = result.Pairs.Select(p => (IReadOnlyList<string>)[p.Name, K(p.Costs?.Total),
            F(p.People.EffectiveTreatment, "+0.0;-0.0;0"), F(p.People.SuccessfulCompletion, "+0.0;-0.0;0"),
            K(p.Benefits.EffectiveTreatment), K(p.Benefits.SuccessfulCompletion), K(p.Benefits.Total), K(p.NetBenefit),
            F(p.Ratio, "0.0"), F(p.NetRatio, "0.0"), K(p.Sensitivity.Total), F(p.Sensitivity.Ratio, "0.0")]).ToArray();
        string scale = (100 * result.Options.BenefitScale).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
        return new ReportTable("economics", "Site level costs and benefits (Table 7.10 layout, one row per pair; money in £k)",
            ["pair", "costs", "Δ in effective treatment", "Δ completions", "value: effective treatment", "value: completions", "total benefits",
             "net benefit", "benefits : costs", "net benefit : costs", $"benefits @ {scale}", $"benefits : costs @ {scale}"],
            shown, result.ToDataFrame()).Validate();
    }

    /// <inheritdoc/>
    public IEnumerable<string> Methods(EvaluationReportInput input) =>
    [
        "Economics (docs/methodology.md §12): each pair's change in people is its DiD times the pilot's post-window n, for effective treatment and for successful completions of the caseload; their value uses the unit values of Table C6.1 (harm avoided net of treatment cost over the treatment and recovery years, discounted); the net benefit and ratio are against the pilot's undiscounted costs. The tornado moves one input at a time over its range.",
    ];

    /// <inheritdoc/>
    public IEnumerable<string> Choices(EvaluationReportInput input)
    {
        yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Economics: benefit-scale sensitivity at {100 * _options.BenefitScale:0.##}%; discount rate {100 * _options.UnitValues.DiscountRate:0.##}%.");
    }
}

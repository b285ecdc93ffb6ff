using Evaluation.Stats.Data;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;

namespace Evaluation.Stats.Tool;

/// <summary>What <c>evalstats report</c> has already read, handed to the extensions so that no file is read twice.</summary>
/// <param name="Design">The design.</param>
/// <param name="Journeys">The journeys as read (with their unparseable rows set aside).</param>
internal sealed record ReportLoaded(EvaluationDesign Design, RecordSet<Journey> Journeys);

/// <summary>
/// The sections <c>evalstats report</c> adds to the standard report (registered in <see cref="ReportCommand.Extensions"/>):
/// the programme block of each outcome, the trends, the indicators, and the economics when <c>--costs</c> is given.
/// </summary>
internal static class ReportExtensions
{
    public static IEnumerable<Func<ReportCommandInput, IReportExtension?>> All =>
    [
        _ => new ProgrammeReportExtension(),
        a => new TrendsReportExtension(Trends.Trends.Analyze(Loaded(a).Design, Loaded(a).Journeys)),
        a => a.Costs is null ? null : new EconomicsReportExtension(EconomicsReaders.Costs(a.Costs, Loaded(a).Design.Pairs.Select(p => p.Name).ToArray())),
        a => new IndicatorsReportExtension(IndicatorEvaluator.Evaluate(Loaded(a).Design, Loaded(a).Journeys)),
    ];

    private static ReportLoaded Loaded(ReportCommandInput a) =>
        a.Loaded ?? throw new InvalidOperationException("The report's extensions are made after the journeys are read.");
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Trends;

/// <summary>
/// Time (methodology §11): the series of every pair, arm and interval, and from it the pre-trend test, the event study
/// and the placebo DiD.
/// </summary>
public static partial class Trends
{
    /// <summary>
    /// The series: for each pair, arm and interval, new journeys, clients in treatment and the §2 outcomes with the
    /// interval as W, with a balanced ledger for every interval's analyses.
    /// </summary>
    /// <param name="design">The design: windows, pairs and rules.</param>
    /// <param name="journeys">The journeys and any rows set aside as unparseable.</param>
    /// <param name="kind">The interval: calendar quarter (the default), month or fiscal year.</param>
    /// <param name="implementation">Fast (one columnar pass for every interval) unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    /// <exception cref="ArgumentException">When a pair names an area absent from the data.</exception>
    public static TrendSeries Series(EvaluationDesign design, RecordSet<Journey> journeys, IntervalKind kind = IntervalKind.Quarter, Implementation? implementation = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(journeys);
        design.RequireAreasPresent(journeys.Records.Select(j => j.Area), "journeys");
        var rows = journeys.Records;
        return (implementation ?? LogisticOptions.DefaultImplementation) == Implementation.Reference
            ? ReferenceSeries.Build(design, journeys, kind)
            : FastSeries.Build(design, JourneyTable.From(rows), kind, journeys.Rejected, i => rows[i].SourceLine);
    }

    /// <summary>
    /// The series from a columnar table, by the fast pass (for callers that keep a <see cref="JourneyTable"/>, such as a
    /// benchmark or a columnar reader). Ledger lines of data errors are 0 (the table holds no source lines).
    /// </summary>
    public static TrendSeries Series(EvaluationDesign design, JourneyTable table, IntervalKind kind = IntervalKind.Quarter)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(table);
        return FastSeries.Build(design, table, kind, [], _ => 0);
    }
}

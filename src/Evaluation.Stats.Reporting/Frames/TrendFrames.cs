using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Trends;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>DataFrames of the time results (methodology §11): the series, the estimates, and the Table 7.4 rows.</summary>
public static class TrendFrames
{
    /// <summary>
    /// One row per pair, interval and arm: <c>pair, interval, end, phase, arm, newJourneys, inTreatment</c>, then for each
    /// outcome <c>{outcome}N, {outcome}Events, {outcome}Proportion</c> (null where undefined or n = 0).
    /// </summary>
    public static DataFrame ToDataFrame(this TrendSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.Points;
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("pair", points.Select(p => p.Pair)),
            new StringDataFrameColumn("interval", points.Select(p => p.Interval.Name)),
            new StringDataFrameColumn("end", points.Select(p => p.Interval.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            new StringDataFrameColumn("phase", points.Select(p => p.Interval.Phase.ToString().ToLowerInvariant())),
            new StringDataFrameColumn("arm", points.Select(p => p.Arm == Group.Pilot ? "pilot" : "comparison")),
            new Int64DataFrameColumn("newJourneys", points.Select(p => (long?)p.NewJourneys)),
            new Int64DataFrameColumn("inTreatment", points.Select(p => (long?)p.InTreatment)),
        };
        foreach (var o in TrendSeries.Outcomes)
        {
            columns.Add(new Int64DataFrameColumn($"{o}N", points.Select(p => p.Outcome(o)?.N)));
            columns.Add(new Int64DataFrameColumn($"{o}Events", points.Select(p => p.Outcome(o)?.Events)));
            columns.Add(new DoubleDataFrameColumn($"{o}Proportion", points.Select(p => p.Outcome(o) is { N: > 0 } c ? c.Proportion : (double?)null)));
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// One row per estimate: <c>pair, outcome, model</c> (<c>preTrend</c>, <c>eventStudy</c> or <c>placebo</c>),
    /// <c>interval</c> (event study only), <c>estimate, stdError, zValue, pValue, ciLower, ciUpper</c>. Absent estimates
    /// have no row; an event-study interval whose δ is undefined has a row of nulls, and the reference a 0 without SE.
    /// </summary>
    public static DataFrame ToDataFrame(this TrendAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var rows = new List<(string Pair, string Outcome, string Model, string? Interval, double? Est, double? Se, double? Z, double? P, double? Lo, double? Hi)>();
        foreach (var pair in analysis.Pairs)
            foreach (var o in pair.Outcomes.Values)
            {
                if (o.PreTrend is { } t) rows.Add((pair.Name, o.Outcome, "preTrend", null, t.Estimate, t.StdError, t.ZValue, t.PValue, t.CiLower, t.CiUpper));
                if (o.EventStudy is { } es)
                    foreach (var c in es.Coefficients)
                        rows.Add((pair.Name, o.Outcome, "eventStudy", c.Interval.Name, c.Estimate, c.StdError, c.ZValue, c.PValue, c.CiLower, c.CiUpper));
                if (o.Placebo is { } pl)
                {
                    var rd = pl.RiskDifference;
                    rows.Add((pair.Name, o.Outcome, "placebo", null, rd.Estimate, rd.StdError, rd.StdError > 0 ? rd.Estimate / rd.StdError : null, rd.PValue, rd.CiLower, rd.CiUpper));
                }
            }
        return new DataFrame(
            new StringDataFrameColumn("pair", rows.Select(r => r.Pair)),
            new StringDataFrameColumn("outcome", rows.Select(r => r.Outcome)),
            new StringDataFrameColumn("model", rows.Select(r => r.Model)),
            new StringDataFrameColumn("interval", rows.Select(r => r.Interval)),
            new DoubleDataFrameColumn("estimate", rows.Select(r => r.Est)),
            new DoubleDataFrameColumn("stdError", rows.Select(r => r.Se)),
            new DoubleDataFrameColumn("zValue", rows.Select(r => r.Z)),
            new DoubleDataFrameColumn("pValue", rows.Select(r => r.P)),
            new DoubleDataFrameColumn("ciLower", rows.Select(r => r.Lo)),
            new DoubleDataFrameColumn("ciUpper", rows.Select(r => r.Hi)));
    }

    /// <summary>The report's Table 7.4 rows: <c>pair, arm, fiscalYear, newJourneys, index, retained, completedEarly, retainedShare, completedEarlyShare, effectiveShare</c>.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<NewJourneyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static double? Finite(double x) => double.IsFinite(x) ? x : null;
        return new DataFrame(
            new StringDataFrameColumn("pair", rows.Select(r => r.Pair)),
            new StringDataFrameColumn("arm", rows.Select(r => r.Arm == Group.Pilot ? "pilot" : "comparison")),
            new StringDataFrameColumn("fiscalYear", rows.Select(r => r.Year.Name)),
            new Int64DataFrameColumn("newJourneys", rows.Select(r => (long?)r.NewJourneys)),
            new DoubleDataFrameColumn("index", rows.Select(r => r.Index)),
            new Int64DataFrameColumn("retained", rows.Select(r => (long?)r.Retained)),
            new Int64DataFrameColumn("completedEarly", rows.Select(r => (long?)r.CompletedEarly)),
            new DoubleDataFrameColumn("retainedShare", rows.Select(r => Finite(r.RetainedShare))),
            new DoubleDataFrameColumn("completedEarlyShare", rows.Select(r => Finite(r.CompletedEarlyShare))),
            new DoubleDataFrameColumn("effectiveShare", rows.Select(r => Finite(r.EffectiveShare))));
    }
}

using Evaluation.Stats.Indicators;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting.Frames;

/// <summary>DataFrames of the national indicators (methodology §13).</summary>
public static class IndicatorFrames
{
    /// <summary>
    /// One row per indicator, pair and cell: <c>indicator, pair, cell, n, events, proportion, wilsonLower, wilsonUpper,
    /// mean, median, q1, q3</c>. Proportion indicators fill the counts and interval; time in treatment and waiting
    /// times also have rows (<c>timeInTreatment.days</c>, <c>waitingTimes.days</c>) with the distribution of days.
    /// Values that do not apply are null.
    /// </summary>
    public static DataFrame ToDataFrame(this IndicatorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var indicator = new List<string>(); var pair = new List<string>(); var cell = new List<string>();
        var n = new List<long?>(); var events = new List<long?>();
        var p = new List<double?>(); var lo = new List<double?>(); var hi = new List<double?>();
        var mean = new List<double?>(); var median = new List<double?>(); var q1 = new List<double?>(); var q3 = new List<double?>();
        static double? V(double x) => double.IsFinite(x) ? x : null;
        void Row(string i, string pr, string c, long count, long? ev, WilsonProportion? w, DaysSummary? d)
        {
            indicator.Add(i); pair.Add(pr); cell.Add(c); n.Add(count); events.Add(ev);
            p.Add(w is null ? null : V(w.Proportion)); lo.Add(w is null ? null : V(w.WilsonLower)); hi.Add(w is null ? null : V(w.WilsonUpper));
            mean.Add(d is null ? null : V(d.Mean)); median.Add(d is null ? null : V(d.Median)); q1.Add(d is null ? null : V(d.Q1)); q3.Add(d is null ? null : V(d.Q3));
        }
        foreach (var (name, pairs) in result.ProportionCells())
            foreach (var (pr, cells) in pairs)
                foreach (var (c, x) in cells.Named())
                    Row(name, pr, c, x.N, x.Events, Proportions.Wilson(x.Events, x.N, result.ConfidenceLevel), null);
        foreach (var t in result.TimeInTreatment)
            foreach (var (c, x) in t.Cells) Row(IndicatorNames.TimeInTreatment + ".days", t.Pair, c, x.Days.N, null, null, x.Days);
        foreach (var w in result.WaitingTimes)
            foreach (var (c, x) in w.Cells) Row(IndicatorNames.WaitingTimes + ".days", w.Pair, c, x.Waits.N, null, null, x.Waits);
        return new DataFrame(
            new StringDataFrameColumn("indicator", indicator), new StringDataFrameColumn("pair", pair), new StringDataFrameColumn("cell", cell),
            new PrimitiveDataFrameColumn<long>("n", n), new PrimitiveDataFrameColumn<long>("events", events),
            new DoubleDataFrameColumn("proportion", p), new DoubleDataFrameColumn("wilsonLower", lo), new DoubleDataFrameColumn("wilsonUpper", hi),
            new DoubleDataFrameColumn("mean", mean), new DoubleDataFrameColumn("median", median), new DoubleDataFrameColumn("q1", q1), new DoubleDataFrameColumn("q3", q3));
    }

    /// <summary>The funnel points: <c>indicator, pair, cell, n, proportion, benchmark, lower95, upper95, lower998, upper998, position</c>.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<FunnelPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return new DataFrame(
            new StringDataFrameColumn("indicator", points.Select(x => x.Indicator)), new StringDataFrameColumn("pair", points.Select(x => x.Pair)),
            new StringDataFrameColumn("cell", points.Select(x => x.Cell)), new PrimitiveDataFrameColumn<long>("n", points.Select(x => x.Value.N)),
            new DoubleDataFrameColumn("proportion", points.Select(x => x.Value.Proportion)), new DoubleDataFrameColumn("benchmark", points.Select(x => x.Limits.Benchmark)),
            new DoubleDataFrameColumn("lower95", points.Select(x => x.Limits.Lower95)), new DoubleDataFrameColumn("upper95", points.Select(x => x.Limits.Upper95)),
            new DoubleDataFrameColumn("lower998", points.Select(x => x.Limits.Lower998)), new DoubleDataFrameColumn("upper998", points.Select(x => x.Limits.Upper998)),
            new StringDataFrameColumn("position", points.Select(x => x.Position)));
    }
}

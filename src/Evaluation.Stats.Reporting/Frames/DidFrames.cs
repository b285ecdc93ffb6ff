using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// <c>ToDataFrame()</c> for cells and DiDs. Column names are camelCase, as in the CLI's JSON. Proportions and DiDs
/// are fractions, as in <see cref="DidResult"/>, except in <see cref="ToDataFrame(IEnumerable{DidTableRow})"/>,
/// whose columns say <c>PercentagePoints</c> or <c>Percent</c>. Undefined numbers are missing values.
/// </summary>
public static class DidFrames
{
    /// <summary>
    /// One row per DiD: the four cells (n, events, proportion), each arm's change, the risk-difference DiD with SE, CI
    /// and p, the log-odds interaction, the base-count change, the DiD in people, and any warnings joined by "; ".
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<DidResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return AddDid(FrameBuilder.Of(results).Text("pair", r => r.Pair), r => r).Build();
    }

    /// <summary>The DiD as a one-row frame (see <see cref="ToDataFrame(IEnumerable{DidResult})"/>).</summary>
    public static DataFrame ToDataFrame(this DidResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new[] { result }.ToDataFrame();
    }

    /// <summary>The report-style rows (Tables 6.1 to 6.4): percentages and changes in percentage points, as printed.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<DidTableRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return FrameBuilder.Of(rows)
            .Text("pair", r => r.Pair)
            .Long("pilotPreN", r => r.PilotPreN).Number("pilotPrePercent", r => r.PilotPrePercent)
            .Long("pilotPostN", r => r.PilotPostN).Number("pilotPostPercent", r => r.PilotPostPercent)
            .Number("pilotChangePercentagePoints", r => r.PilotChangePercentagePoints)
            .Long("comparisonPreN", r => r.ComparisonPreN).Number("comparisonPrePercent", r => r.ComparisonPrePercent)
            .Long("comparisonPostN", r => r.ComparisonPostN).Number("comparisonPostPercent", r => r.ComparisonPostPercent)
            .Number("comparisonChangePercentagePoints", r => r.ComparisonChangePercentagePoints)
            .Number("didPercentagePoints", r => r.DidPercentagePoints)
            .Number("ciLowerPercentagePoints", r => r.CiLowerPercentagePoints).Number("ciUpperPercentagePoints", r => r.CiUpperPercentagePoints)
            .Number("pValue", r => r.PValue)
            .Build();
    }

    /// <summary>
    /// Every pair and outcome of an evaluation, one row each: <c>pair</c>, <c>outcome</c>, then the columns of
    /// <see cref="ToDataFrame(IEnumerable{DidResult})"/>, then the adjusted model's headline numbers (missing for
    /// aggregate counts, which have no record-level model).
    /// </summary>
    public static DataFrame ToDataFrame(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Pairs.SelectMany(p => p.Outcomes.Values.Select(o => (Pair: p.Name, Outcome: o))).ToArray();
        var b = FrameBuilder.Of(rows).Text("pair", r => r.Pair).Text("outcome", r => r.Outcome.Outcome);
        AddDid(b, r => r.Outcome.Did);
        return RegressionFrames.AddAdjusted(b, r => r.Outcome.Adjusted, prefix: "adjusted").Build();
    }

    /// <summary>
    /// The cells in long ("tidy") form, one row per pair, outcome, group and period: <c>n</c>, <c>events</c>,
    /// <c>proportion</c>, and <c>inputRows</c> (the input rows in the cell: equal to n for record-level outcomes,
    /// the number of quarters for aggregate counts). The shape to plot from or to pivot.
    /// </summary>
    public static DataFrame ToCellsDataFrame(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = (from p in result.Pairs
                    from o in p.Outcomes.Values
                    from c in o.Cells.Named().Zip(o.CellRows.Named())
                    select (Pair: p.Name, o.Outcome, Name: c.First.Name, Cell: c.First.Cell, Rows: c.Second.Cell.N)).ToArray();
        return FrameBuilder.Of(rows)
            .Text("pair", r => r.Pair).Text("outcome", r => r.Outcome)
            .Text("group", r => r.Name.StartsWith("pilot", StringComparison.Ordinal) ? "pilot" : "comparison")
            .Text("period", r => r.Name.EndsWith("Pre", StringComparison.Ordinal) ? "pre" : "post")
            .Long("n", r => r.Cell.N).Long("events", r => r.Cell.Events).Number("proportion", r => r.Cell.Proportion)
            .Long("inputRows", r => r.Rows)
            .Build();
    }

    private static FrameBuilder<T> AddDid<T>(FrameBuilder<T> b, Func<T, DidResult> did)
    {
        foreach (var name in new[] { "pilotPre", "pilotPost", "comparisonPre", "comparisonPost" })
        {
            Cell CellOf(T row) => did(row).Cells.Named().First(c => c.Name == name).Cell;
            b.Long($"{name}N", r => CellOf(r).N).Long($"{name}Events", r => CellOf(r).Events).Number($"{name}Proportion", r => CellOf(r).Proportion);
        }
        return b
            .Number("pilotChange", r => did(r).PilotChange).Number("comparisonChange", r => did(r).ComparisonChange)
            .Number("did", r => did(r).RiskDifference.Estimate).Number("didStdError", r => did(r).RiskDifference.StdError)
            .Number("didCiLower", r => did(r).RiskDifference.CiLower).Number("didCiUpper", r => did(r).RiskDifference.CiUpper)
            .Number("didPValue", r => did(r).RiskDifference.PValue)
            .Number("confidenceLevel", r => did(r).RiskDifference.ConfidenceLevel)
            .Number("logOdds", r => did(r).LogOddsInteraction?.Estimate).Number("logOddsStdError", r => did(r).LogOddsInteraction?.StdError)
            .Number("logOddsPValue", r => did(r).LogOddsInteraction?.PValue)
            .Number("baseCountPilotChange", r => did(r).BaseCount.PilotChange).Number("baseCountComparisonChange", r => did(r).BaseCount.ComparisonChange)
            .Number("baseCountDifference", r => did(r).BaseCount.Difference)
            .Number("people", r => did(r).People)
            .Text("warnings", r => string.Join("; ", did(r).Warnings));
    }
}

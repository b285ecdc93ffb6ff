using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Indicators;

/// <summary>Contract names of the indicators (the CLI's JSON keys and the ledger's analysis names).</summary>
public static class IndicatorNames
{
    /// <summary><c>completionWithoutRepresentation</c>.</summary>
    public const string CompletionWithoutRepresentation = "completionWithoutRepresentation";
    /// <summary><c>timeInTreatment</c>.</summary>
    public const string TimeInTreatment = "timeInTreatment";
    /// <summary><c>waitingTimes</c>.</summary>
    public const string WaitingTimes = "waitingTimes";
    /// <summary><c>topAbstinence</c>.</summary>
    public const string TopAbstinence = "topAbstinence";

    /// <summary>The key of a follow-up period: <c>months6</c> for 182 days, <c>months12</c> for 365, otherwise <c>daysR</c>.</summary>
    public static string Period(int days) => days switch { 182 => "months6", 365 => "months12", _ => $"days{days}" };

    /// <summary>The key of a waiting threshold: <c>over3Weeks</c> for 21 days, <c>over6Weeks</c> for 42, otherwise <c>overNDays</c>.</summary>
    public static string Threshold(int days) => days % 7 == 0 ? $"over{days / 7}Weeks" : $"over{days}Days";

    /// <summary>The outcome name of completion without re-presentation within <paramref name="days"/>, for example <c>completionWithoutRepresentation.months6</c>.</summary>
    public static string Representation(int days) => $"{CompletionWithoutRepresentation}.{Period(days)}";

    /// <summary>The outcome name of TOP abstinence from a substance, for example <c>topAbstinence.opiates</c>.</summary>
    public static string Top(string substance) => $"{TopAbstinence}.{substance}";
}

/// <summary>The time-in-treatment bands, counting a year as 365.25 days.</summary>
public static class TreatmentBands
{
    /// <summary>The band labels: under 1 year, 1 to under 2, 2 to under 4, 4 to under 6, 6 or more.</summary>
    public static readonly IReadOnlyList<string> Labels = ["under1Year", "1To2Years", "2To4Years", "4To6Years", "6YearsOrMore"];

    private static readonly double[] Edges = [1, 2, 4, 6];

    /// <summary>The band of <paramref name="days"/> in treatment, 0 to 4.</summary>
    public static int Of(int days)
    {
        double years = days / IndicatorClassifier.DaysPerYear;
        int b = 0;
        while (b < Edges.Length && years >= Edges[b]) b++;
        return b;
    }
}

/// <summary>Time in treatment in one cell.</summary>
/// <param name="Days">The distribution of days from start to min(end, e).</param>
/// <param name="Bands">The share in each of <see cref="TreatmentBands.Labels"/> (NaN when the cell is empty).</param>
/// <param name="OverTwoYears">The share with two years (730.5 days) or more, with its Wilson interval.</param>
public sealed record TimeInTreatmentCell(DaysSummary Days, IReadOnlyList<double> Bands, WilsonProportion OverTwoYears);

/// <summary>Time in treatment for one pair.</summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Cells">The four cells by contract name (<c>pilotPre</c>, …).</param>
/// <param name="MeanDid">The DiD of the mean days with a Welch-type SE; <c>null</c> when a cell has fewer than 2 clients.</param>
/// <param name="OverTwoYearsDid">The DiD of the share with two years or more; <c>null</c> when a cell is empty.</param>
public sealed record TimeInTreatmentResult(string Pair, IReadOnlyDictionary<string, TimeInTreatmentCell> Cells, WaldEstimate? MeanDid, DidResult? OverTwoYearsDid)
{
    /// <summary>The pair's cells and DiDs.</summary>
    public override string ToString() => Formatting.IndicatorText.Format(this);
}

/// <summary>Waiting times in one cell.</summary>
/// <param name="Waits">The distribution of waits in days.</param>
/// <param name="Over">The share waiting over each threshold (in the order of <see cref="IndicatorOptions.WaitThresholds"/>), with its Wilson interval.</param>
public sealed record WaitingCell(DaysSummary Waits, IReadOnlyList<WilsonProportion> Over);

/// <summary>Waiting times for one pair.</summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Thresholds">The thresholds in days.</param>
/// <param name="Cells">The four cells by contract name.</param>
/// <param name="OverDid">The DiD of the share over each threshold; <c>null</c> when a cell is empty.</param>
public sealed record WaitingTimesResult(string Pair, IReadOnlyList<int> Thresholds, IReadOnlyDictionary<string, WaitingCell> Cells, IReadOnlyList<DidResult?> OverDid)
{
    /// <summary>The pair's cells and DiDs.</summary>
    public override string ToString() => Formatting.IndicatorText.Format(this);
}

/// <summary>A proportion indicator's cells and DiD for one pair.</summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Cells">The cells.</param>
/// <param name="Did">The DiD; <c>null</c> when a cell is empty (see <see cref="Warnings"/>).</param>
/// <param name="Warnings">Why the DiD is absent, or what else the reader should know.</param>
public sealed record ProportionResult(string Pair, PairCells Cells, DidResult? Did, IReadOnlyList<string> Warnings);

/// <summary>One cell of a proportion indicator placed on a funnel plot.</summary>
/// <param name="Indicator">The indicator, for example <c>completionWithoutRepresentation.months6</c>.</param>
/// <param name="Pair">The pair.</param>
/// <param name="Cell">The cell's contract name, for example <c>pilotPost</c>.</param>
/// <param name="Value">The proportion with its Wilson interval.</param>
/// <param name="Limits">The funnel limits at the cell's n around the window's benchmark.</param>
/// <param name="Position">Where the proportion lies against the limits (see <see cref="FunnelLimits.Classify"/>).</param>
public sealed record FunnelPoint(string Indicator, string Pair, string Cell, WilsonProportion Value, FunnelLimits Limits, string Position);

/// <summary>
/// The national indicators of methodology §13 for every pair: completion without re-presentation (cells, DiD and the
/// adjusted model, as the other journey outcomes), time in treatment, waiting times and, with TOP records, abstinence
/// at review; every proportion with a Wilson interval and a place on a funnel plot; and one exclusion ledger over
/// every analysis.
/// </summary>
/// <param name="Representation">Completion without re-presentation, one outcome per R (<see cref="IndicatorNames.Representation"/>), as a journey evaluation.</param>
/// <param name="TimeInTreatment">Per pair.</param>
/// <param name="WaitingTimes">Per pair.</param>
/// <param name="Top">TOP abstinence per substance (<see cref="IndicatorNames.Top"/>), per pair; empty without TOP records.</param>
/// <param name="Exclusions">The ledger of every analysis.</param>
/// <param name="Classifications">For each analysis, where each input row ended.</param>
/// <param name="ConfidenceLevel">The level of every interval.</param>
/// <param name="Benchmark">The funnel benchmark given in the options, or <c>null</c> for each indicator's pooled proportion per window.</param>
public sealed record IndicatorResult(EvaluationResult Representation, IReadOnlyList<TimeInTreatmentResult> TimeInTreatment,
    IReadOnlyList<WaitingTimesResult> WaitingTimes, IReadOnlyDictionary<string, IReadOnlyList<ProportionResult>> Top,
    ExclusionLedger Exclusions, IReadOnlyDictionary<string, IReadOnlyList<RowStatus>> Classifications, double ConfidenceLevel, double? Benchmark)
{
    /// <summary>Every proportion indicator by name, with each pair's cells.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Pair, PairCells Cells)>> ProportionCells()
    {
        var all = new Dictionary<string, IReadOnlyList<(string, PairCells)>>(StringComparer.Ordinal);
        foreach (var outcome in Representation.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())
            all[outcome] = Representation.Pairs.Select(p => (p.Name, p.Outcomes[outcome].Cells)).ToList();
        all[IndicatorNames.TimeInTreatment + ".overTwoYears"] = TimeInTreatment.Select(t => (t.Pair, Cells(t.Cells, c => c.OverTwoYears))).ToList();
        if (WaitingTimes.Count > 0)
            for (int k = 0; k < WaitingTimes[0].Thresholds.Count; k++)
            {
                int kk = k;
                all[IndicatorNames.WaitingTimes + "." + IndicatorNames.Threshold(WaitingTimes[0].Thresholds[k])] =
                    WaitingTimes.Select(w => (w.Pair, Cells(w.Cells, c => c.Over[kk]))).ToList();
            }
        foreach (var (name, results) in Top)
            all[name] = results.Select(r => (r.Pair, r.Cells)).ToList();
        return all;
    }

    /// <summary>
    /// Every cell of every proportion indicator on a funnel plot: its Wilson interval, and the 95% and 99.8% limits at
    /// its n around the benchmark (<see cref="Benchmark"/> when given, otherwise the indicator's proportion pooled over
    /// every pair's cells of the same window). Empty cells are left out.
    /// </summary>
    public IReadOnlyList<FunnelPoint> Funnel()
    {
        var points = new List<FunnelPoint>();
        foreach (var (indicator, pairs) in ProportionCells())
            foreach (var period in new[] { "Pre", "Post" })
            {
                var cells = pairs.SelectMany(p => p.Cells.Named().Where(c => c.Name.EndsWith(period, StringComparison.Ordinal)).Select(c => (p.Pair, c.Name, c.Cell))).ToList();
                long n = cells.Sum(c => c.Cell.N), events = cells.Sum(c => c.Cell.Events);
                if (n == 0) continue;
                double benchmark = Benchmark ?? (double)events / n;
                foreach (var (pair, name, cell) in cells.Where(c => c.Cell.N > 0))
                {
                    var limits = Proportions.Funnel(cell.N, benchmark);
                    var value = Proportions.Wilson(cell.Events, cell.N, ConfidenceLevel);
                    points.Add(new FunnelPoint(indicator, pair, name, value, limits, limits.Classify(value.Proportion)));
                }
            }
        return points;
    }

    private static PairCells Cells<T>(IReadOnlyDictionary<string, T> cells, Func<T, WilsonProportion> p)
    {
        Cell C(string name) => new(p(cells[name]).N, p(cells[name]).Events);
        return new PairCells(C("pilotPre"), C("pilotPost"), C("comparisonPre"), C("comparisonPost"));
    }

    /// <summary>Every indicator as text, then the ledger.</summary>
    public override string ToString() => Formatting.IndicatorText.Format(this);
}

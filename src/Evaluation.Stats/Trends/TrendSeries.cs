using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Trends;

/// <summary>
/// One pair's arm in one interval (methodology §11): new journeys started, clients in treatment, and the §2 outcomes with
/// the interval as the window W, as cells. Immutable.
/// </summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Interval">The interval.</param>
/// <param name="Arm">The arm.</param>
/// <param name="NewJourneys">Journey rows of the arm's areas that start in the interval, at any age.</param>
/// <param name="InTreatment">Clients whose latest journey crossing into the interval is in the arm's areas, at or above the minimum age.</param>
/// <param name="EffectiveTreatment">§2.1 with W = the interval; <c>null</c> when the interval is shorter than D days (undefined).</param>
/// <param name="SuccessfulCompletion">§2.2 with W = the interval.</param>
/// <param name="SuccessfulCompletionOfCaseload">§2.3 with W = the interval; <c>null</c> when the interval is shorter than D days.</param>
public sealed record SeriesPoint(string Pair, TrendInterval Interval, Group Arm, long NewJourneys, long InTreatment,
    Cell? EffectiveTreatment, Cell SuccessfulCompletion, Cell? SuccessfulCompletionOfCaseload)
{
    /// <summary>The cell of an outcome by contract name (<see cref="OutcomeNames"/>); <c>null</c> when undefined in this interval.</summary>
    /// <exception cref="ArgumentException">When <paramref name="outcome"/> is not a journey outcome.</exception>
    public Cell? Outcome(string outcome) => outcome switch
    {
        OutcomeNames.EffectiveTreatment => EffectiveTreatment,
        OutcomeNames.SuccessfulCompletion => SuccessfulCompletion,
        OutcomeNames.SuccessfulCompletionOfCaseload => SuccessfulCompletionOfCaseload,
        _ => throw new ArgumentException($"'{outcome}' is not a journey outcome.", nameof(outcome)),
    };
}

/// <summary>
/// The series of every pair, arm and interval, with the exclusion ledger of every interval's analyses
/// (<c>effectiveTreatment/2008-01-01</c> and so on). Immutable.
/// </summary>
public sealed class TrendSeries
{
    /// <summary>The analysis name of new journeys, <c>newJourneys</c>.</summary>
    public const string NewJourneys = "newJourneys";

    /// <summary>The analysis name of clients in treatment, <c>inTreatment</c>.</summary>
    public const string InTreatment = "inTreatment";

    /// <summary>The ledger reason of a journey row that did not start in the interval (new journeys only).</summary>
    public const string NotStartedInInterval = "not started in interval";

    /// <summary>The three §2 outcomes, in contract order.</summary>
    public static IReadOnlyList<string> Outcomes { get; } =
        [OutcomeNames.EffectiveTreatment, OutcomeNames.SuccessfulCompletion, OutcomeNames.SuccessfulCompletionOfCaseload];

    private readonly SeriesPoint[] _points;

    internal TrendSeries(IntervalKind kind, IReadOnlyList<TrendInterval> intervals, IReadOnlyList<string> pairs, SeriesPoint[] points,
        ExclusionLedger exclusions, IReadOnlyList<string> warnings)
    {
        Kind = kind; Intervals = intervals; Pairs = pairs; _points = points; Exclusions = exclusions; Warnings = warnings;
    }

    /// <summary>The unit of the intervals.</summary>
    public IntervalKind Kind { get; }

    /// <summary>The intervals, in order.</summary>
    public IReadOnlyList<TrendInterval> Intervals { get; }

    /// <summary>The pairs' names, in design order.</summary>
    public IReadOnlyList<string> Pairs { get; }

    /// <summary>Every point: by pair (design order), then interval, then arm (pilot first).</summary>
    public IReadOnlyList<SeriesPoint> Points => _points;

    /// <summary>The exclusion ledger of every interval's analyses: for each, the cells' rows plus the ledger's rows equal the input rows.</summary>
    public ExclusionLedger Exclusions { get; }

    /// <summary>What the reader must know, for example that effective treatment is undefined in intervals shorter than D days.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The point of a pair (by index), interval (by index) and arm.</summary>
    public SeriesPoint this[int pair, int interval, Group arm] => _points[(pair * Intervals.Count + interval) * 2 + (arm == Group.Pilot ? 0 : 1)];

    /// <summary>The points of one pair, in interval order, pilot before comparison.</summary>
    public IEnumerable<SeriesPoint> ForPair(int pair) => _points.Skip(pair * Intervals.Count * 2).Take(Intervals.Count * 2);

    /// <summary>The analysis name of a series measure in an interval, for example <c>effectiveTreatment/2008-01-01</c>.</summary>
    public static string Analysis(string measure, TrendInterval interval) => $"{measure}/{interval.Name}";

    /// <summary>The series as one table per pair: new journeys, in treatment and each outcome's events/n by interval and arm.</summary>
    public override string ToString() => Formatting.TrendText.Format(this);
}

/// <summary>
/// Counts shared by the two series implementations: per pair, arm and interval the eight numbers of a point, and per
/// interval and analysis the ledger's counts by reason. Its size is that of the cells and ledger, whatever the input.
/// </summary>
internal sealed class SeriesCounts
{
    public const int Slots = 8; // new, in treatment, ET n, ET events, SC n, SC events, SCC n, SCC events
    public const int New = 0, Treated = 1, EtN = 2, EtEvents = 3, ScN = 4, ScEvents = 5, SccN = 6, SccEvents = 7;

    public SeriesCounts(EvaluationDesign design, IntervalKind kind)
    {
        Design = design;
        Kind = kind;
        Intervals = TrendIntervals.For(design.Study, kind);
        EffectiveDefined = Intervals.Select(i => i.LengthInDays >= design.Rules.EffectiveTreatmentDays).ToArray();
        Cells = new long[design.Pairs.Count * 2 * Intervals.Count * Slots];
    }

    public EvaluationDesign Design { get; }
    public IntervalKind Kind { get; }
    public IReadOnlyList<TrendInterval> Intervals { get; }
    public bool[] EffectiveDefined { get; }
    public long[] Cells { get; }
    public List<ExclusionEntry> Entries { get; } = [];
    public Dictionary<string, long> InputRows { get; } = new(StringComparer.Ordinal);

    public int At(int pair, Group arm, int interval, int slot) => ((pair * Intervals.Count + interval) * 2 + (arm == Group.Pilot ? 0 : 1)) * Slots + slot;

    /// <summary>The measures of interval <paramref name="k"/> that have an analysis (effective treatment and the caseload share only when defined).</summary>
    public IEnumerable<string> Measures(int k)
    {
        yield return TrendSeries.NewJourneys;
        yield return TrendSeries.InTreatment;
        if (EffectiveDefined[k]) yield return OutcomeNames.EffectiveTreatment;
        yield return OutcomeNames.SuccessfulCompletion;
        if (EffectiveDefined[k]) yield return OutcomeNames.SuccessfulCompletionOfCaseload;
    }

    /// <summary>Adds one analysis's ledger in the order <see cref="ExclusionLedger"/> uses (decreasing rows, then reason).</summary>
    public void AddLedger(string analysis, IReadOnlyDictionary<string, long> counts, Func<string, IReadOnlyList<long>> linesOf, IReadOnlyList<RejectedRow> rejected, long parsedRows)
    {
        var all = counts.Where(kv => kv.Value > 0).Select(kv => (Reason: kv.Key, Rows: kv.Value)).ToList();
        if (rejected.Count > 0) all.Add((ExclusionReasons.Unparseable, rejected.Count));
        foreach (var (reason, rows) in all.OrderByDescending(x => x.Rows).ThenBy(x => x.Reason, StringComparer.Ordinal))
            Entries.Add(new ExclusionEntry(analysis, reason, rows,
                reason == ExclusionReasons.Unparseable ? rejected.Select(r => r.Line).ToArray()
                : ExclusionReasons.IsDataError(reason) ? linesOf(reason) : Array.Empty<long>()));
        InputRows[analysis] = parsedRows + rejected.Count;
    }

    public TrendSeries Finish()
    {
        var pairs = Design.Pairs;
        var points = new SeriesPoint[pairs.Count * Intervals.Count * 2];
        int at = 0;
        for (int p = 0; p < pairs.Count; p++)
            for (int k = 0; k < Intervals.Count; k++)
                foreach (var arm in new[] { Group.Pilot, Group.Comparison })
                {
                    long V(int slot) => Cells[At(p, arm, k, slot)];
                    bool et = EffectiveDefined[k];
                    points[at++] = new SeriesPoint(pairs[p].Name, Intervals[k], arm, V(New), V(Treated),
                        et ? new Cell(V(EtN), V(EtEvents)) : null, new Cell(V(ScN), V(ScEvents)), et ? new Cell(V(SccN), V(SccEvents)) : null);
                }
        var warnings = new List<string>();
        var undefined = Intervals.Where((_, k) => !EffectiveDefined[k]).ToList();
        if (undefined.Count > 0)
            warnings.Add($"effective treatment and completions as a share of the caseload are undefined in {undefined.Count} interval(s) shorter than D = {Design.Rules.EffectiveTreatmentDays} days " +
                         $"(first {undefined[0].Name}): no journey starting in such an interval could reach D days inside it");
        return new TrendSeries(Kind, Intervals, pairs.Select(p => p.Name).ToArray(), points, new ExclusionLedger(Entries, InputRows), warnings);
    }
}

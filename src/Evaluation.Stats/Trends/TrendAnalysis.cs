using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Trends;

/// <summary>The checks of one outcome of one pair: pre-trend test, event study and placebo DiD, each <c>null</c> when absent (see <see cref="Warnings"/>).</summary>
/// <param name="Outcome">The outcome's contract name.</param>
/// <param name="PreTrend">The pre-trend test.</param>
/// <param name="EventStudy">The event study.</param>
/// <param name="Placebo">The §5 DiD with the pre window's earlier half as "pre" and its later half as "post".</param>
/// <param name="Warnings">Why something is absent or what to know about it.</param>
public sealed record OutcomeTrends(string Outcome, PreTrendTest? PreTrend, EventStudy? EventStudy, DidResult? Placebo, IReadOnlyList<string> Warnings);

/// <summary>One pair's series and checks.</summary>
/// <param name="Name">The pair's name.</param>
/// <param name="Series">Its points, by interval then arm.</param>
/// <param name="Outcomes">The checks of each outcome, by contract name, in contract order (outcomes undefined at this interval are absent).</param>
public sealed record PairTrends(string Name, IReadOnlyList<SeriesPoint> Series, IReadOnlyDictionary<string, OutcomeTrends> Outcomes);

/// <summary>The result of <see cref="Trends.Analyze"/>: the series, each pair's checks, and the ledger of every analysis (intervals and placebo halves).</summary>
public sealed class TrendAnalysis
{
    internal TrendAnalysis(TrendSeries series, IReadOnlyList<PairTrends> pairs, DateWindow placeboPre, DateWindow placeboPost, ExclusionLedger exclusions)
    {
        Series = series; Pairs = pairs; PlaceboPre = placeboPre; PlaceboPost = placeboPost; Exclusions = exclusions;
    }

    /// <summary>The series.</summary>
    public TrendSeries Series { get; }

    /// <summary>Each pair's series and checks, in design order.</summary>
    public IReadOnlyList<PairTrends> Pairs { get; }

    /// <summary>The earlier half of the pre window (the placebo's "pre").</summary>
    public DateWindow PlaceboPre { get; }

    /// <summary>The later half of the pre window (the placebo's "post").</summary>
    public DateWindow PlaceboPost { get; }

    /// <summary>The ledger: every interval analysis of the series, then the placebo halves (<c>effectiveTreatment/placeboPre</c> and so on).</summary>
    public ExclusionLedger Exclusions { get; }

    /// <summary>The series, then each pair's checks, then the ledger.</summary>
    public override string ToString() => Formatting.TrendText.Format(this);
}

public static partial class Trends
{
    /// <summary>The pre window split in two halves: the earlier has ⌈L/2⌉ of its L days (the DSCP's 548 days give 2007-10-01 to 2008-06-30 and 2008-07-01 to 2009-03-31).</summary>
    /// <exception cref="ArgumentException">When the pre window has a single day.</exception>
    public static (DateWindow Earlier, DateWindow Later) PlaceboHalves(StudyDesign study)
    {
        ArgumentNullException.ThrowIfNull(study);
        int days = study.Pre.LengthInDays;
        if (days < 2) throw new ArgumentException("A one-day pre window cannot be split in halves for the placebo.", nameof(study));
        var split = study.Pre.Start.AddDays((days + 1) / 2);
        return (new DateWindow(study.Pre.Start, split.AddDays(-1)), new DateWindow(split, study.Pre.End));
    }

    /// <summary>
    /// The series and, for each pair and outcome, the pre-trend test, the event study and the placebo DiD (methodology §11).
    /// </summary>
    /// <param name="design">The design.</param>
    /// <param name="journeys">The journeys and any rows set aside as unparseable.</param>
    /// <param name="kind">The interval.</param>
    /// <param name="implementation">Fast unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    public static TrendAnalysis Analyze(EvaluationDesign design, RecordSet<Journey> journeys, IntervalKind kind = IntervalKind.Quarter, Implementation? implementation = null)
    {
        var series = Series(design, journeys, kind, implementation);
        var (earlier, later) = PlaceboHalves(design.Study);
        var placebo = PlaceboCells(design, journeys, earlier, later, (implementation ?? LogisticOptions.DefaultImplementation) == Implementation.Reference,
            out var placeboEntries, out var placeboRows);
        var level = design.ConfidenceLevel;
        var pairs = new List<PairTrends>();
        for (int p = 0; p < design.Pairs.Count; p++)
        {
            var points = series.ForPair(p).ToArray();
            var outcomes = new Dictionary<string, OutcomeTrends>(StringComparer.Ordinal);
            foreach (var outcome in TrendSeries.Outcomes)
            {
                var warnings = new List<string>();
                var cells = points.Where(x => x.Outcome(outcome) is not null).Select(x => new IntervalCell(x.Interval.Index, x.Arm, x.Outcome(outcome)!.Value)).ToArray();
                PreTrendTest? pre = null;
                EventStudy? study = null;
                if (cells.Length == 0) warnings.Add($"{outcome} is undefined at every interval of this kind, so there is no pre-trend test or event study");
                else
                {
                    pre = TrendModels.PreTrend(series.Intervals, cells, out var whyNoPre, level);
                    if (whyNoPre is not null) warnings.Add(whyNoPre);
                    study = TrendModels.EventStudy(series.Intervals, cells, out var whyNoStudy, out var studyWarnings, level);
                    if (whyNoStudy is not null) warnings.Add(whyNoStudy);
                    warnings.AddRange(studyWarnings);
                }
                DidResult? did = null;
                if (placebo.TryGetValue((outcome, p), out var pc))
                {
                    var empty = pc.Named().Where(c => c.Cell.N == 0).Select(c => c.Name).ToArray();
                    if (empty.Length > 0) warnings.Add($"placebo DiD absent: cell(s) {string.Join(", ", empty)} of the pre window's halves have n = 0");
                    else
                    {
                        did = DidEstimator.Estimate(design.Pairs[p].Name, pc, level);
                        warnings.AddRange(did.Warnings.Select(w => $"placebo: {w}"));
                    }
                }
                else warnings.Add($"placebo DiD absent: {outcome} is undefined in a half of the pre window shorter than D = {design.Rules.EffectiveTreatmentDays} days");
                outcomes[outcome] = new OutcomeTrends(outcome, pre, study, did, warnings);
            }
            pairs.Add(new PairTrends(design.Pairs[p].Name, points, outcomes));
        }
        var entries = series.Exclusions.Entries.Concat(placeboEntries).ToList();
        var inputRows = series.Exclusions.Analyses.ToDictionary(a => a, series.Exclusions.InputRows, StringComparer.Ordinal);
        foreach (var (a, n) in placeboRows) inputRows[a] = n;
        return new TrendAnalysis(series, pairs, earlier, later, new ExclusionLedger(entries, inputRows));
    }

    /// <summary>
    /// The §2 cells of every pair in the two halves of the pre window, by outcome (effective treatment and the caseload
    /// share only when a half has at least D days), with their ledger entries.
    /// </summary>
    private static Dictionary<(string Outcome, int Pair), PairCells> PlaceboCells(EvaluationDesign design, RecordSet<Journey> journeys,
        DateWindow earlier, DateWindow later, bool reference, out List<ExclusionEntry> entries, out Dictionary<string, long> inputRows)
    {
        var rows = journeys.Records;
        bool effectiveDefined = Math.Min(earlier.LengthInDays, later.LengthInDays) >= design.Rules.EffectiveTreatmentDays;
        var outcomes = Enum.GetValues<JourneyOutcome>().Where(o => effectiveDefined || o == JourneyOutcome.SuccessfulCompletion).ToArray();
        var analyses = outcomes.SelectMany(o => new[] { (earlier, o), (later, o) }).ToArray();
        RowStatus[][] statuses = reference
            ? analyses.Select(a => JourneyClassifier.Classify(rows, a.Item1, a.o, design.Rules, design.Pairs)).ToArray()
            : FastJourneyClassifier.ClassifyMany(JourneyTable.From(rows), analyses.Select(a => (a.Item1, a.o)).ToArray(), design.Rules, design.Pairs);
        entries = [];
        inputRows = new Dictionary<string, long>(StringComparer.Ordinal);
        var result = new Dictionary<(string, int), PairCells>();
        for (int q = 0; q < outcomes.Length; q++)
        {
            var name = OutcomeNames.Of(outcomes[q]);
            ExclusionLedger.Tally($"{name}/placeboPre", statuses[2 * q], i => rows[i].SourceLine, journeys.Rejected, entries, inputRows);
            ExclusionLedger.Tally($"{name}/placeboPost", statuses[2 * q + 1], i => rows[i].SourceLine, journeys.Rejected, entries, inputRows);
            var early = Tally(statuses[2 * q], design.Pairs.Count);
            var late = Tally(statuses[2 * q + 1], design.Pairs.Count);
            for (int p = 0; p < design.Pairs.Count; p++)
                result[(name, p)] = new PairCells(early[p, 0], late[p, 0], early[p, 1], late[p, 1]);
        }
        return result;
    }

    /// <summary>Each pair's pilot (0) and comparison (1) cell of one classification.</summary>
    private static Cell[,] Tally(RowStatus[] status, int pairs)
    {
        var n = new long[pairs, 2];
        var events = new long[pairs, 2];
        foreach (var s in status)
        {
            if (!s.IsIncluded) continue;
            int g = s.Group == Group.Pilot ? 0 : 1;
            n[s.Pair, g]++;
            if (s.IsEvent) events[s.Pair, g]++;
        }
        var cells = new Cell[pairs, 2];
        for (int p = 0; p < pairs; p++) for (int g = 0; g < 2; g++) cells[p, g] = new Cell(n[p, g], events[p, g]);
        return cells;
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Indicators;

/// <summary>
/// Journeys as columns for the indicators: the <see cref="JourneyTable"/> of the classification plus the waiting-time
/// dates as day numbers (<see cref="JourneyTable.NoEnd"/> when blank). Built once per data set.
/// </summary>
public sealed class IndicatorTable
{
    private IndicatorTable(JourneyTable journeys, int[] referral, int[] firstIntervention)
    {
        Journeys = journeys; Referral = referral; FirstIntervention = firstIntervention;
    }

    /// <summary>The journey columns.</summary>
    public JourneyTable Journeys { get; }
    internal int[] Referral { get; }
    internal int[] FirstIntervention { get; }

    /// <summary>Builds the table from records.</summary>
    public static IndicatorTable From(IReadOnlyList<Journey> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var referral = new int[journeys.Count];
        var first = new int[journeys.Count];
        for (int i = 0; i < journeys.Count; i++)
        {
            referral[i] = journeys[i].ReferralDate?.DayNumber ?? JourneyTable.NoEnd;
            first[i] = journeys[i].FirstInterventionDate?.DayNumber ?? JourneyTable.NoEnd;
        }
        return new IndicatorTable(JourneyTable.From(journeys), referral, first);
    }
}

/// <summary>
/// Where every journey ends in each journey-indicator analysis, per window (index 0 pre, 1 post when built from a
/// study design): completion without re-presentation for each R of <see cref="IndicatorOptions.RepresentationDays"/>,
/// time in treatment with each included row's days, and waiting times with each included row's wait.
/// </summary>
public sealed class IndicatorClassification
{
    internal IndicatorClassification(RowStatus[][][] representation, RowStatus[][] timeInTreatment, int[][] treatmentDays,
        RowStatus[][] waiting, int[][] waits)
    {
        RepresentationRows = representation; TimeInTreatmentRows = timeInTreatment; TreatmentDayRows = treatmentDays;
        WaitingRows = waiting; WaitRows = waits;
        Representation = Array.AsReadOnly(representation.Select(ReadOnly).ToArray());
        TimeInTreatment = ReadOnly(timeInTreatment);
        TreatmentDays = ReadOnly(treatmentDays);
        Waiting = ReadOnly(waiting);
        Waits = ReadOnly(waits);
    }

    // The arrays the evaluator tallies from; the public views below cannot write to them.
    internal RowStatus[][][] RepresentationRows { get; }
    internal RowStatus[][] TimeInTreatmentRows { get; }
    internal int[][] TreatmentDayRows { get; }
    internal RowStatus[][] WaitingRows { get; }
    internal int[][] WaitRows { get; }

    /// <summary>Indexed [r][w][row]: R = <c>RepresentationDays[r]</c>, window w.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<RowStatus>>> Representation { get; }

    /// <summary>Indexed [w][row].</summary>
    public IReadOnlyList<IReadOnlyList<RowStatus>> TimeInTreatment { get; }

    /// <summary>Indexed [w][row]: days in treatment of included rows, -1 elsewhere.</summary>
    public IReadOnlyList<IReadOnlyList<int>> TreatmentDays { get; }

    /// <summary>Indexed [w][row]; the event is a wait over the first threshold.</summary>
    public IReadOnlyList<IReadOnlyList<RowStatus>> Waiting { get; }

    /// <summary>Indexed [w][row]: waits in days of included rows, -1 elsewhere.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Waits { get; }

    private static IReadOnlyList<IReadOnlyList<T>> ReadOnly<T>(T[][] rows) =>
        Array.AsReadOnly(rows.Select(r => (IReadOnlyList<T>)Array.AsReadOnly(r)).ToArray());

    /// <summary>The reference classification (<see cref="IndicatorClassifier"/>).</summary>
    public static IndicatorClassification Reference(IReadOnlyList<Journey> journeys, IReadOnlyList<DateWindow> windows, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IndicatorOptions options, IReadOnlyList<string?>? rowErrors = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        var representation = options.RepresentationDays
            .Select(r => windows.Select(w => IndicatorClassifier.Representation(journeys, w, r, rules, pairs, rowErrors)).ToArray()).ToArray();
        var tit = new RowStatus[windows.Count][]; var days = new int[windows.Count][];
        var wait = new RowStatus[windows.Count][]; var waits = new int[windows.Count][];
        for (int w = 0; w < windows.Count; w++)
        {
            tit[w] = IndicatorClassifier.TimeInTreatment(journeys, windows[w], rules, pairs, out days[w]);
            wait[w] = IndicatorClassifier.WaitingTimes(journeys, windows[w], rules, pairs, options.WaitThresholds[0], out waits[w]);
        }
        return new IndicatorClassification(representation, tit, days, wait, waits);
    }
}

/// <summary>
/// The fast classification of the journey indicators: the same answers as <see cref="IndicatorClassifier"/> on an
/// <see cref="IndicatorTable"/>. The caseload (§2.1) and latest-journey (§2.2) selections of every window come from
/// one shared <see cref="FastJourneyClassifier.ClassifyManyCodes"/> call; each window's re-presentation test then looks
/// at each selected completion's client rows once (the earliest later start serves every R), and the time and
/// waiting tests run over blocks of rows on every core.
/// </summary>
public static class FastIndicatorClassifier
{
    private const int RowBlock = 1 << 16;

    /// <summary>Classifies every journey for every journey indicator in every window.</summary>
    public static IndicatorClassification Classify(IndicatorTable table, IReadOnlyList<DateWindow> windows, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IndicatorOptions options, IReadOnlyList<string?>? rowErrors = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        var t = table.Journeys;
        int nw = windows.Count, n = t.Count;
        var analyses = windows.Select(w => (w, JourneyOutcome.EffectiveTreatment))
            .Concat(windows.Select(w => (w, JourneyOutcome.SuccessfulCompletion))).ToArray();
        var codes = FastJourneyClassifier.ClassifyManyCodes(t, analyses, rules, pairs, rowErrors, out var pairOfArea, out var groupOfArea);
        var reasons = FastJourneyClassifier.Reasons;
        var rs = options.RepresentationDays;
        var representation = rs.Select(_ => new RowStatus[nw][]).ToArray();
        var tit = new RowStatus[nw][]; var days = new int[nw][];
        var wait = new RowStatus[nw][]; var waits = new int[nw][];
        var completed = CompletedLookup(rules);
        var rows = t.ClientRows;
        var clientStart = t.ClientStart;
        int blocks = (n + RowBlock - 1) / RowBlock;
        for (int w = 0; w < nw; w++)
        {
            int s = windows[w].Start.DayNumber, e = windows[w].End.DayNumber;
            var et = codes[w];
            var sc = codes[nw + w];
            var rep = rs.Select(_ => new RowStatus[n]).ToArray();
            var tw = new RowStatus[n]; var dw = new int[n];
            var ww = new RowStatus[n]; var wt = new int[n];
            int threshold = options.WaitThresholds[0], minAge = rules.MinimumAge;
            Parallel.For(0, blocks, b =>
            {
                int end = Math.Min(n, (b + 1) * RowBlock);
                for (int i = b * RowBlock; i < end; i++)
                {
                    int area = t.Area[i];
                    int pair = pairOfArea[area];
                    var group = (Group)groupOfArea[area];
                    int start = t.Start[i], stop = t.End[i];

                    // Completion without re-presentation, from the caseload codes.
                    byte c = et[i];
                    if (c <= 1)
                    {
                        bool done = stop <= e && IsCompleted(completed, t.ExitReason[i], rules);
                        int next = done ? NextStart(t, rows, clientStart, t.Client[i], stop) : 0;
                        for (int r = 0; r < rs.Count; r++)
                            rep[r][i] = !done ? RowStatus.Included(pair, group, false)
                                : stop > e - rs[r] ? RowStatus.Excluded(IndicatorReasons.FollowUpIncomplete)
                                : RowStatus.Included(pair, group, next > stop + rs[r]);
                    }
                    else
                    {
                        var x = c == 255 ? RowStatus.Excluded(rowErrors![i]!) : RowStatus.Excluded(reasons[c]!);
                        for (int r = 0; r < rs.Count; r++) rep[r][i] = x;
                    }

                    // Time in treatment, from the latest-journey codes: "not ended in window" is included here.
                    byte k = sc[i];
                    if (k <= 1 || k == 11)
                    {
                        int d = Math.Min(stop, e) - start;
                        dw[i] = d;
                        tw[i] = RowStatus.Included(pair, group, d >= 2 * IndicatorClassifier.DaysPerYear);
                    }
                    else
                    {
                        dw[i] = -1;
                        tw[i] = RowStatus.Excluded(reasons[k]!);
                    }

                    // Waiting times: journeys starting in the window.
                    wt[i] = -1;
                    int referral = table.Referral[i], first = table.FirstIntervention[i];
                    byte err = t.DataError[i];
                    if (err != 0) ww[i] = RowStatus.Excluded(reasons[1 + err]!);
                    else if (referral != JourneyTable.NoEnd && first != JourneyTable.NoEnd && first < referral) ww[i] = RowStatus.Excluded(IndicatorReasons.FirstInterventionBeforeReferral);
                    else if (start < s || start > e) ww[i] = RowStatus.Excluded(IndicatorReasons.NotStartedInWindow);
                    else if (pair < 0) ww[i] = RowStatus.Excluded(ExclusionReasons.AreaNotInPair);
                    else if (t.Age[i] < minAge) ww[i] = RowStatus.Excluded(ExclusionReasons.UnderMinimumAge);
                    else if (referral == JourneyTable.NoEnd || first == JourneyTable.NoEnd) ww[i] = RowStatus.Excluded(IndicatorReasons.NoWaitingTime);
                    else
                    {
                        wt[i] = first - referral;
                        ww[i] = RowStatus.Included(pair, group, wt[i] > threshold);
                    }
                }
            });
            for (int r = 0; r < rs.Count; r++) representation[r][w] = rep[r];
            tit[w] = tw; days[w] = dw; wait[w] = ww; waits[w] = wt;
        }
        return new IndicatorClassification(representation, tit, days, wait, waits);
    }

    /// <summary>The earliest start among the client's rows that is after <paramref name="after"/>; <c>int.MaxValue</c> when none.</summary>
    private static int NextStart(JourneyTable t, int[] rows, int[] clientStart, int client, int after)
    {
        int next = int.MaxValue;
        for (int r = clientStart[client]; r < clientStart[client + 1]; r++)
        {
            int st = t.Start[rows[r]];
            if (st > after && st < next) next = st;
        }
        return next;
    }

    private static bool[] CompletedLookup(JourneyRules rules)
    {
        var table = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) table[code] = true;
        return table;
    }

    private static bool IsCompleted(bool[] table, int code, JourneyRules rules) =>
        code >= 0 ? code < table.Length && table[code] : code != JourneyTable.Blank && rules.CompletedExitReasons.Contains(code);
}

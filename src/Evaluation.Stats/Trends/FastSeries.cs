using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Trends;

/// <summary>
/// The fast series (methodology §11): one columnar pass over each client's rows for every interval at once, instead of
/// one classification per interval.
/// </summary>
/// <remarks>
/// <para>Intervals are contiguous, so the intervals a journey crosses into form one range <c>[a, b]</c>: <c>a</c> is the
/// interval holding its start (its start is on or before the interval's end) and <c>b</c> the one holding its end (its end
/// is on or after the interval's start). It is an effective-treatment candidate (start ≤ end − D) in <c>[c, b]</c>,
/// where <c>c</c> is the interval holding start + D. A day → interval table gives a, b and c in one look-up each.</para>
/// <para>Each client's rows (grouped once per table) paint their ranges onto two small per-interval winner arrays, in
/// input order and comparing packed (start, end) keys as <see cref="FastJourneyClassifier"/> does, so the latest
/// journey of every interval is known after one pass; the winners are then tested (area, age, the outcome) and counted.
/// The ledger's other counts come from difference arrays over the ranges (rows crossing into each interval, rows that
/// are candidates) and subtraction, so no row is visited once per interval and nothing of size rows × intervals is
/// held: besides the table, memory is the cells and a few counters per interval on each thread.</para>
/// </remarks>
internal static class FastSeries
{
    private const int ClientBlock = 1 << 14;

    // Per-interval counters of one thread (or of the merged total), every one a difference array over the intervals
    // (length K + 1): a count that holds over a range of intervals [a, b] is one increment at a and one decrement at
    // b + 1, so a client with a single journey is counted in O(1) whatever the number of intervals it spans.
    private sealed class Counters
    {
        public Counters(int cellRanges, int k)
        {
            Cells = new long[cellRanges * (k + 1)];
            CrossRows = new long[k + 1]; EtRows = new long[k + 1];
            CrossWinners = new long[k + 1]; EtWinners = new long[k + 1]; CrossArea = new long[k + 1]; CrossAge = new long[k + 1];
            NotEnded = new long[k + 1]; EtArea = new long[k + 1]; EtAge = new long[k + 1]; Started = new long[k + 1]; StartedArea = new long[k + 1];
        }
        public long[] Cells, CrossRows, EtRows, CrossWinners, EtWinners, CrossArea, CrossAge, NotEnded, EtArea, EtAge, Started, StartedArea;

        private IEnumerable<long[]> All() => [Cells, CrossRows, EtRows, CrossWinners, EtWinners, CrossArea, CrossAge, NotEnded, EtArea, EtAge, Started, StartedArea];

        public void Add(Counters o)
        {
            foreach (var (a, b) in All().Zip(o.All()))
                for (int i = 0; i < a.Length; i++) a[i] += b[i];
        }

        /// <summary>Turns every difference array into counts (in place): entry k becomes the sum of entries 0..k.</summary>
        public void Accumulate(int k)
        {
            foreach (var a in All())
                for (int at = 0; at < a.Length; at += k + 1)
                    for (int i = at + 1; i < at + k + 1; i++) a[i] += a[i - 1];
        }
    }

    /// <summary>Adds 1 over intervals [a, b] of a difference array that starts at <paramref name="at"/> (nothing when b &lt; a).</summary>
    private static void Range(long[] diff, int at, int a, int b)
    {
        if (b < a) return;
        diff[at + a]++;
        diff[at + b + 1]--;
    }

    public static TrendSeries Build(EvaluationDesign design, JourneyTable t, IntervalKind kind, IReadOnlyList<RejectedRow> rejected, Func<int, long> lineOf)
    {
        var counts = new SeriesCounts(design, kind);
        var intervals = counts.Intervals;
        int K = intervals.Count, d = design.Rules.EffectiveTreatmentDays, minAge = design.Rules.MinimumAge;
        var s = intervals.Select(x => x.Start.DayNumber).ToArray();
        var e = intervals.Select(x => x.End.DayNumber).ToArray();
        int first = s[0], last = e[K - 1];
        var dayToInterval = new int[last - first + 1];
        for (int k = 0; k < K; k++) dayToInterval.AsSpan(s[k] - first, e[k] - s[k] + 1).Fill(k);
        // The first interval whose end is on or after x (K when none), and the last whose start is on or before x (−1 when none).
        int FirstEndingFrom(int x) => x < first ? 0 : x > last ? K : dayToInterval[x - first];
        int LastStartingBy(int x) => x < first ? -1 : x > last ? K - 1 : dayToInterval[x - first];

        var map = new AreaMap(design.Pairs);
        var pairOf = new int[t.AreaNameArray.Length];
        var groupOf = new Group[t.AreaNameArray.Length];
        for (int a = 0; a < pairOf.Length; a++) pairOf[a] = map.TryFind(t.AreaNameArray[a], out int p, out groupOf[a]) ? p : -1;
        var rules = design.Rules;
        var completedCode = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) completedCode[code] = true;
        bool Completed(int code) => code >= 0 ? code < completedCode.Length && completedCode[code] : code != JourneyTable.Blank && rules.CompletedExitReasons.Contains(code);
        // Cell difference arrays: one of length K + 1 per pair, arm and slot.
        int cellRanges = design.Pairs.Count * 2 * SeriesCounts.Slots;
        int CellAt(int pair, Group arm, int slot) => ((pair * 2 + (arm == Group.Pilot ? 0 : 1)) * SeriesCounts.Slots + slot) * (K + 1);

        var total = new Counters(cellRanges, K);
        var rows = t.ClientRows;
        var clientStart = t.ClientStart;
        var lockObj = new object();
        // Columns as locals: the loops below read them through no object.
        var start = t.Start; var stop = t.End; var areaOf = t.Area; var ageOf = t.Age; var exitOf = t.ExitReason; var error = t.DataError;
        Parallel.For(0, (t.ClientCount + ClientBlock - 1) / ClientBlock, () => new Counters(cellRanges, K), (cb, _, c) =>
        {
            var crossW = new int[K]; var crossKey = new long[K]; var etW = new int[K]; var etKey = new long[K];
            var scEventAt = new bool[K];
            Array.Fill(crossW, -1); Array.Fill(etW, -1);
            var cells = c.Cells;

            // Row i is the client's latest crossing journey in intervals [k1, k2] (within the range [a, b] it crosses).
            // In treatment throughout; successful completion's denominator only in b, the interval holding its end
            // (before b it has not ended), where a completion is the client's §2.2 event (marked in scEventAt).
            void Crossing(int i, int k1, int k2)
            {
                Range(c.CrossWinners, 0, k1, k2);
                int p = pairOf[areaOf[i]];
                if (p < 0) { Range(c.CrossArea, 0, k1, k2); return; }
                if (ageOf[i] < minAge) { Range(c.CrossAge, 0, k1, k2); return; }
                var g = groupOf[areaOf[i]];
                Range(cells, CellAt(p, g, SeriesCounts.Treated), k1, k2);
                int b = LastStartingBy(stop[i]);
                if (k2 == b && stop[i] <= e[b])
                {
                    Range(cells, CellAt(p, g, SeriesCounts.ScN), b, b);
                    if (Completed(exitOf[i])) { Range(cells, CellAt(p, g, SeriesCounts.ScEvents), b, b); scEventAt[b] = true; }
                    Range(c.NotEnded, 0, k1, b - 1);
                }
                else Range(c.NotEnded, 0, k1, k2);
            }

            // Row i is the client's latest effective-treatment candidate in [k1, k2] (within [from, b]). Effective
            // throughout [k1, b) (e_k − start ≥ D there, and the journey runs past e_k), and in b by the §2.1 test; a
            // caseload event wherever the client has a §2.2 event.
            void Effective(int i, int k1, int k2)
            {
                Range(c.EtWinners, 0, k1, k2);
                int p = pairOf[areaOf[i]];
                if (p < 0) { Range(c.EtArea, 0, k1, k2); return; }
                if (ageOf[i] < minAge) { Range(c.EtAge, 0, k1, k2); return; }
                var g = groupOf[areaOf[i]];
                Range(cells, CellAt(p, g, SeriesCounts.EtN), k1, k2);
                Range(cells, CellAt(p, g, SeriesCounts.SccN), k1, k2);
                int b = LastStartingBy(stop[i]);
                Range(cells, CellAt(p, g, SeriesCounts.EtEvents), k1, Math.Min(k2, b - 1));
                if (k2 == b && JourneyPredicates.IsEffective<Day, bool>(new(start[i]), new(stop[i]), new(e[b]), new(d), Completed(exitOf[i])))
                    Range(cells, CellAt(p, g, SeriesCounts.EtEvents), b, b);
                for (int k = k1; k <= k2; k++)
                    if (scEventAt[k]) Range(cells, CellAt(p, g, SeriesCounts.SccEvents), k, k);
            }

            int lastClient = Math.Min(t.ClientCount, (cb + 1) * ClientBlock);
            for (int client = cb * ClientBlock; client < lastClient; client++)
            {
                int lo = K, hi = -1, valid = 0, only = -1;
                for (int r = clientStart[client]; r < clientStart[client + 1]; r++)
                {
                    int i = rows[r];
                    if (error[i] != 0) continue;
                    int st = start[i];
                    if (st >= first && st <= last)
                    {
                        int k = dayToInterval[st - first];
                        c.Started[k]++; c.Started[k + 1]--;
                        int p = pairOf[areaOf[i]];
                        if (p < 0) { c.StartedArea[k]++; c.StartedArea[k + 1]--; }
                        else Range(cells, CellAt(p, groupOf[areaOf[i]], SeriesCounts.New), k, k);
                    }
                    valid++;
                    only = i;
                }
                if (valid == 0) continue;
                if (valid == 1)
                {
                    // One valid journey: the latest in every interval it crosses, so each count holds over a range.
                    int a = FirstEndingFrom(start[only]), b = LastStartingBy(stop[only]);
                    if (a > b) continue;
                    int from = FirstEndingFrom(start[only] + d);
                    Range(c.CrossRows, 0, a, b);
                    Range(c.EtRows, 0, from, b);
                    Crossing(only, a, b);
                    if (from <= b) Effective(only, from, b);
                    scEventAt[b] = false;
                    continue;
                }
                // Several: paint each row's ranges onto the per-interval winner arrays (input order; ties go to the later
                // row), then count each run of intervals that share a winner.
                for (int r = clientStart[client]; r < clientStart[client + 1]; r++)
                {
                    int i = rows[r];
                    if (error[i] != 0) continue;
                    int st = start[i], en = stop[i];
                    int a = FirstEndingFrom(st), b = LastStartingBy(en);
                    if (a > b) continue;
                    long key = ((long)st << 32) | (uint)en; // a greater start wins, then a blank end (int.MaxValue), then a later end
                    Range(c.CrossRows, 0, a, b);
                    for (int k = a; k <= b; k++)
                        if (crossW[k] < 0 || key >= crossKey[k]) { crossW[k] = i; crossKey[k] = key; }
                    int from = FirstEndingFrom(st + d);
                    Range(c.EtRows, 0, from, b);
                    for (int k = from; k <= b; k++)
                        if (etW[k] < 0 || key >= etKey[k]) { etW[k] = i; etKey[k] = key; }
                    lo = Math.Min(lo, a); hi = Math.Max(hi, b);
                }
                for (int k = lo; k <= hi;)
                {
                    int w = crossW[k], k2 = k;
                    while (k2 < hi && crossW[k2 + 1] == w) k2++;
                    if (w >= 0) Crossing(w, k, k2);
                    k = k2 + 1;
                }
                for (int k = lo; k <= hi;)
                {
                    int w = etW[k], k2 = k;
                    while (k2 < hi && etW[k2 + 1] == w) k2++;
                    if (w >= 0) Effective(w, k, k2);
                    k = k2 + 1;
                }
                for (int k = lo; k <= hi; k++) { crossW[k] = -1; etW[k] = -1; scEventAt[k] = false; }
            }
            return c;
        }, c => { lock (lockObj) total.Add(c); });
        total.Accumulate(K);

        // Data errors: the same rows in every analysis, so their line lists are built once and shared.
        var errorReasons = FastJourneyClassifier.Reasons; // codes 2..5 are the four data errors, in DataError's order + 1
        var errorLines = new List<long>[5];
        for (int i = 0; i < t.Count; i++)
            if (t.DataError[i] is var code and > 0) (errorLines[code] ??= []).Add(lineOf(i));
        var dataErrors = new Dictionary<string, long>(StringComparer.Ordinal);
        var linesByReason = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        long errorRows = 0;
        for (int code = 1; code <= 4; code++)
            if (errorLines[code] is { } list)
            {
                dataErrors[errorReasons[code + 1]!] = list.Count;
                linesByReason[errorReasons[code + 1]!] = list.ToArray();
                errorRows += list.Count;
            }
        IReadOnlyList<long> LinesOf(string reason) => linesByReason[reason];

        for (int pair = 0; pair < design.Pairs.Count; pair++)
            foreach (var arm in new[] { Group.Pilot, Group.Comparison })
                for (int slot = 0; slot < SeriesCounts.Slots; slot++)
                    for (int k = 0; k < K; k++) counts.Cells[counts.At(pair, arm, k, slot)] = total.Cells[CellAt(pair, arm, slot) + k];
        long valid = t.Count - errorRows;
        var effectiveDefined = counts.EffectiveDefined;
        for (int k = 0; k < K; k++)
        {
            long crossing = total.CrossRows[k], candidates = total.EtRows[k];
            Dictionary<string, long> With(params (string Reason, long Rows)[] more)
            {
                var all = new Dictionary<string, long>(dataErrors, StringComparer.Ordinal);
                foreach (var (reason, n) in more) all[reason] = n;
                return all;
            }
            var iv = intervals[k];
            counts.AddLedger(TrendSeries.Analysis(TrendSeries.NewJourneys, iv),
                With((TrendSeries.NotStartedInInterval, valid - total.Started[k]), (ExclusionReasons.AreaNotInPair, total.StartedArea[k])), LinesOf, rejected, t.Count);
            var treated = With((ExclusionReasons.OutsideWindow, valid - crossing), (ExclusionReasons.NotLatest, crossing - total.CrossWinners[k]),
                (ExclusionReasons.AreaNotInPair, total.CrossArea[k]), (ExclusionReasons.UnderMinimumAge, total.CrossAge[k]));
            counts.AddLedger(TrendSeries.Analysis(TrendSeries.InTreatment, iv), treated, LinesOf, rejected, t.Count);
            var effective = With((ExclusionReasons.OutsideWindow, valid - crossing), (ExclusionReasons.StartedTooLate, crossing - candidates),
                (ExclusionReasons.NotLatest, candidates - total.EtWinners[k]), (ExclusionReasons.AreaNotInPair, total.EtArea[k]), (ExclusionReasons.UnderMinimumAge, total.EtAge[k]));
            if (effectiveDefined[k]) counts.AddLedger(TrendSeries.Analysis(OutcomeNames.EffectiveTreatment, iv), effective, LinesOf, rejected, t.Count);
            treated[ExclusionReasons.NotEndedInWindow] = total.NotEnded[k];
            counts.AddLedger(TrendSeries.Analysis(OutcomeNames.SuccessfulCompletion, iv), treated, LinesOf, rejected, t.Count);
            if (effectiveDefined[k]) counts.AddLedger(TrendSeries.Analysis(OutcomeNames.SuccessfulCompletionOfCaseload, iv), effective, LinesOf, rejected, t.Count);
        }
        return counts.Finish();
    }
}

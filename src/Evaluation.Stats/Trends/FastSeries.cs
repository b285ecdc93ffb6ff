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

    // Per-interval counters of one thread (or of the merged total).
    private sealed class Counters
    {
        public Counters(int cells, int k)
        {
            Cells = new long[cells];
            CrossDiff = new long[k + 1]; EtDiff = new long[k + 1];
            CrossWinners = new long[k]; EtWinners = new long[k]; CrossArea = new long[k]; CrossAge = new long[k];
            NotEnded = new long[k]; EtArea = new long[k]; EtAge = new long[k]; Started = new long[k]; StartedArea = new long[k];
        }
        public long[] Cells, CrossDiff, EtDiff, CrossWinners, EtWinners, CrossArea, CrossAge, NotEnded, EtArea, EtAge, Started, StartedArea;

        public void Add(Counters o)
        {
            foreach (var (a, b) in new[] { (Cells, o.Cells), (CrossDiff, o.CrossDiff), (EtDiff, o.EtDiff), (CrossWinners, o.CrossWinners),
                         (EtWinners, o.EtWinners), (CrossArea, o.CrossArea), (CrossAge, o.CrossAge), (NotEnded, o.NotEnded), (EtArea, o.EtArea),
                         (EtAge, o.EtAge), (Started, o.Started), (StartedArea, o.StartedArea) })
                for (int i = 0; i < a.Length; i++) a[i] += b[i];
        }
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
        var pairOf = new int[t.AreaNames.Length];
        var groupOf = new Group[t.AreaNames.Length];
        for (int a = 0; a < pairOf.Length; a++) pairOf[a] = map.TryFind(t.AreaNames[a], out int p, out groupOf[a]) ? p : -1;
        var rules = design.Rules;
        var completedCode = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) completedCode[code] = true;
        bool Completed(int code) => code >= 0 ? code < completedCode.Length && completedCode[code] : code != JourneyTable.Blank && rules.CompletedExitReasons.Contains(code);
        var effectiveDefined = counts.EffectiveDefined;

        var total = new Counters(counts.Cells.Length, K);
        var rows = t.ClientRows;
        var clientStart = t.ClientStart;
        var lockObj = new object();
        Parallel.For(0, (t.ClientCount + ClientBlock - 1) / ClientBlock, () => new Counters(counts.Cells.Length, K), (cb, _, c) =>
        {
            var crossW = new int[K]; var crossKey = new long[K]; var etW = new int[K]; var etKey = new long[K];
            Array.Fill(crossW, -1); Array.Fill(etW, -1);
            var cells = c.Cells;
            int lastClient = Math.Min(t.ClientCount, (cb + 1) * ClientBlock);
            for (int client = cb * ClientBlock; client < lastClient; client++)
            {
                int lo = K, hi = -1;
                for (int r = clientStart[client]; r < clientStart[client + 1]; r++)
                {
                    int i = rows[r];
                    if (t.DataError[i] != 0) continue;
                    int st = t.Start[i], en = t.End[i];
                    if (st >= first && st <= last)
                    {
                        int k = dayToInterval[st - first];
                        c.Started[k]++;
                        int p = pairOf[t.Area[i]];
                        if (p < 0) c.StartedArea[k]++;
                        else cells[counts.At(p, groupOf[t.Area[i]], k, SeriesCounts.New)]++;
                    }
                    int a = FirstEndingFrom(st), b = LastStartingBy(en);
                    if (a > b) continue;
                    long key = ((long)st << 32) | (uint)en; // a greater start wins, then a blank end (int.MaxValue), then a later end
                    c.CrossDiff[a]++; c.CrossDiff[b + 1]--;
                    for (int k = a; k <= b; k++)
                        if (crossW[k] < 0 || key >= crossKey[k]) { crossW[k] = i; crossKey[k] = key; } // input order: ties go to the later row
                    int from = FirstEndingFrom(st + d);
                    if (from <= b)
                    {
                        c.EtDiff[from]++; c.EtDiff[b + 1]--;
                        for (int k = from; k <= b; k++)
                            if (etW[k] < 0 || key >= etKey[k]) { etW[k] = i; etKey[k] = key; }
                    }
                    lo = Math.Min(lo, a); hi = Math.Max(hi, b);
                }
                for (int k = lo; k <= hi; k++)
                {
                    bool scEvent = false;
                    int w = crossW[k];
                    if (w >= 0)
                    {
                        crossW[k] = -1;
                        c.CrossWinners[k]++;
                        int p = pairOf[t.Area[w]];
                        if (p < 0) c.CrossArea[k]++;
                        else if (t.Age[w] < minAge) c.CrossAge[k]++;
                        else
                        {
                            var g = groupOf[t.Area[w]];
                            cells[counts.At(p, g, k, SeriesCounts.Treated)]++;
                            if (t.End[w] <= e[k])
                            {
                                cells[counts.At(p, g, k, SeriesCounts.ScN)]++;
                                if (Completed(t.ExitReason[w])) { cells[counts.At(p, g, k, SeriesCounts.ScEvents)]++; scEvent = true; }
                            }
                            else c.NotEnded[k]++;
                        }
                    }
                    w = etW[k];
                    if (w < 0) continue;
                    etW[k] = -1;
                    if (!effectiveDefined[k]) continue;
                    c.EtWinners[k]++;
                    int q = pairOf[t.Area[w]];
                    if (q < 0) { c.EtArea[k]++; continue; }
                    if (t.Age[w] < minAge) { c.EtAge[k]++; continue; }
                    var arm = groupOf[t.Area[w]];
                    int stop = t.End[w];
                    bool effective = (stop <= e[k] && Completed(t.ExitReason[w])) || Math.Min(stop, e[k]) - t.Start[w] >= d;
                    cells[counts.At(q, arm, k, SeriesCounts.EtN)]++;
                    cells[counts.At(q, arm, k, SeriesCounts.SccN)]++;
                    if (effective) cells[counts.At(q, arm, k, SeriesCounts.EtEvents)]++;
                    if (scEvent) cells[counts.At(q, arm, k, SeriesCounts.SccEvents)]++;
                }
            }
            return c;
        }, c => { lock (lockObj) total.Add(c); });

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

        Array.Copy(total.Cells, counts.Cells, counts.Cells.Length);
        long valid = t.Count - errorRows, crossing = 0, candidates = 0;
        for (int k = 0; k < K; k++)
        {
            crossing += total.CrossDiff[k];
            candidates += total.EtDiff[k];
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

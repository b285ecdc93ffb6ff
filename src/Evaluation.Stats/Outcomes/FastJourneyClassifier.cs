using System.Buffers;
using System.Numerics;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// The fast journey classification (methodology §2): the same rules and ledger reasons as <see cref="JourneyClassifier"/>,
/// on a <see cref="JourneyTable"/>. Window and length tests run over blocks of rows on every core; the latest journey is
/// chosen by one pass over each client's rows (grouped once per table by a counting sort) comparing packed (start, end)
/// keys, in parallel over ranges of clients, with no per-client arrays.
/// </summary>
public static class FastJourneyClassifier
{
    /// <summary>Codes of <see cref="Classify(JourneyTable, DateWindow, JourneyOutcome, JourneyRules, IReadOnlyList{AreaPair}, IReadOnlyList{string}?)"/>'s compact result: 0 and 1 are included (non-event, event); the rest index <see cref="Reasons"/>.</summary>
    internal static readonly IReadOnlyList<string?> Reasons =
    [
        null, null,
        ExclusionReasons.EndBeforeStart, ExclusionReasons.ExitReasonWithoutEnd, ExclusionReasons.MissingAge, ExclusionReasons.NegativeAge,
        ExclusionReasons.OutsideWindow, ExclusionReasons.StartedTooLate, ExclusionReasons.NotLatest, ExclusionReasons.AreaNotInPair,
        ExclusionReasons.UnderMinimumAge, ExclusionReasons.NotEndedInWindow,
    ];

    private const byte NonEvent = 0, Event = 1, OutsideWindow = 6, StartedTooLate = 7, NotLatest = 8, AreaNotInPair = 9, UnderAge = 10, NotEnded = 11, CallerError = 255;
    private const int Candidate = 254, Winner = 253; // transient
    private const int RowBlock = 1 << 16;

    /// <summary>Classifies every journey; returns the same statuses as <see cref="JourneyClassifier.Classify"/>.</summary>
    public static RowStatus[] Classify(JourneyTable table, DateWindow window, JourneyOutcome outcome, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null) =>
        ClassifyMany(table, [(window, outcome)], rules, pairs, rowErrors)[0];

    /// <summary>Classifies every journey for several analyses at once, sharing the passes over the table.</summary>
    public static RowStatus[][] ClassifyMany(JourneyTable table, IReadOnlyList<(DateWindow Window, JourneyOutcome Outcome)> analyses, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        var all = ClassifyManyCodes(table, analyses, rules, pairs, rowErrors, out var pairOf, out var groupOf);
        return all.Select(codes =>
        {
            var status = new RowStatus[codes.Length];
            Parallel.For(0, (codes.Length + RowBlock - 1) / RowBlock, b =>
            {
                int end = Math.Min(codes.Length, (b + 1) * RowBlock);
                for (int i = b * RowBlock; i < end; i++)
                {
                    byte c = codes[i];
                    status[i] = c <= Event ? RowStatus.Included(pairOf[table.Area[i]], (Group)groupOf[table.Area[i]], c == Event)
                        : c == CallerError ? RowStatus.Excluded(rowErrors![i]!) : RowStatus.Excluded(Reasons[c]!);
                }
            });
            return status;
        }).ToArray();
    }

    /// <summary>Classifies every journey for several analyses, keeping the statuses as one byte a row (read on demand).</summary>
    internal static CodedStatuses[] ClassifyManyCoded(JourneyTable table, IReadOnlyList<(DateWindow Window, JourneyOutcome Outcome)> analyses, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        var all = ClassifyManyCodes(table, analyses, rules, pairs, rowErrors, out var pairOf, out var groupOf);
        return all.Select(codes => new CodedStatuses(codes, table.Area, pairOf, groupOf, rowErrors)).ToArray();
    }

    /// <summary>
    /// The compact classification: one byte per row (0 non-event, 1 event, otherwise an index into <see cref="Reasons"/>,
    /// or 255 for a caller-supplied data error), with each area's pair and group.
    /// </summary>
    internal static byte[] ClassifyCodes(JourneyTable table, DateWindow window, JourneyOutcome outcome, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors, out int[] pairOfArea, out byte[] groupOfArea) =>
        ClassifyManyCodes(table, [(window, outcome)], rules, pairs, rowErrors, out pairOfArea, out groupOfArea)[0];

    /// <summary>
    /// The compact classification of several analyses at once (for example two outcomes in two windows), sharing the
    /// passes over the table: each row and each client's group of rows is read once for all of them.
    /// </summary>
    internal static byte[][] ClassifyManyCodes(JourneyTable table, IReadOnlyList<(DateWindow Window, JourneyOutcome Outcome)> analyses, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors, out int[] pairOfArea, out byte[] groupOfArea)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(analyses);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(pairs);
        if (rowErrors is not null && rowErrors.Count != table.Count)
            throw new ArgumentException($"rowErrors has {rowErrors.Count} entries for {table.Count} journeys.", nameof(rowErrors));
        var map = new AreaMap(pairs);
        pairOfArea = new int[table.AreaNameArray.Length];
        groupOfArea = new byte[table.AreaNameArray.Length];
        for (int a = 0; a < table.AreaNameArray.Length; a++)
        {
            pairOfArea[a] = map.TryFind(table.AreaNameArray[a], out int p, out var g) ? p : -1;
            groupOfArea[a] = (byte)g;
        }
        // The selections needed: effective treatment and/or successful completion per window (§2.3 needs both).
        var specs = new List<(DateWindow Window, bool Effective)>();
        int Need(DateWindow w, bool effective)
        {
            int at = specs.IndexOf((w, effective));
            if (at < 0) { specs.Add((w, effective)); at = specs.Count - 1; }
            return at;
        }
        var plan = analyses.Select(x => x.Outcome switch
        {
            JourneyOutcome.EffectiveTreatment => (Need(x.Window, true), -1),
            JourneyOutcome.SuccessfulCompletion => (Need(x.Window, false), -1),
            JourneyOutcome.SuccessfulCompletionOfCaseload => (Need(x.Window, true), Need(x.Window, false)),
            _ => throw new ArgumentOutOfRangeException(nameof(analyses), x.Outcome, "Unknown outcome."),
        }).ToArray();
        var selected = Select(table, specs.ToArray(), rules, pairOfArea, rowErrors);
        var result = new byte[plan.Length][];
        var shared = new HashSet<int>(); // selections already handed out as they are
        for (int q = 0; q < plan.Length; q++)
        {
            var (main, completion) = plan[q];
            // A selection is handed out once as it is; a second use, or the caseload outcome (which rewrites it), gets a copy.
            var codes = completion < 0 && shared.Add(main) ? selected[main] : (byte[])selected[main].Clone();
            if (completion >= 0)
            {
                // §2.3: the caseload of §2.1; a client is an event when the client has a §2.2 completion.
                var completed = new bool[table.ClientCount];
                var sc = selected[completion];
                for (int i = 0; i < sc.Length; i++) if (sc[i] == Event) completed[table.Client[i]] = true;
                for (int i = 0; i < codes.Length; i++)
                    if (codes[i] <= Event) codes[i] = completed[table.Client[i]] ? Event : NonEvent;
            }
            result[q] = codes;
        }
        return result;
    }

    /// <summary>
    /// Runs several selections (a window, and effective treatment or successful completion) in one set of passes:
    /// each row and each client group is read once for all of them.
    /// </summary>
    private static byte[][] Select(JourneyTable t, (DateWindow Window, bool Effective)[] specs, JourneyRules rules, int[] pairOfArea, IReadOnlyList<string?>? rowErrors)
    {
        int n = t.Count, m = specs.Length, d = rules.EffectiveTreatmentDays;
        var s = specs.Select(x => x.Window.Start.DayNumber).ToArray();
        var e = specs.Select(x => x.Window.End.DayNumber).ToArray();
        var latestStart = specs.Select(x => x.Effective ? x.Window.End.DayNumber - d : int.MaxValue).ToArray();
        var effective = specs.Select(x => x.Effective).ToArray();
        var codes = new byte[m][];
        for (int k = 0; k < m; k++) codes[k] = GC.AllocateUninitializedArray<byte>(n); // pass 1 writes every entry
        int blocks = (n + RowBlock - 1) / RowBlock;

        // 1. Data errors, window and start tests over blocks of rows: whole vectors of rows at a time, the codes
        //    narrowed from 32 to 8 bits in registers and stored as one vector per selection; a scalar tail.
        Parallel.For(0, blocks, b =>
        {
            int end = Math.Min(n, (b + 1) * RowBlock);
            var start = t.Start; var stop = t.End; var error = t.DataError;
            int i0 = b * RowBlock;
            if (Vector.IsHardwareAccelerated) i0 = WindowVectors(start, stop, error, i0, end, s, e, latestStart, codes);
            for (int i = i0; i < end; i++)
            {
                int st = start[i], sp = stop[i];
                byte err = error[i];
                for (int k = 0; k < m; k++)
                {
                    byte code = JourneyPredicates.CrossesInto<Day, bool>(new(st), new(sp), new(s[k]), new(e[k]))
                        ? (JourneyPredicates.StartsInTime<Day, bool>(new(st), new(latestStart[k])) ? (byte)Candidate : StartedTooLate) : OutsideWindow;
                    codes[k][i] = err != 0 ? (byte)(1 + err) : code;
                }
            }
            if (rowErrors is not null)
                for (int i = b * RowBlock; i < end; i++)
                    if (rowErrors[i] is not null)
                        for (int k = 0; k < m; k++) codes[k][i] = CallerError;
        });

        // 2. The latest candidate per client: one pass over each client's rows (grouped once per table), in parallel
        //    over ranges of clients; the winner is marked in place, so no per-client array is needed.
        var rows = t.ClientRows;
        var clientStart = t.ClientStart;
        int clientBlocks = (t.ClientCount + RowBlock - 1) / RowBlock;
        Parallel.For(0, clientBlocks, cb =>
        {
            Span<int> winner = stackalloc int[m];
            Span<long> winnerKey = stackalloc long[m];
            int last = Math.Min(t.ClientCount, (cb + 1) * RowBlock);
            for (int c = cb * RowBlock; c < last; c++)
            {
                winner.Fill(-1);
                for (int r = clientStart[c]; r < clientStart[c + 1]; r++)
                {
                    int i = rows[r];
                    long key = Key(t, i);
                    for (int k = 0; k < m; k++)
                    {
                        if (codes[k][i] != Candidate) continue;
                        if (winner[k] < 0 || key >= winnerKey[k]) { winner[k] = i; winnerKey[k] = key; } // input order: ties go to the later row
                    }
                }
                for (int k = 0; k < m; k++) if (winner[k] >= 0) codes[k][winner[k]] = Winner;
            }
        });

        // 3. Winners: area, age, the outcome's own tests and the event; other candidates are not the latest.
        // Completed exit reasons as a lookup table (codes outside it are not completed).
        var completedCode = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) completedCode[code] = true;
        Parallel.For(0, blocks, b =>
        {
            int i0 = b * RowBlock, end = Math.Min(n, i0 + RowBlock), len = end - i0;
            // The tests that do not depend on the analysis, once per row: area and age (0 when both pass, else the
            // code), and whether the exit reason is a completion.
            var buffer = ArrayPool<byte>.Shared.Rent(2 * len);
            var rowCode = buffer.AsSpan(0, len);
            var done = buffer.AsSpan(len, len);
            for (int i = i0; i < end; i++)
            {
                rowCode[i - i0] = pairOfArea[t.Area[i]] < 0 ? AreaNotInPair : t.Age[i] < rules.MinimumAge ? UnderAge : (byte)0;
                done[i - i0] = IsCompleted(completedCode, t.ExitReason[i], rules) ? (byte)1 : (byte)0;
            }
            for (int k = 0; k < m; k++)
            {
                var ck = codes[k];
                int i = i0;
                if (Vector.IsHardwareAccelerated) i = WinnerVectors(t.Start, t.End, rowCode, done, i0, end, e[k], d, effective[k], ck);
                for (; i < end; i++)
                {
                    if (ck[i] == Candidate) { ck[i] = NotLatest; continue; }
                    if (ck[i] != Winner) continue;
                    int stop = t.End[i];
                    if (rowCode[i - i0] != 0) ck[i] = rowCode[i - i0];
                    else if (effective[k])
                        ck[i] = JourneyPredicates.IsEffective<Day, bool>(new(t.Start[i]), new(stop), new(e[k]), new(d), done[i - i0] != 0) ? Event : NonEvent;
                    else if (!JourneyPredicates.EndedInWindow<Day, bool>(new(stop), new(e[k]))) ck[i] = NotEnded;
                    else ck[i] = done[i - i0] != 0 ? Event : NonEvent;
                }
            }
            ArrayPool<byte>.Shared.Return(buffer);
        });
        return codes;
    }

    /// <summary>
    /// The window and start tests of rows [<paramref name="i"/>, <paramref name="end"/>) in steps of
    /// <c>Vector&lt;byte&gt;.Count</c> rows: four vectors of starts and ends are compared with each selection's
    /// window, the 32-bit codes narrowed to bytes, and a row's data error (1 + its code) replaces the code. Returns
    /// the first row not done.
    /// </summary>
    private static int WindowVectors(int[] start, int[] stop, byte[] error, int i, int end, int[] s, int[] e, int[] latestStart, byte[][] codes)
    {
        int w = Vector<int>.Count, step = Vector<byte>.Count; // step = 4w
        var candidate = new Vector<int>(Candidate);
        var late = new Vector<int>(StartedTooLate);
        var outside = new Vector<int>(OutsideWindow);
        for (; i <= end - step; i += step)
        {
            var err = new Vector<byte>(error, i);
            var hasError = ~Vector.Equals(err, Vector<byte>.Zero);
            var errorCode = err + Vector<byte>.One;
            Vector<int> st0 = new(start, i), st1 = new(start, i + w), st2 = new(start, i + 2 * w), st3 = new(start, i + 3 * w);
            Vector<int> sp0 = new(stop, i), sp1 = new(stop, i + w), sp2 = new(stop, i + 2 * w), sp3 = new(stop, i + 3 * w);
            for (int k = 0; k < codes.Length; k++)
            {
                Vector<int> ws = new(s[k]), we = new(e[k]), wl = new(latestStart[k]);
                Vector<int> Code(Vector<int> st, Vector<int> sp) =>
                    Vector.ConditionalSelect(JourneyPredicates.CrossesInto<DayVector, Vector<int>>(new(st), new(sp), new(ws), new(we)),
                        Vector.ConditionalSelect(JourneyPredicates.StartsInTime<DayVector, Vector<int>>(new(st), new(wl)), candidate, late), outside);
                var lo = Vector.AsVectorUInt16(Vector.Narrow(Code(st0, sp0), Code(st1, sp1)));
                var hi = Vector.AsVectorUInt16(Vector.Narrow(Code(st2, sp2), Code(st3, sp3)));
                Vector.ConditionalSelect(hasError, errorCode, Vector.Narrow(lo, hi)).CopyTo(codes[k], i);
            }
        }
        return i;
    }

    /// <summary>
    /// Pass 3 of one selection over rows [<paramref name="i0"/>, <paramref name="end"/>) in steps of
    /// <c>Vector&lt;byte&gt;.Count</c> rows: candidates that did not win become "not latest"; each winner gets its
    /// area or age code from <paramref name="rowCode"/> (indexed from <paramref name="i0"/>) or, when both pass, its
    /// outcome: effective treatment when it completed in the window or lasted <paramref name="days"/> days within it,
    /// successful completion when it ended in the window with a completed exit. Vectors with neither candidates nor
    /// winners are skipped. Returns the first row not done.
    /// </summary>
    private static int WinnerVectors(int[] start, int[] stop, ReadOnlySpan<byte> rowCode, ReadOnlySpan<byte> done, int i0, int end,
        int windowEnd, int days, bool effective, byte[] codes)
    {
        int w = Vector<int>.Count, step = Vector<byte>.Count, i = i0; // step = 4w
        var candidate = new Vector<byte>(Candidate);
        var winner = new Vector<byte>(Winner);
        var notLatest = new Vector<byte>(NotLatest);
        var we = new Vector<int>(windowEnd);
        var dv = new Vector<int>(days);
        var one = Vector<int>.One;
        var notEnded = new Vector<int>(NotEnded);
        for (; i <= end - step; i += step)
        {
            var c = new Vector<byte>(codes, i);
            var isCandidate = Vector.Equals(c, candidate);
            var isWinner = Vector.Equals(c, winner);
            if ((isCandidate | isWinner) == Vector<byte>.Zero) continue;
            var dn = new Vector<byte>(done.Slice(i - i0, step));
            Vector.Widen(dn, out var dLo, out var dHi);
            Vector.Widen(dLo, out var d0, out var d1);
            Vector.Widen(dHi, out var d2, out var d3);
            Vector<int> Outcome(int at, Vector<uint> doneFlag)
            {
                Vector<int> st = new(start, at), sp = new(stop, at);
                var completed = ~Vector.Equals(Vector.AsVectorInt32(doneFlag), Vector<int>.Zero);
                return effective
                    ? Vector.ConditionalSelect(JourneyPredicates.IsEffective<DayVector, Vector<int>>(new(st), new(sp), new(we), new(dv), completed), one, Vector<int>.Zero)
                    : Vector.ConditionalSelect(JourneyPredicates.EndedInWindow<DayVector, Vector<int>>(new(sp), new(we)), Vector.ConditionalSelect(completed, one, Vector<int>.Zero), notEnded);
            }
            var lo = Vector.AsVectorUInt16(Vector.Narrow(Outcome(i, d0), Outcome(i + w, d1)));
            var hi = Vector.AsVectorUInt16(Vector.Narrow(Outcome(i + 2 * w, d2), Outcome(i + 3 * w, d3)));
            var rc = new Vector<byte>(rowCode.Slice(i - i0, step));
            var won = Vector.ConditionalSelect(Vector.Equals(rc, Vector<byte>.Zero), Vector.Narrow(lo, hi), rc);
            Vector.ConditionalSelect(isCandidate, notLatest, Vector.ConditionalSelect(isWinner, won, c)).CopyTo(codes, i);
        }
        return i;
    }

    private static bool IsCompleted(bool[] table, int code, JourneyRules rules) =>
        code >= 0 ? code < table.Length && table[code] : code != JourneyTable.Blank && rules.CompletedExitReasons.Contains(code);

    /// <summary>(start, end) packed so that a greater start wins, then a blank end, then a later end.</summary>
    private static long Key(JourneyTable t, int i) => JourneyPredicates.LatestKey(t.Start[i], t.End[i]);
}

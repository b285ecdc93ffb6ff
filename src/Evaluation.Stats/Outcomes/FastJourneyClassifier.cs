using System.Numerics;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// Journeys as columns (struct of arrays): dates as day numbers, clients and areas as small integer codes,
/// blanks as sentinels. Built once, classified many times by <see cref="FastJourneyClassifier"/>.
/// </summary>
public sealed class JourneyTable
{
    /// <summary>The end of a journey with a blank end date.</summary>
    public const int NoEnd = int.MaxValue;

    /// <summary>A blank exit reason or age.</summary>
    public const int Blank = int.MinValue;

    internal JourneyTable(int[] client, int clients, int[] area, string[] areaNames, int[] start, int[] end, int[] exit, int[] age)
    {
        Client = client; ClientCount = clients; Area = area; AreaNames = areaNames; Start = start; End = end; ExitReason = exit; Age = age;
        DataError = new byte[start.Length];
        for (int i = 0; i < start.Length; i++)
            DataError[i] = end[i] != NoEnd && end[i] < start[i] ? (byte)1
                : exit[i] != Blank && end[i] == NoEnd ? (byte)2
                : age[i] == Blank ? (byte)3
                : age[i] < 0 ? (byte)4 : (byte)0;
    }

    /// <summary>The number of journeys.</summary>
    public int Count => Start.Length;
    /// <summary>Client codes, 0 to <see cref="ClientCount"/> − 1.</summary>
    public int[] Client { get; }
    /// <summary>The number of distinct clients.</summary>
    public int ClientCount { get; }
    /// <summary>Area codes into <see cref="AreaNames"/>.</summary>
    public int[] Area { get; }
    /// <summary>The area of each code.</summary>
    public string[] AreaNames { get; }
    /// <summary>Start dates as <see cref="DateOnly.DayNumber"/>.</summary>
    public int[] Start { get; }
    /// <summary>End dates as day numbers, <see cref="NoEnd"/> when blank.</summary>
    public int[] End { get; }
    /// <summary>Exit reasons, <see cref="Blank"/> when blank.</summary>
    public int[] ExitReason { get; }
    /// <summary>Ages, <see cref="Blank"/> when blank.</summary>
    public int[] Age { get; }
    internal byte[] DataError { get; }

    /// <summary>Builds the table from records (one pass; client ids and areas are coded in order of appearance).</summary>
    public static JourneyTable From(IReadOnlyList<Journey> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        int n = journeys.Count;
        var clients = new Dictionary<string, int>(StringComparer.Ordinal);
        var areas = new Dictionary<string, int>(StringComparer.Ordinal);
        var c = new int[n]; var a = new int[n]; var s = new int[n]; var e = new int[n]; var x = new int[n]; var g = new int[n];
        for (int i = 0; i < n; i++)
        {
            var j = journeys[i];
            if (!clients.TryGetValue(j.ClientId, out int cc)) clients[j.ClientId] = cc = clients.Count;
            if (!areas.TryGetValue(j.Area, out int ac)) areas[j.Area] = ac = areas.Count;
            c[i] = cc; a[i] = ac; s[i] = j.Start.DayNumber; e[i] = j.End?.DayNumber ?? NoEnd;
            x[i] = j.ExitReason ?? Blank; g[i] = j.Age ?? Blank;
        }
        return new JourneyTable(c, clients.Count, a, areas.Keys.ToArray(), s, e, x, g);
    }

    /// <summary>Builds the table from columns already coded (for example from a columnar file); the arrays are kept, not copied.</summary>
    public static JourneyTable FromColumns(int[] client, int clientCount, int[] area, string[] areaNames, int[] start, int[] end, int[] exitReason, int[] age)
    {
        int n = start.Length;
        if (new[] { client.Length, area.Length, end.Length, exitReason.Length, age.Length }.Any(l => l != n))
            throw new ArgumentException("Every column must have the same length.");
        return new JourneyTable(client, clientCount, area, areaNames, start, end, exitReason, age);
    }
}

/// <summary>
/// The fast journey classification (methodology §2): the same rules and ledger reasons as <see cref="JourneyClassifier"/>,
/// on a <see cref="JourneyTable"/>. Window and length tests run vectorised over row blocks on every core; the latest
/// journey is chosen in one pass per thread over packed (start, end) keys, merged in row order.
/// </summary>
public static class FastJourneyClassifier
{
    /// <summary>Codes of <see cref="Classify(JourneyTable, DateWindow, JourneyOutcome, JourneyRules, IReadOnlyList{AreaPair}, IReadOnlyList{string}?)"/>'s compact result: 0 and 1 are included (non-event, event); the rest index <see cref="Reasons"/>.</summary>
    public static readonly IReadOnlyList<string?> Reasons =
    [
        null, null,
        ExclusionReasons.EndBeforeStart, ExclusionReasons.ExitReasonWithoutEnd, ExclusionReasons.MissingAge, ExclusionReasons.NegativeAge,
        ExclusionReasons.OutsideWindow, ExclusionReasons.StartedTooLate, ExclusionReasons.NotLatest, ExclusionReasons.AreaNotInPair,
        ExclusionReasons.UnderMinimumAge, ExclusionReasons.NotEndedInWindow,
    ];

    private const byte NonEvent = 0, Event = 1, OutsideWindow = 6, StartedTooLate = 7, NotLatest = 8, AreaNotInPair = 9, UnderAge = 10, NotEnded = 11, CallerError = 255;
    private const int Candidate = 254; // transient
    private const int RowBlock = 1 << 16;

    /// <summary>Classifies every journey; returns the same statuses as <see cref="JourneyClassifier.Classify"/>.</summary>
    public static RowStatus[] Classify(JourneyTable table, DateWindow window, JourneyOutcome outcome, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        var codes = ClassifyCodes(table, window, outcome, rules, pairs, rowErrors, out var pairOf, out var groupOf);
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
    }

    /// <summary>
    /// The compact classification: one byte per row (0 non-event, 1 event, otherwise an index into <see cref="Reasons"/>,
    /// or 255 for a caller-supplied data error), with each area's pair and group.
    /// </summary>
    public static byte[] ClassifyCodes(JourneyTable table, DateWindow window, JourneyOutcome outcome, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors, out int[] pairOfArea, out byte[] groupOfArea)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(pairs);
        var map = new AreaMap(pairs);
        pairOfArea = new int[table.AreaNames.Length];
        groupOfArea = new byte[table.AreaNames.Length];
        for (int a = 0; a < table.AreaNames.Length; a++)
        {
            pairOfArea[a] = map.TryFind(table.AreaNames[a], out int p, out var g) ? p : -1;
            groupOfArea[a] = (byte)g;
        }
        if (outcome == JourneyOutcome.SuccessfulCompletionOfCaseload)
        {
            var caseload = Select(table, window, rules, pairOfArea, rowErrors, effective: true);
            var completion = Select(table, window, rules, pairOfArea, rowErrors, effective: false);
            var completed = new bool[table.ClientCount];
            for (int i = 0; i < completion.Length; i++) if (completion[i] == Event) completed[table.Client[i]] = true;
            for (int i = 0; i < caseload.Length; i++)
                if (caseload[i] <= Event) caseload[i] = completed[table.Client[i]] ? Event : NonEvent;
            return caseload;
        }
        return Select(table, window, rules, pairOfArea, rowErrors, outcome == JourneyOutcome.EffectiveTreatment);
    }

    private static byte[] Select(JourneyTable t, DateWindow w, JourneyRules rules, int[] pairOfArea, IReadOnlyList<string?>? rowErrors, bool effective)
    {
        int n = t.Count, s = w.Start.DayNumber, e = w.End.DayNumber, d = rules.EffectiveTreatmentDays;
        int latestStart = effective ? e - d : int.MaxValue;
        var codes = new byte[n];
        int blocks = (n + RowBlock - 1) / RowBlock;

        // 1. Data errors, window and start tests, vectorised over blocks.
        Parallel.For(0, blocks, b =>
        {
            int i = b * RowBlock, end = Math.Min(n, i + RowBlock);
            var vs = new Vector<int>(s); var ve = new Vector<int>(e); var vl = new Vector<int>(latestStart);
            for (; i <= end - Vector<int>.Count; i += Vector<int>.Count)
            {
                var start = new Vector<int>(t.Start, i);
                var stop = new Vector<int>(t.End, i);
                var crosses = Vector.BitwiseAnd(Vector.LessThanOrEqual(start, ve), Vector.GreaterThanOrEqual(stop, vs));
                var early = Vector.LessThanOrEqual(start, vl);
                for (int k = 0; k < Vector<int>.Count; k++)
                    codes[i + k] = Code(t, rowErrors, i + k, crosses[k] != 0, early[k] != 0);
            }
            for (; i < end; i++)
                codes[i] = Code(t, rowErrors, i, t.Start[i] <= e && t.End[i] >= s, t.Start[i] <= latestStart);
        });

        // 2. The latest candidate per client: one pass per thread over its rows, then a merge in row order.
        int threads = Math.Max(1, Math.Min(Environment.ProcessorCount, blocks));
        var best = new int[threads][];
        Parallel.For(0, threads, k =>
        {
            var mine = new int[t.ClientCount];
            Array.Fill(mine, -1);
            int from = (int)((long)n * k / threads), to = (int)((long)n * (k + 1) / threads);
            for (int i = from; i < to; i++)
            {
                if (codes[i] != Candidate) continue;
                int c = t.Client[i], other = mine[c];
                if (other < 0 || Key(t, i) >= Key(t, other)) mine[c] = i; // ties go to the later row
            }
            best[k] = mine;
        });
        var latest = best[0];
        for (int k = 1; k < threads; k++)
            for (int c = 0; c < latest.Length; c++)
            {
                int i = best[k][c];
                if (i >= 0 && (latest[c] < 0 || Key(t, i) >= Key(t, latest[c]))) latest[c] = i;
            }

        // 3. Winners: area, age, the outcome's own tests and the event; other candidates are not the latest.
        // Completed exit reasons as a lookup table (codes outside it are not completed).
        var completedCode = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) completedCode[code] = true;
        Parallel.For(0, blocks, b =>
        {
            int end = Math.Min(n, (b + 1) * RowBlock);
            for (int i = b * RowBlock; i < end; i++)
            {
                if (codes[i] != Candidate) continue;
                if (latest[t.Client[i]] != i) { codes[i] = NotLatest; continue; }
                int stop = t.End[i];
                if (pairOfArea[t.Area[i]] < 0) codes[i] = AreaNotInPair;
                else if (t.Age[i] < rules.MinimumAge) codes[i] = UnderAge;
                else if (effective)
                {
                    bool completed = stop <= e && IsCompleted(completedCode, t.ExitReason[i], rules);
                    codes[i] = completed || Math.Min(stop, e) - t.Start[i] >= d ? Event : NonEvent;
                }
                else if (stop > e) codes[i] = NotEnded;
                else codes[i] = IsCompleted(completedCode, t.ExitReason[i], rules) ? Event : NonEvent;
            }
        });
        return codes;
    }

    private static bool IsCompleted(bool[] table, int code, JourneyRules rules) =>
        code >= 0 ? code < table.Length && table[code] : code != JourneyTable.Blank && rules.CompletedExitReasons.Contains(code);

    private static byte Code(JourneyTable t, IReadOnlyList<string?>? rowErrors, int i, bool crosses, bool early)
    {
        if (rowErrors?[i] is not null) return CallerError;
        byte err = t.DataError[i];
        if (err != 0) return (byte)(1 + err);
        if (!crosses) return OutsideWindow;
        if (!early) return StartedTooLate;
        return Candidate;
    }

    /// <summary>(start, end) packed so that a greater start wins, then a blank end, then a later end.</summary>
    private static long Key(JourneyTable t, int i) => ((long)t.Start[i] << 32) | (uint)t.End[i];
}

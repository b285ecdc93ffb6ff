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

    /// <summary>Row indices grouped by client (a stable counting sort, done once): client c's rows are
    /// <c>ClientRows[ClientStart[c] .. ClientStart[c + 1])</c>, in input order.</summary>
    internal int[] ClientRows => _clientRows ??= GroupByClient(out _clientStart);
    internal int[] ClientStart { get { _ = ClientRows; return _clientStart!; } }
    private int[]? _clientRows;
    private int[]? _clientStart;

    private int[] GroupByClient(out int[] start)
    {
        start = new int[ClientCount + 1];
        foreach (int c in Client) start[c + 1]++;
        for (int c = 0; c < ClientCount; c++) start[c + 1] += start[c];
        var next = (int[])start.Clone();
        var rows = new int[Client.Length];
        for (int i = 0; i < Client.Length; i++) rows[next[Client[i]]++] = i;
        return rows;
    }

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
/// on a <see cref="JourneyTable"/>. Window and length tests run over blocks of rows on every core; the latest journey is
/// chosen by one pass over each client's rows (grouped once per table by a counting sort) comparing packed (start, end)
/// keys, in parallel over ranges of clients, with no per-client arrays.
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
    private const int Candidate = 254, Winner = 253; // transient
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

        // 1. Data errors, window and start tests over blocks of rows, branch-light (a vector compare per row
        //    only moved the cost into extracting its lanes).
        Parallel.For(0, blocks, b =>
        {
            int end = Math.Min(n, (b + 1) * RowBlock);
            var start = t.Start; var stop = t.End; var error = t.DataError;
            for (int i = b * RowBlock; i < end; i++)
            {
                int st = start[i];
                byte code = st <= e && stop[i] >= s ? (st <= latestStart ? (byte)Candidate : StartedTooLate) : OutsideWindow;
                byte err = error[i];
                codes[i] = err != 0 ? (byte)(1 + err) : code;
            }
            if (rowErrors is not null)
                for (int i = b * RowBlock; i < end; i++)
                    if (rowErrors[i] is not null) codes[i] = CallerError;
        });

        // 2. The latest candidate per client: one pass over each client's rows (grouped once per table), in parallel
        //    over ranges of clients; the winner is marked in place, so no per-client array is needed.
        var rows = t.ClientRows;
        var clientStart = t.ClientStart;
        int clientBlocks = (t.ClientCount + RowBlock - 1) / RowBlock;
        Parallel.For(0, clientBlocks, cb =>
        {
            int last = Math.Min(t.ClientCount, (cb + 1) * RowBlock);
            for (int c = cb * RowBlock; c < last; c++)
            {
                int winner = -1;
                long winnerKey = 0;
                for (int r = clientStart[c]; r < clientStart[c + 1]; r++)
                {
                    int i = rows[r];
                    if (codes[i] != Candidate) continue;
                    long key = Key(t, i);
                    if (winner < 0 || key >= winnerKey) { winner = i; winnerKey = key; } // rows are in input order: ties go to the later row
                }
                if (winner >= 0) codes[winner] = Winner;
            }
        });

        // 3. Winners: area, age, the outcome's own tests and the event; other candidates are not the latest.
        // Completed exit reasons as a lookup table (codes outside it are not completed).
        var completedCode = new bool[Math.Max(0, rules.CompletedExitReasons.Max()) + 1];
        foreach (int code in rules.CompletedExitReasons) if (code >= 0) completedCode[code] = true;
        Parallel.For(0, blocks, b =>
        {
            int end = Math.Min(n, (b + 1) * RowBlock);
            for (int i = b * RowBlock; i < end; i++)
            {
                if (codes[i] == Candidate) { codes[i] = NotLatest; continue; }
                if (codes[i] != Winner) continue;
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

    /// <summary>(start, end) packed so that a greater start wins, then a blank end, then a later end.</summary>
    private static long Key(JourneyTable t, int i) => ((long)t.Start[i] << 32) | (uint)t.End[i];
}

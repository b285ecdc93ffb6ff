namespace Evaluation.Stats.Outcomes;

/// <summary>
/// Journeys as columns (struct of arrays): dates as day numbers, clients and areas as small integer codes,
/// blanks as sentinels. Built once, classified many times by <see cref="FastJourneyClassifier"/>. Immutable: the
/// columns are read one value at a time; the arrays themselves are internal to the library.
/// </summary>
public sealed class JourneyTable
{
    /// <summary>The end of a journey with a blank end date.</summary>
    public const int NoEnd = int.MaxValue;

    /// <summary>A blank exit reason or age.</summary>
    public const int Blank = int.MinValue;

    internal JourneyTable(int[] client, int clients, int[] area, string[] areaNames, int[] start, int[] end, int[] exit, int[] age)
    {
        int n = start.Length;
        if (client.Length != n || area.Length != n || end.Length != n || exit.Length != n || age.Length != n)
            throw new ArgumentException("Every column must have the same length.");
        Client = client; ClientCount = clients; Area = area; AreaNameArray = areaNames; Start = start; End = end; ExitReason = exit; Age = age;
        DataError = new byte[n];
        for (int i = 0; i < n; i++)
            DataError[i] = JourneyPredicates.DataError(start[i], end[i], exit[i], age[i]);
    }

    /// <summary>The number of journeys.</summary>
    public int Count => Start.Length;

    /// <summary>The number of distinct clients.</summary>
    public int ClientCount { get; }

    /// <summary>The area of each area code, in order of first appearance.</summary>
    public IReadOnlyList<string> AreaNames => AreaNameArray;

    /// <summary>Journey <paramref name="row"/>'s client code, 0 to <see cref="ClientCount"/> − 1.</summary>
    public int ClientCode(int row) => Client[row];

    /// <summary>Journey <paramref name="row"/>'s area code, an index into <see cref="AreaNames"/>.</summary>
    public int AreaCode(int row) => Area[row];

    /// <summary>Journey <paramref name="row"/>'s start as a <see cref="DateOnly.DayNumber"/>.</summary>
    public int StartDay(int row) => Start[row];

    /// <summary>Journey <paramref name="row"/>'s end as a day number, <see cref="NoEnd"/> when blank.</summary>
    public int EndDay(int row) => End[row];

    /// <summary>Journey <paramref name="row"/>'s exit reason, <see cref="Blank"/> when blank.</summary>
    public int ExitCode(int row) => ExitReason[row];

    /// <summary>Journey <paramref name="row"/>'s age, <see cref="Blank"/> when blank.</summary>
    public int AgeYears(int row) => Age[row];

    internal int[] Client { get; }
    internal int[] Area { get; }
    internal string[] AreaNameArray { get; }
    internal int[] Start { get; }
    internal int[] End { get; }
    internal int[] ExitReason { get; }
    internal int[] Age { get; }
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
    public static JourneyTable From(IReadOnlyList<Journey> journeys) => From(journeys, out _);

    /// <summary>Builds the table from records, with the client id of each client code.</summary>
    internal static JourneyTable From(IReadOnlyList<Journey> journeys, out string[] clientIds)
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
        clientIds = clients.Keys.ToArray();
        return new JourneyTable(c, clients.Count, a, areas.Keys.ToArray(), s, e, x, g);
    }

    /// <summary>Builds the table from columns already coded (for example by a columnar reader); the arrays are kept, not copied.</summary>
    internal static JourneyTable FromColumns(int[] client, int clientCount, int[] area, string[] areaNames, int[] start, int[] end, int[] exitReason, int[] age) =>
        new(client, clientCount, area, areaNames, start, end, exitReason, age);
}

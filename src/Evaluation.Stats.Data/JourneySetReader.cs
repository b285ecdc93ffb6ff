using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads journeys straight into columns (<see cref="JourneySet"/>): each field is parsed from Sep's buffer into a
/// day number or a code; a client id, area or characteristic costs a string only the first time its text is seen.
/// The same header checks, column mapping, bad-row policy and messages as the record reader (<see cref="TableReader"/>).
/// </summary>
internal static class JourneySetReader
{
    public static JourneySet Read(IRowSource source, ReadOptions options)
    {
        var table = new TableReader(source, options, Readers.JourneyColumns, Readers.OptionalJourneyColumns);
        int clientAt = table.Index("client_id"), areaAt = table.Index("area");
        var extra = table.ExtraColumns.ToArray();
        var clients = new Codes();
        var areas = new Codes();
        var levels = extra.Select(_ => new Codes()).ToArray();
        ChunkedColumn<int> client = new(), area = new(), start = new(), end = new(), exit = new(), age = new();
        var chars = extra.Select(_ => new ChunkedColumn<int>()).ToArray();
        var lines = new ChunkedColumn<long>();
        var extraCodes = new int[extra.Length];
        bool waits = table.Has("referral_date"), firsts = table.Has("first_intervention_date");
        var read = table.Read<bool>(row =>
        {
            // Every field is parsed before any column is written, so a row that fails leaves no trace.
            var clientText = row.At(clientAt);
            if (clientText.IsEmpty) row.Required("client_id");
            var areaText = row.At(areaAt);
            if (areaText.IsEmpty) row.Required("area");
            int s = row.Date("journey_start").DayNumber;
            int e = row.OptionalDate("journey_end")?.DayNumber ?? JourneyTable.NoEnd;
            int x = row.OptionalInt("exit_reason") ?? JourneyTable.Blank;
            int g = row.OptionalInt("age") ?? JourneyTable.Blank;
            // The waiting-time dates are not held here, but a row whose date does not parse is still set aside, as by the record reader.
            if (waits) row.OptionalDate("referral_date");
            if (firsts) row.OptionalDate("first_intervention_date");
            for (int k = 0; k < extra.Length; k++)
            {
                var f = row.At(extra[k]);
                extraCodes[k] = f.IsEmpty ? JourneySet.BlankCode : levels[k].Of(f);
            }
            client.Add(clients.Of(clientText)); area.Add(areas.Of(areaText));
            start.Add(s); end.Add(e); exit.Add(x); age.Add(g);
            for (int k = 0; k < extra.Length; k++) chars[k].Add(extraCodes[k]);
            lines.Add(row.Line);
            return true;
        });
        var journeyTable = JourneyTable.FromColumns(client.ToArray(), clients.Count, area.ToArray(), areas.Names(),
            start.ToArray(), end.ToArray(), exit.ToArray(), age.ToArray());
        return new JourneySet(journeyTable, clients.Names(), lines.ToArray(), table.Extra.Names,
            chars.Select(c => c.ToArray()).ToArray(), levels.Select(l => l.Names()).ToArray(), read.Rejected);
    }

    /// <summary>Codes texts in order of first appearance; a text becomes a string only when first seen.</summary>
    private sealed class Codes
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
        private readonly List<string> _names = [];

        public Codes() => _bySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

        public int Count => _names.Count;

        public int Of(ReadOnlySpan<char> text)
        {
            if (_bySpan.TryGetValue(text, out int code)) return code;
            var name = text.ToString();
            _codes[name] = code = _names.Count;
            _names.Add(name);
            return code;
        }

        public string[] Names() => [.. _names];
    }
}

/// <summary>A column of unknown final length in 64K-value chunks: growth never copies; <see cref="ToArray"/> copies once.</summary>
internal sealed class ChunkedColumn<T> where T : struct
{
    private const int ChunkSize = 1 << 16;
    private readonly List<T[]> _chunks = [];
    private int _used = ChunkSize;

    public int Count { get; private set; }

    public void Add(T value)
    {
        if (_used == ChunkSize) { _chunks.Add(GC.AllocateUninitializedArray<T>(ChunkSize)); _used = 0; }
        _chunks[^1][_used++] = value;
        Count++;
    }

    /// <summary>The values as one array; each chunk is released as it is copied.</summary>
    public T[] ToArray()
    {
        var all = GC.AllocateUninitializedArray<T>(Count);
        for (int k = 0; k < _chunks.Count; k++)
        {
            int n = Math.Min(ChunkSize, Count - k * ChunkSize);
            Array.Copy(_chunks[k], 0, all, k * ChunkSize, n);
            _chunks[k] = [];
        }
        return all;
    }
}

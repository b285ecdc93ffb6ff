using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Data;

/// <summary>
/// The journeys of one block of a file (or of one run of rows), as columns with codes of its own: texts are coded
/// in order of first appearance within the segment, and <see cref="Join"/> renumbers them for the whole file.
/// </summary>
internal sealed class JourneySegment
{
    public JourneySegment(int capacity, int characteristics)
    {
        // Most rows bring a client not seen before in the block, so the clients' table is sized for every row at once.
        Clients = new Codes(capacity);
        Client = GC.AllocateUninitializedArray<int>(capacity);
        Area = GC.AllocateUninitializedArray<int>(capacity);
        Start = GC.AllocateUninitializedArray<int>(capacity);
        End = GC.AllocateUninitializedArray<int>(capacity);
        Exit = GC.AllocateUninitializedArray<int>(capacity);
        Age = GC.AllocateUninitializedArray<int>(capacity);
        Lines = GC.AllocateUninitializedArray<long>(capacity);
        Characteristics = new int[characteristics][];
        Levels = new Codes[characteristics];
        for (int k = 0; k < characteristics; k++)
        {
            Characteristics[k] = GC.AllocateUninitializedArray<int>(capacity);
            Levels[k] = new Codes();
        }
    }

    /// <summary>The rows written.</summary>
    public int Rows;

    public readonly int[] Client, Area, Start, End, Exit, Age;
    public readonly long[] Lines;
    public readonly int[][] Characteristics;
    public readonly Codes Clients, Areas = new();
    public readonly Codes[] Levels;

    /// <summary>Rows set aside (the exclude mode), in row order.</summary>
    public readonly List<RejectedRow> Rejected = [];

    /// <summary>
    /// The segments, in file order, as one <see cref="JourneySet"/>: each segment's codes are mapped to codes in order
    /// of first appearance in the whole file (one pass over the segments' distinct texts), then every segment copies
    /// its rows into place in parallel, releasing its columns as it goes.
    /// </summary>
    public static JourneySet Join(List<JourneySegment> segments, string[] names, int characteristics)
    {
        var offsets = new int[segments.Count + 1];
        for (int g = 0; g < segments.Count; g++)
            offsets[g + 1] = checked(offsets[g] + segments[g].Rows);
        int n = offsets[^1];
        // sized for the segments' distinct clients together (at least the file's), so it never grows
        var clients = new Codes(segments.Sum(s => s.Clients.Count));
        var areas = new Codes();
        var levels = Enumerable.Range(0, characteristics).Select(_ => new Codes()).ToArray();
        var clientMap = new int[segments.Count][];
        var areaMap = new int[segments.Count][];
        var levelMap = new int[segments.Count][][];
        for (int g = 0; g < segments.Count; g++)
        {
            var s = segments[g];
            clientMap[g] = clients.Merge(s.Clients);
            areaMap[g] = areas.Merge(s.Areas);
            levelMap[g] = new int[characteristics][];
            for (int k = 0; k < characteristics; k++) levelMap[g][k] = levels[k].Merge(s.Levels[k]);
        }

        int[] client = GC.AllocateUninitializedArray<int>(n), area = GC.AllocateUninitializedArray<int>(n),
            start = GC.AllocateUninitializedArray<int>(n), end = GC.AllocateUninitializedArray<int>(n),
            exit = GC.AllocateUninitializedArray<int>(n), age = GC.AllocateUninitializedArray<int>(n);
        var lines = GC.AllocateUninitializedArray<long>(n);
        var chars = Enumerable.Range(0, characteristics).Select(_ => GC.AllocateUninitializedArray<int>(n)).ToArray();
        var rejected = segments.SelectMany(s => s.Rejected).ToList();
        Parallel.For(0, segments.Count, g =>
        {
            var s = segments[g];
            int at = offsets[g], rows = s.Rows;
            Remap(s.Client, clientMap[g], client.AsSpan(at, rows));
            Remap(s.Area, areaMap[g], area.AsSpan(at, rows));
            s.Start.AsSpan(0, rows).CopyTo(start.AsSpan(at));
            s.End.AsSpan(0, rows).CopyTo(end.AsSpan(at));
            s.Exit.AsSpan(0, rows).CopyTo(exit.AsSpan(at));
            s.Age.AsSpan(0, rows).CopyTo(age.AsSpan(at));
            s.Lines.AsSpan(0, rows).CopyTo(lines.AsSpan(at));
            for (int k = 0; k < characteristics; k++) Remap(s.Characteristics[k], levelMap[g][k], chars[k].AsSpan(at, rows));
            segments[g] = null!; // freed as soon as copied
        });
        var table = JourneyTable.FromColumns(client, clients.Count, area, areas.Names(), start, end, exit, age);
        return new JourneySet(table, clients.Names(), lines, names, chars, levels.Select(l => l.Names()).ToArray(), rejected);
    }

    /// <summary>Segment codes to file codes; <see cref="JourneySet.BlankCode"/> stays blank.</summary>
    private static void Remap(int[] codes, int[] map, Span<int> to)
    {
        for (int r = 0; r < to.Length; r++)
        {
            int c = codes[r];
            to[r] = c == JourneySet.BlankCode ? c : map[c];
        }
    }
}

/// <summary>Codes texts in order of first appearance; a text becomes a string only when first seen.</summary>
internal sealed class Codes
{
    private readonly Dictionary<string, int> _codes;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<string> _names;

    public Codes(int capacity = 0)
    {
        _codes = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _names = new List<string>(capacity);
        _bySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _names.Count;

    public int Of(ReadOnlySpan<char> text)
    {
        // A column of a few levels (area, sex...): comparing with each is cheaper than hashing.
        if (_names.Count <= SmallLevels)
        {
            for (int c = 0; c < _names.Count; c++)
                if (text.SequenceEqual(_names[c])) return c;
            return Add(text);
        }
        return _bySpan.TryGetValue(text, out int code) ? code : Add(text);
    }

    private const int SmallLevels = 8;

    private int Add(ReadOnlySpan<char> text)
    {
        int code;
        var name = text.ToString();
        _codes[name] = code = _names.Count;
        _names.Add(name);
        return code;
    }

    /// <summary>Adds <paramref name="later"/>'s texts (coded after these) and returns the code here of each of its codes.</summary>
    public int[] Merge(Codes later)
    {
        var map = new int[later._names.Count];
        for (int c = 0; c < map.Length; c++)
        {
            var name = later._names[c];
            ref int code = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_codes, name, out bool seen);
            if (!seen)
            {
                code = _names.Count;
                _names.Add(name);
            }
            map[c] = code;
        }
        return map;
    }

    public string[] Names() => [.. _names];
}

using System.Collections.Concurrent;

namespace Evaluation.Stats.Data;

/// <summary>
/// A growable column in fixed-size chunks, written in row order by one thread: growth never copies, and the final
/// compaction frees each chunk as soon as it is copied, so peak memory stays at one copy plus a chunk.
/// </summary>
internal sealed class ColumnChunks<T>
{
    public const int Shift = 16;
    public const int ChunkSize = 1 << Shift;
    private readonly List<T[]?> _chunks = [];

    public void Set(long slot, T value)
    {
        int k = (int)(slot >> Shift);
        while (_chunks.Count <= k) _chunks.Add(null);
        (_chunks[k] ??= NewChunk())[slot & (ChunkSize - 1)] = value;
    }

    /// <summary>The value at <paramref name="slot"/>; NaN or default when nothing was written there.</summary>
    public T Get(long slot)
    {
        int k = (int)(slot >> Shift);
        return k < _chunks.Count && _chunks[k] is { } c ? c[slot & (ChunkSize - 1)] : Empty;
    }

    private static readonly T Empty = typeof(T) == typeof(double) ? (T)(object)double.NaN : default!;

    /// <summary>A new chunk; double columns start as NaN so an unwritten slot reads as blank.</summary>
    private static T[] NewChunk()
    {
        var c = new T[ChunkSize];
        if (typeof(T) == typeof(double)) ((double[])(object)c).AsSpan().Fill(double.NaN);
        return c;
    }

    /// <summary>Copies the slots where <paramref name="keep"/> is set into a new array of <paramref name="count"/>, freeing chunks as it goes.</summary>
    public T[] Compact(bool[] keep, int count)
    {
        var result = new T[count];
        int at = 0;
        for (int k = 0; (long)k * ChunkSize < keep.Length; k++)
        {
            int from = k * ChunkSize, length = Math.Min(ChunkSize, keep.Length - from);
            var chunk = k < _chunks.Count ? _chunks[k] : null;
            var mask = keep.AsSpan(from, length);
            if (chunk is not null && !mask.Contains(false))
            {
                chunk.AsSpan(0, length).CopyTo(result.AsSpan(at));
                at += length;
            }
            else
            {
                for (int i = 0; i < length; i++)
                    if (mask[i]) result[at++] = chunk is null ? default! : chunk[i];
            }
            if (k < _chunks.Count) _chunks[k] = null; // freed as soon as copied: peak memory is one copy plus a chunk
        }
        return result;
    }
}

/// <summary>Shared strings for repeated text, safe to use from several threads, looked up by span (no string for a repeat).</summary>
internal sealed class ConcurrentInterner
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ConcurrentInterner() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Intern(ReadOnlySpan<char> s)
    {
        if (_bySpan.TryGetValue(s, out var v)) return v;
        var str = s.ToString();
        return _strings.Count < 100_000 ? _strings.GetOrAdd(str, str) : str;
    }
}

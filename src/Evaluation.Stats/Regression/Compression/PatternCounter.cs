using Evaluation.Stats.Numerics.Simd;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Distinct patterns of the key columns with their summed events and trials, in ascending order of the mixed-radix
/// key Σ code_j · stride_j (the last column varies fastest). A column of at most 256 levels may be held as bytes (a
/// quarter of the memory, which a fresh allocation pays for page by page); <see cref="Codes"/> widens it on first use.
/// </summary>
internal sealed class PatternTable
{
    private readonly Array[] _columns; // per key column, int[] or byte[]
    private int[][]? _wide;

    /// <param name="columns">Per key column, each pattern's code as int[] or byte[].</param>
    /// <param name="events">Per pattern, Σ weight × events (a whole number, summed exactly as <c>long</c>, held as the double the fit reads).</param>
    /// <param name="trials">Per pattern, Σ weight × trials (at least 1: a pattern exists because a row with positive weight has it).</param>
    internal PatternTable(Array[] columns, double[] events, double[] trials)
    {
        _columns = columns;
        Events = events;
        Trials = trials;
    }

    internal double[] Events { get; }

    internal double[] Trials { get; }

    internal int Count => Events.Length;

    internal int Columns => _columns.Length;

    /// <summary>Per key column, each pattern's code (byte columns widened once, on first call).</summary>
    internal int[][] Codes => _wide ??= _columns.Select(c => c as int[] ?? ((byte[])c).Select(b => (int)b).ToArray()).ToArray();

    /// <summary>Column <paramref name="j"/>'s codes as bytes, or null when it is held as ints.</summary>
    internal byte[]? Narrow(int j) => _wide is null ? _columns[j] as byte[] : null;

    /// <summary>Maps column <paramref name="j"/>'s codes through <paramref name="map"/> in place.</summary>
    internal void Map(int j, int[] map)
    {
        if (_wide is not null) { var w = _wide[j]; for (int r = 0; r < w.Length; r++) w[r] = map[w[r]]; }
        if (_columns[j] is int[] codes) { if (_wide is null || !ReferenceEquals(codes, _wide[j])) for (int r = 0; r < codes.Length; r++) codes[r] = map[codes[r]]; }
        else { var b = (byte[])_columns[j]; for (int r = 0; r < b.Length; r++) b[r] = (byte)map[b[r]]; }
    }

    /// <summary>Sets <paramref name="present"/>[c] for each code c of column <paramref name="j"/>.</summary>
    internal void Present(int j, bool[] present)
    {
        if (_columns[j] is int[] codes) foreach (int c in codes) present[c] = true;
        else foreach (byte c in (byte[])_columns[j]) present[c] = true;
    }
}

/// <summary>
/// The counting pass of a compressed fit: every row adds its weight × events and weight × trials to its pattern.
/// Counts are whole numbers summed as <c>long</c>, so the readable reference and the fast pass agree exactly.
/// </summary>
internal static class PatternCounter
{
    /// <summary>Key spaces up to this size are counted in a flat array per thread; larger ones in a hash table per thread.</summary>
    internal const long DenseLimit = 1 << 20;

    private const int Block = 4096;

    internal static long[] Strides(int[] levels, out long size)
    {
        var strides = new long[levels.Length];
        size = 1;
        for (int j = levels.Length - 1; j >= 0; j--)
        {
            strides[j] = size;
            size = size > long.MaxValue / Math.Max(levels[j], 1) ? -1 : size * Math.Max(levels[j], 1);
            if (size < 0) throw new ArgumentException("The pattern key does not fit in 64 bits.");
        }
        return strides;
    }

    /// <summary>The reference: a sorted dictionary from each row's key (computed column by column) to its sums.</summary>
    internal static PatternTable Reference(int[][] codes, int[] levels, double[] events, double[]? trials, double[]? weights)
    {
        var strides = Strides(levels, out _);
        var sums = new SortedDictionary<long, (long E, long T)>();
        for (int i = 0; i < events.Length; i++)
        {
            long w = weights is null ? 1 : (long)weights[i];
            if (w == 0) continue;
            long key = 0;
            for (int j = 0; j < codes.Length; j++) key += codes[j][i] * strides[j];
            sums.TryGetValue(key, out var s);
            sums[key] = (s.E + w * (long)events[i], s.T + w * (long)(trials?[i] ?? 1));
        }
        return Table(sums.Keys.ToArray(), sums.Values.Select(v => v.E), sums.Values.Select(v => v.T), strides, levels);
    }

    /// <summary>The fast pass over plain code columns (each code its level); see <see cref="Fast(KeyColumn[], double[], double[], double[], int, int, long)"/>.</summary>
    internal static PatternTable Fast(int[][] codes, int[] levels, double[] events, double[]? trials, double[]? weights, int threads,
        int rowsPerThread = 65_536, long denseLimit = DenseLimit) =>
        Fast(codes.Select((c, j) => KeyColumn.OfCodes(c, null, levels[j])).ToArray(), events, trials, weights, threads, rowsPerThread, denseLimit)
        ?? throw new ArgumentException("An outcome is not 0 or 1.", nameof(events));

    /// <summary>
    /// Plain 0/1 rows in a dense key space (below 2^20 keys): per block, 32-bit keys 2 · key + outcome built by vector
    /// multiply-adds straight from the columns (each 0/1 column and the outcome checked in the block while it is in
    /// cache, so no separate pass reads them), then one byte counter per (key, outcome) incremented per row. The bytes
    /// keep a thread's table within its core's L2 cache (two bytes per key); a counter that wraps adds 256 to a spill
    /// table made on first need. The threads' tables are then summed key by key into the patterns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PatternTable? Plain(KeyColumn[] columns, double[] events, long[] strides, long size, int[] levels, int workers)
    {
        int n = events.Length, cells = (int)(2 * size);
        var fused = FusedKeys.Of(columns, strides);
        var tables = new byte[workers][];
        var spills = new int[workers][];
        int invalid = 0;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (w) =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            // Scratch from the shared pool: a fresh table would be paid for page by page on first touch.
            var table = tables[w] = ArrayPool<byte>.Shared.Rent(cells);
            Array.Clear(table, 0, cells);
            int[]? spill = null;
            var keys = new int[Block];
            var scratch = new int[Block];
            for (int b = start; b < end; b += Block)
            {
                int len = Math.Min(Block, end - b);
                var k = keys.AsSpan(0, len);
                if (fused is not null)
                {
                    if (!fused.Keys(events, b, k)) { invalid = 1; return; }
                }
                else
                {
                    k.Clear();
                    for (int j = 0; j < columns.Length; j++)
                        if (!columns[j].AddTo(k, b, 2 * (int)strides[j], scratch.AsSpan(0, len))) { invalid = 1; return; }
                    if (!KeyColumn.AddBinary(events.AsSpan(b, len), k, 1, scratch.AsSpan(0, len))) { invalid = 1; return; }
                }
                ref byte t = ref MemoryMarshal.GetArrayDataReference(table);
                foreach (int x in k)
                    if (++Unsafe.Add(ref t, x) == 0) (spill ??= new int[cells])[x] += 256;
            }
            spills[w] = spill!;
        });
        var patterns = invalid != 0 ? null : spills.Any(x => x is not null) ? Merge(tables, spills, size, levels) : Merge(tables, size, levels);
        foreach (var t in tables) if (t is not null) ArrayPool<byte>.Shared.Return(t);
        return patterns;
    }

    /// <summary>
    /// The threads' byte tables (no counter wrapped) summed into the patterns, the key space cut into one range per
    /// thread: each range's present keys counted (a key's two counters read as one 16-bit word, sixteen keys at a
    /// time), then each range's present keys copied in key order from its offset, so the fresh output arrays are first
    /// touched by both threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PatternTable Merge(byte[][] tables, long size, int[] levels)
    {
        int keys = (int)size, workers = tables.Length, parts = Math.Max(1, Math.Min(workers, keys / 4096));
        var present = new int[parts + 1];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part) =>
        {
            int i = (int)((long)keys * part / parts), end = (int)((long)keys * (part + 1) / parts), absent = 0, from = i;
            if (SimdDriver.Use256)
                for (; i <= end - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
                {
                    var v = Vector256<ushort>.Zero;
                    for (int w = 0; w < workers; w++) v |= Vector256.LoadUnsafe(ref Unsafe.As<byte, ushort>(ref MemoryMarshal.GetArrayDataReference(tables[w])), (nuint)i);
                    absent += BitOperations.PopCount(Vector256.Equals(v, Vector256<ushort>.Zero).ExtractMostSignificantBits());
                }
            for (; i < end; i++)
            {
                bool any = false;
                for (int w = 0; w < workers; w++) any |= tables[w][2 * i] != 0 || tables[w][2 * i + 1] != 0;
                absent += any ? 0 : 1;
            }
            present[part + 1] = end - from - absent;
        });
        for (int part = 0; part < parts; part++) present[part + 1] += present[part];
        int count = present[parts];
        var es = new double[count];
        var ts = new double[count];
        // Columns of at most 256 levels as bytes; the key space in ascending order with its digits kept by an odometer
        // (the last column varying fastest), so a present key's codes are copied, not divided out of the key.
        var narrow = new byte[levels.Length][];
        var wide = new int[levels.Length][];
        for (int j = 0; j < levels.Length; j++)
            if (levels[j] <= 256) narrow[j] = new byte[count];
            else wide[j] = new int[count];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part) =>
        {
            int from = (int)((long)keys * part / parts), end = (int)((long)keys * (part + 1) / parts), p = present[part], last = levels.Length - 1;
            var digit = new int[levels.Length];
            for (int j = last, rest = from; j >= 0; j--) { int radix = Math.Max(levels[j], 1); digit[j] = rest % radix; rest /= radix; }
            for (int key = from; key < end; key++)
            {
                int zero = 0, one = 0;
                for (int w = 0; w < workers; w++) { zero += tables[w][2 * key]; one += tables[w][2 * key + 1]; }
                if (zero + one > 0)
                {
                    ts[p] = zero + one;
                    es[p] = one;
                    for (int j = 0; j <= last; j++)
                        if (narrow[j] is { } b) b[p] = (byte)digit[j];
                        else wide[j][p] = digit[j];
                    p++;
                }
                for (int j = last; j >= 0 && ++digit[j] == Math.Max(levels[j], 1); j--) digit[j] = 0;
            }
        });
        return new PatternTable(narrow.Select((b, j) => (Array?)b ?? wide[j]).ToArray(), es, ts);
    }

    /// <summary>As the other overload, when some counter wrapped: each cell is its byte plus its spill.</summary>
    private static PatternTable Merge(byte[][] tables, int[][] spills, long size, int[] levels)
    {
        var sum = new long[2 * size]; // trials and events interleaved by key, as the wide tables hold them
        for (int w = 0; w < tables.Length; w++)
            for (long key = 0; key < size; key++)
            {
                long zero = tables[w][2 * key] + (spills[w]?[2 * key] ?? 0), one = tables[w][2 * key + 1] + (spills[w]?[2 * key + 1] ?? 0);
                sum[2 * key] += zero + one;
                sum[2 * key + 1] += one;
            }
        return DenseTable(sum, size, levels);
    }

    /// <summary>
    /// The patterns of a dense key space: every key with trials, in ascending order. The key's digits are kept by an
    /// odometer (the last column varying fastest), so a present key's codes are copied, not divided out of the key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a loop over the whole key space, run once per fit: never at tier 0
    private static PatternTable DenseTable(long[] sum, long size, int[] levels)
    {
        int count = 0;
        for (long key = 0; key < size; key++) if (sum[2 * key] > 0) count++;
        var es = new double[count];
        var ts = new double[count];
        var codes = new int[levels.Length][];
        for (int j = 0; j < codes.Length; j++) codes[j] = new int[count];
        var digit = new int[levels.Length];
        int p = 0;
        for (long key = 0; key < size; key++)
        {
            if (sum[2 * key] > 0)
            {
                ts[p] = sum[2 * key];
                es[p] = sum[2 * key + 1];
                for (int j = 0; j < digit.Length; j++) codes[j][p] = digit[j];
                p++;
            }
            for (int j = digit.Length - 1; j >= 0 && ++digit[j] == Math.Max(levels[j], 1); j--) digit[j] = 0;
        }
        return new PatternTable(codes, es, ts);
    }

    /// <summary>
    /// The fast pass: rows split into one range per thread; each block's keys summed column by column straight from
    /// the columns (a code through its code → level map, a 0/1 double as 0 or 1), so no coded copy of a column is
    /// made; counts scattered into a flat per-thread table (trials and events interleaved, so a row touches one cache
    /// line; 32-bit counts for unweighted 0/1 rows) or a hash table for big key spaces, then the threads' tables summed.
    /// </summary>
    /// <param name="columns">The key columns.</param>
    /// <param name="events">Each row's events (0/1 without trials).</param>
    /// <param name="trials">Each row's trials, or null for 1.</param>
    /// <param name="weights">Each row's whole-number frequency weight, or null for 1.</param>
    /// <param name="threads">At most this many threads.</param>
    /// <param name="rowsPerThread">At least this many rows per thread (small values let tests cross thread boundaries).</param>
    /// <param name="denseLimit">The largest key space counted in flat arrays.</param>
    /// <returns>The patterns, or null when a 0/1 key column (or, without trials and weights, an outcome) is not 0 or 1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static PatternTable? Fast(KeyColumn[] columns, double[] events, double[]? trials, double[]? weights, int threads,
        int rowsPerThread = 65_536, long denseLimit = DenseLimit)
    {
        var levels = columns.Select(c => c.Levels).ToArray();
        var strides = Strides(levels, out long size);
        int n = events.Length;
        int workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        bool dense = size <= denseLimit, plain = weights is null && trials is null;
        if (dense && plain) return Plain(columns, events, strides, size, levels, workers);
        int invalid = 0;
        var wide = new long[workers][];   // weighted or grouped rows, dense keys: [2 key] trials, [2 key + 1] events
        var hashes = new Dictionary<long, (long E, long T)>[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            long[]? l = dense ? new long[2 * size] : null;
            var hash = dense ? null : new Dictionary<long, (long E, long T)>();
            Span<long> keys = new long[Block];
            for (int b = start; b < end; b += Block)
            {
                int len = Math.Min(Block, end - b);
                var ev = events.AsSpan(b, len);
                var k = keys[..len];
                k.Clear();
                for (int j = 0; j < columns.Length; j++)
                    if (!columns[j].AddTo(k, b, strides[j])) { invalid = 1; return; }
                if (plain && LogisticRegression.FirstNotZeroOrOne(ev) >= 0) { invalid = 1; return; }
                for (int i = 0; i < len; i++)
                {
                    long wt = weights is null ? 1 : (long)weights[b + i];
                    if (wt == 0) continue;
                    long e = wt * (long)ev[i], t = wt * (long)(trials?[b + i] ?? 1), key = k[i];
                    if (l is not null) { l[2 * key] += t; l[2 * key + 1] += e; }
                    else
                    {
                        hash!.TryGetValue(key, out var h);
                        hash[key] = (h.E + e, h.T + t);
                    }
                }
            }
            wide[w] = l!;
            hashes[w] = hash!;
        });
        if (invalid != 0) return null;
        if (dense)
        {
            var sum = new long[2 * size];
            for (int w = 0; w < workers; w++) TensorPrimitives.Add<long>(sum, wide[w], sum);
            return DenseTable(sum, size, levels);
        }
        var all = hashes[0];
        for (int w = 1; w < workers; w++)
            foreach (var (key, h) in hashes[w])
            {
                all.TryGetValue(key, out var a);
                all[key] = (a.E + h.E, a.T + h.T);
            }
        var sorted = all.Keys.Order().ToArray();
        return Table(sorted, sorted.Select(x => all[x].E), sorted.Select(x => all[x].T), strides, levels);
    }

    private static PatternTable Table(long[] keys, IEnumerable<long> events, IEnumerable<long> trials, long[] strides, int[] levels)
    {
        var codes = new int[strides.Length][];
        for (int j = 0; j < strides.Length; j++)
        {
            codes[j] = new int[keys.Length];
            for (int p = 0; p < keys.Length; p++) codes[j][p] = (int)(keys[p] / strides[j] % Math.Max(levels[j], 1));
        }
        return new PatternTable(codes, events.Select(v => (double)v).ToArray(), trials.Select(v => (double)v).ToArray());
    }
}

/// <summary>
/// One column of a pattern key, read in place: codes with an optional code → level map (a column held as codes with
/// unsorted labels), or a 0/1 numeric column (1 for exactly 1, else 0).
/// </summary>
internal sealed class KeyColumn
{
    private readonly int[]? _codes, _map;
    private readonly double[]? _binary;

    private KeyColumn(int[]? codes, int[]? map, double[]? binary, int levels)
    {
        _codes = codes;
        _map = map;
        _binary = binary;
        Levels = levels;
    }

    /// <summary>The codes, or null for a 0/1 numeric column.</summary>
    internal int[]? Codes => _codes;

    /// <summary>The 0/1 values, or null for a column of codes.</summary>
    internal double[]? Binary => _binary;

    /// <summary>Whether the codes go through a code → level map.</summary>
    internal bool Mapped => _map is not null;

    /// <summary>The number of levels (the key's radix for this column).</summary>
    internal int Levels { get; }

    internal static KeyColumn OfCodes(int[] codes, int[]? map, int levels) => new(codes, map, null, levels);

    internal static KeyColumn OfBinary(double[] values) => new(null, null, values, 2);

    /// <summary>The level of row <paramref name="i"/>.</summary>
    internal int LevelOf(int i) => _binary is not null ? (_binary[i] == 1 ? 1 : 0) : _map is null ? _codes![i] : _map[_codes![i]];

    /// <summary>
    /// As the 64-bit overload, in 32 bits and vectorised: codes by a multiply-add, a 0/1 column checked and converted to 0
    /// or 1 first, mapped codes gathered one by one.
    /// </summary>
    /// <returns>False when a value of a 0/1 column is not 0 or 1.</returns>
    internal bool AddTo(Span<int> keys, int from, int stride, Span<int> scratch)
    {
        if (_binary is not null) return AddBinary(_binary.AsSpan(from, keys.Length), keys, stride, scratch);
        if (_map is null) TensorPrimitives.MultiplyAdd(_codes.AsSpan(from, keys.Length), stride, keys, keys);
        else
        {
            var c = _codes.AsSpan(from, keys.Length);
            var m = _map;
            for (int i = 0; i < keys.Length; i++) keys[i] += m[c[i]] * stride;
        }
        return true;
    }

    /// <summary>Adds stride × value of 0/1 <paramref name="values"/> to <paramref name="keys"/>; false, adding nothing, when one is not 0 or 1.</summary>
    internal static bool AddBinary(ReadOnlySpan<double> values, Span<int> keys, int stride, Span<int> scratch)
    {
        if (LogisticRegression.FirstNotZeroOrOne(values) >= 0) return false;
        TensorPrimitives.ConvertTruncating<double, int>(values, scratch);
        TensorPrimitives.MultiplyAdd(scratch, stride, keys, keys);
        return true;
    }

    /// <summary>Adds stride × level of rows <paramref name="from"/>.. to <paramref name="keys"/>.</summary>
    /// <returns>False when a value of a 0/1 column is not 0 or 1.</returns>
    internal bool AddTo(Span<long> keys, int from, long stride)
    {
        if (_binary is not null)
        {
            var v = _binary.AsSpan(from, keys.Length);
            if (LogisticRegression.FirstNotZeroOrOne(v) >= 0) return false;
            for (int i = 0; i < keys.Length; i++) keys[i] += v[i] == 1 ? stride : 0;
        }
        else if (_map is null)
        {
            var c = _codes.AsSpan(from, keys.Length);
            for (int i = 0; i < keys.Length; i++) keys[i] += c[i] * stride;
        }
        else
        {
            var c = _codes.AsSpan(from, keys.Length);
            var m = _map;
            for (int i = 0; i < keys.Length; i++) keys[i] += m[c[i]] * stride;
        }
        return true;
    }
}

/// <summary>
/// The keys 2 · Σ code_j · stride_j + outcome of a block of plain rows in one vectorised pass over the columns (codes
/// without a map, 0/1 columns and the outcome), eight rows at a time: a 0/1 value becomes the lane's 1 where it equals
/// 1, after the check that every value is 0 or 1 (−0 counts as 0). The columns are read once and the keys written once.
/// </summary>
internal sealed class FusedKeys
{
    private readonly int[][] _codes;
    private readonly int[] _codeStrides;
    private readonly double[][] _binary;
    private readonly int[] _binaryStrides;

    private FusedKeys(int[][] codes, int[] codeStrides, double[][] binary, int[] binaryStrides)
    {
        _codes = codes;
        _codeStrides = codeStrides;
        _binary = binary;
        _binaryStrides = binaryStrides;
    }

    /// <summary>The fused pass for <paramref name="columns"/> (strides doubled for the outcome), or null when a column is mapped.</summary>
    internal static FusedKeys? Of(KeyColumn[] columns, long[] strides)
    {
        if (columns.Any(c => c.Mapped)) return null;
        var codes = Enumerable.Range(0, columns.Length).Where(j => columns[j].Codes is not null).ToArray();
        var binary = Enumerable.Range(0, columns.Length).Where(j => columns[j].Binary is not null).ToArray();
        return new FusedKeys(codes.Select(j => columns[j].Codes!).ToArray(), codes.Select(j => 2 * (int)strides[j]).ToArray(),
            binary.Select(j => columns[j].Binary!).ToArray(), binary.Select(j => 2 * (int)strides[j]).ToArray());
    }

    /// <summary>The keys of rows <paramref name="b"/>.. into <paramref name="keys"/>; false when a 0/1 value or outcome is not 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool Keys(double[] events, int b, Span<int> keys)
    {
        int len = keys.Length, i = 0, nb = _binary.Length;
        ref int rk = ref MemoryMarshal.GetReference(keys);
        if (SimdDriver.Use256)
        {
            var one = Vector256<double>.One;
            for (; i <= len - 8; i += 8)
            {
                nuint at = (nuint)(b + i);
                var key = Vector256<int>.Zero;
                for (int j = 0; j < _codes.Length; j++)
                    key += Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_codes[j]), at) * _codeStrides[j];
                for (int j = 0; j <= nb; j++)
                {
                    ref double src = ref MemoryMarshal.GetArrayDataReference(j < nb ? _binary[j] : events);
                    var lo = Vector256.LoadUnsafe(ref src, at);
                    var hi = Vector256.LoadUnsafe(ref src, at + 4);
                    Vector256<double> loOne = Vector256.Equals(lo, one), hiOne = Vector256.Equals(hi, one);
                    var valid = (loOne | Vector256.Equals(lo, Vector256<double>.Zero)) & (hiOne | Vector256.Equals(hi, Vector256<double>.Zero));
                    if (valid.ExtractMostSignificantBits() != 0xF) return false;
                    var bits = Vector256.Narrow(-loOne.AsInt64(), -hiOne.AsInt64());
                    key += j < nb ? bits * _binaryStrides[j] : bits;
                }
                key.StoreUnsafe(ref rk, (nuint)i);
            }
        }
        for (; i < len; i++)
        {
            int r = b + i, key = 0;
            for (int j = 0; j < _codes.Length; j++) key += _codes[j][r] * _codeStrides[j];
            for (int j = 0; j <= nb; j++)
            {
                double v = j < nb ? _binary[j][r] : events[r];
                if (v is not (0.0 or 1.0)) return false;
                key += v == 1 ? (j < nb ? _binaryStrides[j] : 1) : 0;
            }
            keys[i] = key;
        }
        return true;
    }
}

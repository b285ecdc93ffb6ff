using System.Numerics.Tensors;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Distinct patterns of the key columns with their summed events and trials, in ascending order of the mixed-radix
/// key Σ code_j · stride_j (the last column varies fastest).
/// </summary>
/// <param name="Codes">Per key column, each pattern's code.</param>
/// <param name="Events">Per pattern, Σ weight × events.</param>
/// <param name="Trials">Per pattern, Σ weight × trials (at least 1: a pattern exists because a row with positive weight has it).</param>
internal sealed record PatternTable(int[][] Codes, long[] Events, long[] Trials)
{
    internal int Count => Events.Length;
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
        return Table(sums.Keys.ToArray(), sums.Values.Select(v => v.E).ToArray(), sums.Values.Select(v => v.T).ToArray(), strides, levels);
    }

    /// <summary>The fast pass over plain code columns (each code its level); see <see cref="Fast(KeyColumn[], double[], double[], double[], int, int, long)"/>.</summary>
    internal static PatternTable Fast(int[][] codes, int[] levels, double[] events, double[]? trials, double[]? weights, int threads,
        int rowsPerThread = 65_536, long denseLimit = DenseLimit) =>
        Fast(codes.Select((c, j) => KeyColumn.OfCodes(c, null, levels[j])).ToArray(), events, trials, weights, threads, rowsPerThread, denseLimit);

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
    internal static PatternTable Fast(KeyColumn[] columns, double[] events, double[]? trials, double[]? weights, int threads,
        int rowsPerThread = 65_536, long denseLimit = DenseLimit)
    {
        var levels = columns.Select(c => c.Levels).ToArray();
        var strides = Strides(levels, out long size);
        int n = events.Length;
        int workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        bool dense = size <= denseLimit, plain = weights is null && trials is null;
        var small = new int[workers][];   // plain rows, dense keys: [2 key] trials, [2 key + 1] events
        var wide = new long[workers][];   // weighted or grouped rows, dense keys: the same layout in 64 bits
        var hashes = new Dictionary<long, (long E, long T)>[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            int[]? s = dense && plain ? new int[2 * size] : null;
            long[]? l = dense && !plain ? new long[2 * size] : null;
            var hash = dense ? null : new Dictionary<long, (long E, long T)>();
            Span<long> keys = new long[Block];
            Span<int> small32 = s is null ? default : new int[Block], scratch = s is null ? default : new int[Block];
            for (int b = start; b < end; b += Block)
            {
                int len = Math.Min(Block, end - b);
                var ev = events.AsSpan(b, len);
                if (s is not null)
                {
                    // Plain rows in a dense key space (below 2^20 keys): 32-bit keys, built by vector multiply-adds.
                    var k32 = small32[..len];
                    k32.Clear();
                    for (int j = 0; j < columns.Length; j++) columns[j].AddTo(k32, b, (int)strides[j], scratch[..len]);
                    for (int i = 0; i < len; i++) { int at = 2 * k32[i]; s[at]++; s[at + 1] += (int)ev[i]; }
                    continue;
                }
                var k = keys[..len];
                k.Clear();
                for (int j = 0; j < columns.Length; j++) columns[j].AddTo(k, b, strides[j]);
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
            small[w] = s!;
            wide[w] = l!;
            hashes[w] = hash!;
        });
        if (dense)
        {
            var sum = new long[2 * size];
            for (int w = 0; w < workers; w++)
                if (plain) for (long x = 0; x < sum.Length; x++) sum[x] += small[w][x];
                else TensorPrimitives.Add<long>(sum, wide[w], sum);
            int count = 0;
            for (long key = 0; key < size; key++) if (sum[2 * key] > 0) count++;
            var es = new long[count];
            var ts = new long[count];
            var codes = new int[levels.Length][];
            for (int j = 0; j < codes.Length; j++) codes[j] = new int[count];
            // The key space in ascending order with its digits kept by an odometer (the last column varying fastest),
            // so a present key's codes are copied, not divided out of the key.
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
        var all = hashes[0];
        for (int w = 1; w < workers; w++)
            foreach (var (key, h) in hashes[w])
            {
                all.TryGetValue(key, out var a);
                all[key] = (a.E + h.E, a.T + h.T);
            }
        var sorted = all.Keys.Order().ToArray();
        return Table(sorted, sorted.Select(x => all[x].E).ToArray(), sorted.Select(x => all[x].T).ToArray(), strides, levels);
    }

    private static PatternTable Table(long[] keys, long[] events, long[] trials, long[] strides, int[] levels)
    {
        var codes = new int[strides.Length][];
        for (int j = 0; j < strides.Length; j++)
        {
            codes[j] = new int[keys.Length];
            for (int p = 0; p < keys.Length; p++) codes[j][p] = (int)(keys[p] / strides[j] % Math.Max(levels[j], 1));
        }
        return new PatternTable(codes, events, trials);
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

    /// <summary>The number of levels (the key's radix for this column).</summary>
    internal int Levels { get; }

    internal static KeyColumn OfCodes(int[] codes, int[]? map, int levels) => new(codes, map, null, levels);

    internal static KeyColumn OfBinary(double[] values) => new(null, null, values, 2);

    /// <summary>The level of row <paramref name="i"/>.</summary>
    internal int LevelOf(int i) => _binary is not null ? (_binary[i] == 1 ? 1 : 0) : _map is null ? _codes![i] : _map[_codes![i]];

    /// <summary>
    /// As the 64-bit overload, in 32 bits and vectorised: codes by a multiply-add, a 0/1 column converted to 0 or 1 first
    /// (its values are 0 or 1: <see cref="CompressedFit.IsCompressible"/> checks them), mapped codes gathered one by one.
    /// </summary>
    internal void AddTo(Span<int> keys, int from, int stride, Span<int> scratch)
    {
        if (_binary is not null)
        {
            TensorPrimitives.ConvertTruncating<double, int>(_binary.AsSpan(from, keys.Length), scratch);
            TensorPrimitives.MultiplyAdd(scratch, stride, keys, keys);
        }
        else if (_map is null) TensorPrimitives.MultiplyAdd(_codes.AsSpan(from, keys.Length), stride, keys, keys);
        else
        {
            var c = _codes.AsSpan(from, keys.Length);
            var m = _map;
            for (int i = 0; i < keys.Length; i++) keys[i] += m[c[i]] * stride;
        }
    }

    /// <summary>Adds stride × level of rows <paramref name="from"/>.. to <paramref name="keys"/>.</summary>
    internal void AddTo(Span<long> keys, int from, long stride)
    {
        if (_binary is not null)
        {
            var v = _binary.AsSpan(from, keys.Length);
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
    }
}

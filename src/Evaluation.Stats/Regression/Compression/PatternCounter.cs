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

    /// <summary>
    /// The fast pass: rows split into one range per thread; keys computed a block at a time with vector multiply-adds;
    /// counts scattered into a flat per-thread array (or hash table for big key spaces), then the threads' tables summed.
    /// </summary>
    /// <param name="codes">Per key column, each row's code.</param>
    /// <param name="levels">Per key column, its number of codes.</param>
    /// <param name="events">Each row's events (0/1 without trials).</param>
    /// <param name="trials">Each row's trials, or null for 1.</param>
    /// <param name="weights">Each row's whole-number frequency weight, or null for 1.</param>
    /// <param name="threads">At most this many threads.</param>
    /// <param name="rowsPerThread">At least this many rows per thread (small values let tests cross thread boundaries).</param>
    /// <param name="denseLimit">The largest key space counted in flat arrays.</param>
    internal static PatternTable Fast(int[][] codes, int[] levels, double[] events, double[]? trials, double[]? weights, int threads,
        int rowsPerThread = 65_536, long denseLimit = DenseLimit)
    {
        var strides = Strides(levels, out long size);
        int n = events.Length;
        int workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        bool dense = size <= denseLimit;
        var denseE = new long[workers][];
        var denseT = new long[workers][];
        var hashes = new Dictionary<long, (long E, long T)>[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            long[]? e = dense ? new long[size] : null, t = dense ? new long[size] : null;
            var hash = dense ? null : new Dictionary<long, (long E, long T)>();
            Span<long> keys = new long[Block];
            Span<long> code = new long[Block];
            for (int b = start; b < end; b += Block)
            {
                int len = Math.Min(Block, end - b);
                var k = keys[..len];
                k.Clear();
                for (int j = 0; j < codes.Length; j++)
                {
                    var c = code[..len];
                    var src = codes[j].AsSpan(b, len);
                    for (int i = 0; i < len; i++) c[i] = src[i];
                    TensorPrimitives.MultiplyAdd(c, strides[j], k, k);
                }
                if (dense && weights is null && trials is null)
                    for (int i = 0; i < len; i++) { long key = k[i]; t![key]++; e![key] += (long)events[b + i]; }
                else
                    for (int i = 0; i < len; i++)
                    {
                        long wt = weights is null ? 1 : (long)weights[b + i];
                        if (wt == 0) continue;
                        long ev = wt * (long)events[b + i], tr = wt * (long)(trials?[b + i] ?? 1), key = k[i];
                        if (dense) { e![key] += ev; t![key] += tr; }
                        else
                        {
                            hash!.TryGetValue(key, out var s);
                            hash[key] = (s.E + ev, s.T + tr);
                        }
                    }
            }
            denseE[w] = e!;
            denseT[w] = t!;
            hashes[w] = hash!;
        });
        if (dense)
        {
            for (int w = 1; w < workers; w++)
            {
                TensorPrimitives.Add<long>(denseE[0], denseE[w], denseE[0]);
                TensorPrimitives.Add<long>(denseT[0], denseT[w], denseT[0]);
            }
            var present = new List<long>();
            for (long key = 0; key < size; key++) if (denseT[0][key] > 0) present.Add(key);
            var ks = present.ToArray();
            return Table(ks, ks.Select(x => denseE[0][x]).ToArray(), ks.Select(x => denseT[0][x]).ToArray(), strides, levels);
        }
        var all = hashes[0];
        for (int w = 1; w < workers; w++)
            foreach (var (key, s) in hashes[w])
            {
                all.TryGetValue(key, out var a);
                all[key] = (a.E + s.E, a.T + s.T);
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

using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Evaluation.Stats.Numerics;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The logit engine of a compressed fit (<see cref="CompressedFit"/>): the patterns' design held as codes. Every design
/// column is the indicator that one key column takes a level in a set (a dummy: one level; a 0/1 column or an
/// interaction of 0/1 columns: the levels of their joint key whose bits are on) or the intercept, so a pattern's η is
/// the intercept plus one coefficient sum per key, and X'WX is read from Σw per level of each key and Σw per pair of
/// levels of each pair of keys. Those sums are accumulated down the key's prefix tree: while consecutive patterns share
/// their first d + 1 codes their weights are summed in one running sum, which is added to the tables of depth d only
/// when that prefix changes (the counting pass emits patterns in key order, so most sums are per group, not per pattern).
/// Patterns are cut into fixed chunks whose sums are added in chunk order, so results do not depend on the number of threads.
/// </summary>
internal sealed class PatternEngine : IIrlsEngine, IDesignRows
{
    /// <summary>Patterns per chunk (chunks are fixed by the patterns, never by the thread count).</summary>
    internal const int DefaultChunk = 32_768;
    private const int Block = 512;

    private readonly byte[][] _codes;  // per key, each pattern's level
    private readonly int[] _levels;    // per key, its number of levels
    private readonly int[] _key;       // per design column, its key (−1: the intercept)
    private readonly int[][] _set;     // per design column, the levels of its key at which it is 1
    private readonly double[] _e, _m;  // per pattern, events and trials
    private readonly byte[] _first;    // per pattern, the first key at which it differs from the pattern before
    private readonly double _saturated; // 2 Σ m [y log y + (1 − y) log(1 − y)]
    private readonly int _threads, _chunks, _size, _chunk;
    private readonly int[] _levelAt, _rhsAt; // per key, offsets of Σw and Σwz per level in an accumulator
    private readonly int[,] _pairAt;         // per pair of keys a < b, offset of Σw per (level a, level b)
    private readonly int[] _pairs;           // the same at [b · k + a]
    private readonly double[][] _acc;        // per chunk: [0] Σw, [1] Σwz, [2] deviance part, [3] fitted 0/1, then the tables
    private readonly double[] _sum;
    private readonly double[][] _coefficient; // per key and level, the sum of β over the columns that are 1 there
    private double _intercept;

    /// <summary>The engine over patterns with key codes, design columns as (key, levels), events e of trials m and the saturated part of the deviance (<see cref="Saturated"/>).</summary>
    internal PatternEngine(IReadOnlyList<string> names, byte[][] codes, int[] levels, int[] key, int[][] set, double[] e, double[] m, double saturated, int threads,
        int chunk = DefaultChunk)
    {
        _chunk = chunk;
        TermNames = names;
        _codes = codes;
        _levels = levels;
        _key = key;
        _set = set;
        _e = e;
        _m = m;
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _saturated = saturated;
        int k = levels.Length, at = 4;
        // The first key at which each pattern differs from the one before (k when equal on every key; 0 for the first).
        _first = FirstChanged(codes, e.Length);
        _levelAt = new int[k];
        _rhsAt = new int[k];
        _pairAt = new int[k, k];
        for (int a = 0; a < k; a++) { _levelAt[a] = at; at += levels[a]; _rhsAt[a] = at; at += levels[a]; }
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++) { _pairAt[a, b] = at; at += levels[a] * levels[b]; }
        _size = at;
        _pairs = new int[k * k];
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++) _pairs[b * k + a] = _pairAt[a, b];
        _chunks = Math.Max(1, (e.Length + chunk - 1) / chunk);
        _acc = new double[_chunks][];
        for (int c = 0; c < _chunks; c++) _acc[c] = new double[_size];
        _sum = new double[_size];
        _coefficient = levels.Select(l => new double[l]).ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] FirstChanged(byte[][] codes, int rows)
    {
        var first = new byte[rows];
        int k = codes.Length;
        for (int r = 1; r < rows; r++)
        {
            int f = 0;
            while (f < k && codes[f][r] == codes[f][r - 1]) f++;
            first[r] = (byte)f;
        }
        return first;
    }

    public int Rows => _e.Length;

    public IReadOnlyList<string> TermNames { get; }

    public IDesignRows Design => this;

    public bool HasIntercept => TermNames.Count > 0 && _key[0] < 0;

    public long Extreme { get; private set; }

    public void FillRow(int i, Span<double> row)
    {
        for (int j = 0; j < _key.Length; j++) row[j] = _key[j] < 0 || Array.IndexOf(_set[j], _codes[_key[j]][i]) >= 0 ? 1 : 0;
    }

    public double Evaluate(double[]? beta, bool information = true)
    {
        if (beta is not null)
        {
            _intercept = 0;
            foreach (var c in _coefficient) Array.Clear(c);
            for (int j = 0; j < _key.Length; j++)
                if (_key[j] < 0) _intercept += beta[j];
                else foreach (int l in _set[j]) _coefficient[_key[j]][l] += beta[j];
        }
        bool start = beta is null, info = information || start;
        Parallel.For(0, _chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, c => Pass(c, start, info));
        Array.Copy(_acc[0], _sum, _size);
        for (int c = 1; c < _chunks; c++)
        {
            var a = _acc[c];
            for (int x = 0; x < _size; x++) _sum[x] += a[x];
        }
        Extreme = (long)_sum[3];
        return _saturated + _sum[2];
    }

    /// <summary>
    /// One chunk: per block η (the prefix sums of the coefficients, recomputed from the first key that changed), then w,
    /// w·z, the deviance and the fitted 0/1 (R's quantities with prior weights), then the level and pair sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass(int chunk, bool start, bool info)
    {
        var acc = _acc[chunk];
        Array.Clear(acc);
        int from = chunk * _chunk, to = Math.Min(_e.Length, from + _chunk), k = _levels.Length;
        var pool = ArrayPool<double>.Shared;
        double[] eta = pool.Rent(Block), prepared = pool.Rent(Block), w = pool.Rent(Block), wz = pool.Rent(Block), y = pool.Rent(Block);
        Span<double> run = stackalloc double[2 * k + 2];
        Span<double> prefix = stackalloc double[k + 1];
        Span<int> previous = stackalloc int[k + 1];
        run.Clear();
        prefix[0] = _intercept;
        for (int b0 = from; b0 < to; b0 += Block)
        {
            int len = Math.Min(Block, to - b0);
            TensorPrimitives.Divide(_e.AsSpan(b0, len), _m.AsSpan(b0, len), y.AsSpan(0, len));
            if (start) Start(b0, len, y, w, wz, prepared, acc);
            else
            {
                var e = eta.AsSpan(0, len);
                LinearPredictor(b0, from, e, prefix);
                var args = new WeightedFamilyArgs
                {
                    Eta = e, Offset = default, Y = y.AsSpan(0, len), M = _m.AsSpan(b0, len), Prepared = prepared.AsSpan(0, len),
                    W = w.AsSpan(0, len), Wz = wz.AsSpan(0, len), Meat = false,
                };
                WeightedFamilyKernel<LogitOperator>.Run(ref args);
                acc[2] -= 2 * args.LogLikelihood;
                acc[3] += args.Extreme;
            }
            if (info) Accumulate(b0, from, len, w, wz, acc, run, previous);
        }
        if (info && to > from)
            for (int d = k - 1; d >= 0; d--) Flush(d, acc, run, previous);
        if (info && k == 0) { acc[0] += run[0]; acc[1] += run[1]; }
        pool.Return(eta);
        pool.Return(prepared);
        pool.Return(w);
        pool.Return(wz);
        pool.Return(y);
    }

    /// <summary>η of patterns b0.. as prefix sums: prefix[d + 1] = prefix[d] + β of key d's level, redone from the first key that changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LinearPredictor(int b0, int from, Span<double> eta, Span<double> prefix)
    {
        int k = _levels.Length;
        ref byte first = ref MemoryMarshal.GetArrayDataReference(_first);
        for (int i = 0; i < eta.Length; i++)
        {
            int r = b0 + i, f = r == from ? 0 : Unsafe.Add(ref first, r);
            for (int d = f; d < k; d++)
                prefix[d + 1] = prefix[d] + _coefficient[d][_codes[d][r]];
            eta[i] = prefix[k];
        }
    }

    /// <summary>R's start with prior weights: μ₀ = (m·y + ½)/(m + 1), η₀ = logit μ₀, w = m μ₀(1 − μ₀), w·z = w η₀ + m (y − μ₀).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Start(int b0, int len, double[] proportions, double[] w, double[] wz, double[] scratch, double[] acc)
    {
        var mu = w.AsSpan(0, len);
        var logMu = wz.AsSpan(0, len);
        var logOther = scratch.AsSpan(0, len);
        for (int i = 0; i < len; i++)
        {
            double m = _m[b0 + i];
            mu[i] = (m * proportions[i] + 0.5) / (m + 1);
            logOther[i] = 1 - mu[i];
        }
        TensorPrimitives.Log(mu, logMu);
        TensorPrimitives.Log(logOther, logOther);
        double dev = 0;
        for (int i = 0; i < len; i++)
        {
            double m = _m[b0 + i], y = proportions[i], u = mu[i], v = u * (1 - u), eta = logMu[i] - logOther[i];
            // y log μ + (1 − y) log(1 − μ): μ lies strictly inside (0, 1), so a term with factor 0 is 0.
            dev -= 2 * m * (y * logMu[i] + (1 - y) * logOther[i]);
            w[i] = m * v;
            wz[i] = m * v * eta + m * (y - u);
        }
        acc[2] += dev;
    }

    /// <summary>2 Σ m [y log y + (1 − y) log(1 − y)], y = e/m (0 log 0 = 0): the saturated part of the grouped deviance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Saturated(double[] e, double[] m)
    {
        double s = 0;
        var y = new double[Math.Min(Block, e.Length)];
        var a = new double[y.Length];
        var b = new double[y.Length];
        for (int b0 = 0; b0 < e.Length; b0 += Block)
        {
            int len = Math.Min(Block, e.Length - b0);
            TensorPrimitives.Divide(e.AsSpan(b0, len), m.AsSpan(b0, len), y.AsSpan(0, len));
            for (int i = 0; i < len; i++) { double v = y[i]; a[i] = v > 0 ? v : 1; b[i] = v < 1 ? 1 - v : 1; }
            TensorPrimitives.Log(a.AsSpan(0, len), a.AsSpan(0, len));
            TensorPrimitives.Log(b.AsSpan(0, len), b.AsSpan(0, len));
            for (int i = 0; i < len; i++) { double v = y[i]; s += 2 * m[b0 + i] * (v * a[i] + (1 - v) * b[i]); }
        }
        return s;
    }

    /// <summary>
    /// Adds a block's w and w·z down the prefix tree: run[d] (Σw) and run[k + d] (Σwz) hold the sums of the current group
    /// of patterns that share their codes of keys 0..d with <paramref name="previous"/>; a pattern that differs first at
    /// key f closes the groups of depths k − 1 .. f.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(int b0, int from, int len, double[] w, double[] wz, double[] acc, Span<double> run, Span<int> previous)
    {
        int k = _levels.Length;
        if (k == 0)
        {
            for (int i = 0; i < len; i++) { run[0] += w[i]; run[1] += wz[i]; }
            return;
        }
        ref byte first = ref MemoryMarshal.GetArrayDataReference(_first);
        byte[][] codes = _codes;
        int[] levelAt = _levelAt, rhsAt = _rhsAt, pairAt = _pairs, levels = _levels;
        for (int i = 0; i < len; i++)
        {
            int r = b0 + i, f = 0;
            if (r != from)
            {
                // Close the groups of depths k − 1 .. f (as Flush, inlined: this is the per-pattern step).
                f = Unsafe.Add(ref first, r);
                for (int d = k - 1; d >= f; d--)
                {
                    double sw = run[d], swz = run[k + d];
                    int level = previous[d], row = d * k;
                    acc[levelAt[d] + level] += sw;
                    acc[rhsAt[d] + level] += swz;
                    for (int c = 0; c < d; c++) acc[pairAt[row + c] + previous[c] * levels[d] + level] += sw;
                    if (d > 0) { run[d - 1] += sw; run[k + d - 1] += swz; }
                    else { acc[0] += sw; acc[1] += swz; }
                    run[d] = 0;
                    run[k + d] = 0;
                }
            }
            for (int d = f; d < k; d++) previous[d] = codes[d][r];
            run[k - 1] += w[i];
            run[2 * k - 1] += wz[i];
        }
    }

    /// <summary>Closes the group of depth <paramref name="d"/>: its sums go to the level and pair tables of key d and up the tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Flush(int d, double[] acc, Span<double> run, Span<int> previous)
    {
        int k = _levels.Length;
        double sw = run[d], swz = run[k + d];
        int level = previous[d];
        acc[_levelAt[d] + level] += sw;
        acc[_rhsAt[d] + level] += swz;
        for (int a = 0; a < d; a++) acc[_pairAt[a, d] + previous[a] * _levels[d] + level] += sw;
        if (d > 0) { run[d - 1] += sw; run[k + d - 1] += swz; }
        else { acc[0] += sw; acc[1] += swz; }
        run[d] = 0;
        run[k + d] = 0;
    }

    /// <summary>The entry of X'WX between design columns <paramref name="i"/> and <paramref name="j"/>.</summary>
    private double Entry(int i, int j)
    {
        int a = _key[i], b = _key[j];
        if (a < 0 && b < 0) return _sum[0];
        if (a < 0) return Levels(b, _set[j], _levelAt[b]);
        if (b < 0) return Levels(a, _set[i], _levelAt[a]);
        double s = 0;
        if (a == b)
        {
            foreach (int l in _set[i]) if (Array.IndexOf(_set[j], l) >= 0) s += _sum[_levelAt[a] + l];
            return s;
        }
        var (si, sj) = (_set[i], _set[j]);
        if (a > b) { (a, b) = (b, a); (si, sj) = (sj, si); }
        int at = _pairAt[a, b], lb = _levels[b];
        foreach (int l in si) foreach (int m in sj) s += _sum[at + l * lb + m];
        return s;
    }

    private double Levels(int key, int[] set, int offset)
    {
        double s = 0;
        foreach (int l in set) s += _sum[offset + l];
        return s;
    }

    private double Rhs(int j) => _key[j] < 0 ? _sum[1] : Levels(_key[j], _set[j], _rhsAt[_key[j]]);

    public void Assemble(int[] kept, double[] info, double[] rhs)
    {
        int p = kept.Length;
        for (int u = 0; u < p; u++)
        {
            rhs[u] = Rhs(kept[u]);
            for (int v = u; v < p; v++) info[u * p + v] = info[v * p + u] = Entry(kept[u], kept[v]);
        }
    }

    public int[] KeptColumns(double tolerance)
    {
        int total = _key.Length;
        var all = Enumerable.Range(0, total).ToArray();
        var info = new double[total * total];
        Assemble(all, info, new double[total]);
        return SmallDense.KeptColumns(info, total, tolerance);
    }

    // Many-level categoricals go to the fast engine (CompressedFit), so there is nothing to absorb here.
    public int[] AbsorbableColumns() => [];

    public void AssembleBlocked(int[] others, int[] absorbed, double[] a, double[] b, double[] d, double[] ra, double[] rc) =>
        throw new NotSupportedException("The pattern engine absorbs no categorical.");

    // The compressed fit's sandwiches are computed from the patterns' scores (CompressedFit), not by the engine.
    public double[] Meat(double[] beta, int[] kept) => throw new NotSupportedException("The pattern engine computes no meat.");

    public void Dispose() { }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The fast logistic fit: the same IRLS as <see cref="LogisticRegression"/> (same start, family, stopping rule,
/// step-halving and aliasing criterion), computed in one fused, vectorised, multi-threaded pass per iteration
/// over a columnar <see cref="FastDesign"/>. Categorical terms are never expanded: their blocks of X'WX are sums
/// of weights per level. Rows are cut into fixed chunks whose partial sums are added in chunk order, so results
/// do not depend on the number of threads. All buffers are allocated before the first iteration.
/// </summary>
internal static class FastLogisticRegression
{
    private const int Block = 512;        // rows per cache block
    private const int MinChunk = 16_384;  // rows per chunk (fixed by n alone, never by the thread count)
    private const double Eps = 2.220446049250313e-16;
    private const double Thresh = 30;

    private enum Mode { Irls, Gram, Meat }

    internal static LogisticResult Fit(FastDesign design, IReadOnlyList<double> y, LogisticOptions options, IReadOnlyList<string> names)
    {
        var ws = new Workspace(design, y, options.MaxDegreeOfParallelism);
        int total = design.Parameters.Length;
        var warnings = new List<string>();

        // Aliasing: a design-order Cholesky of X'X; a column whose residual norm is below tol × its norm is aliased.
        ws.Pass(Mode.Gram, null);
        var gram = ws.Assemble(Enumerable.Range(0, total).ToArray(), out _);
        int[] kept = KeptColumns(gram, total, options.AliasTolerance);
        var aliased = Enumerable.Range(0, total).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        int p = kept.Length, n = design.Rows;
        if (p >= n) warnings.Add($"{p} estimated terms for {n} rows: the model is saturated or over-parameterised, and its standard errors are not meaningful");

        var beta = new double[p];
        var previous = new double[p];
        var info = new double[p * p];
        var rhs = new double[p];
        var full = new double[total];

        // Iteration 1 from R's starting values; each later pass evaluates the deviance of the current β
        // and accumulates X'WX and X'Wz at it.
        double devOld = ws.Pass(Mode.Irls, null);
        ws.AssembleInto(kept, info, rhs);
        Solve(info, rhs, beta, p);
        int iterations = 1;
        bool converged = false;
        double dev = 0;
        while (true)
        {
            Expand(beta, kept, full);
            dev = ws.Pass(Mode.Irls, full);
            for (int h = 0; iterations > 1 && (!double.IsFinite(dev) || dev > devOld * (1 + 1e-12) + 1e-12) && h < 30; h++)
            {
                for (int k = 0; k < p; k++) beta[k] = (beta[k] + previous[k]) / 2;
                Expand(beta, kept, full);
                dev = ws.Pass(Mode.Irls, full);
            }
            ws.AssembleInto(kept, info, rhs);
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < options.Tolerance) { converged = true; break; }
            if (iterations >= options.MaxIterations) break;
            devOld = dev;
            Array.Copy(beta, previous, p);
            Solve(info, rhs, beta, p);
            iterations++;
        }
        if (!converged)
        {
            warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
            Expand(beta, kept, full);
            dev = ws.Pass(Mode.Irls, full);
            ws.AssembleInto(kept, info, rhs);
        }
        var bread = Inverse(info, p);
        long extreme = ws.Extreme;

        // Separation: continue Newton past convergence and name the terms that keep moving.
        var separation = new List<string>();
        if (LogisticRegression.MaySeparate(beta, extreme))
        {
            var b = (double[])beta.Clone();
            var probe = new double[p * p];
            var probeRhs = new double[p];
            for (int step = 0; step < 5; step++)
            {
                Expand(b, kept, full);
                ws.Pass(Mode.Irls, full);
                ws.AssembleInto(kept, probe, probeRhs);
                var next = new double[p];
                if (!Solve(probe, probeRhs, next, p) || next.Any(v => !double.IsFinite(v))) break;
                b = next;
            }
            for (int k = 0; k < p; k++)
                if (Math.Abs(b[k] - beta[k]) > 1e-3 * (1 + Math.Abs(beta[k]))) separation.Add(names[kept[k]]);
            Expand(beta, kept, full);
            ws.Pass(Mode.Irls, full); // restore the final state (extreme count, deviance)
        }
        if (separation.Count > 0 || extreme > 0)
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10" +
                         (separation.Count > 0 ? $"; the estimates of {string.Join(", ", separation)} diverge (their maximum-likelihood estimates are infinite)" : "") +
                         "; consider Firth's bias-reduced fit");

        double[] covariance = options.Covariance switch
        {
            CovarianceType.Model => bread,
            CovarianceType.HC0 or CovarianceType.HC1 => Sandwich(ws, bread, kept, full, beta, p, options.Covariance == CovarianceType.HC1 ? (double)n / (n - p) : 1),
            CovarianceType.Cluster => ClusterSandwich(design, y, bread, kept, beta, full, p, options.Clusters!),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        double nullDeviance = LogisticRegression.NullDevianceOf(design.TermNames.Count > 0 && design.TermNames[0] == "(Intercept)", y);
        return LogisticRegression.Result(names, kept, beta, covariance, dev, nullDeviance, iterations, converged, n, separation, warnings, options);
    }

    private static void Expand(double[] beta, int[] kept, double[] full)
    {
        Array.Clear(full);
        for (int k = 0; k < kept.Length; k++) full[kept[k]] = beta[k];
    }

    private static double[] Sandwich(Workspace ws, double[] bread, int[] kept, double[] full, double[] beta, int p, double factor)
    {
        Expand(beta, kept, full);
        ws.Pass(Mode.Meat, full);
        var meat = ws.Assemble(kept, out _);
        return BreadMeatBread(bread, meat, p, factor);
    }

    private static double[] ClusterSandwich(FastDesign design, IReadOnlyList<double> y, double[] bread, int[] kept, double[] beta, double[] full, int p, IReadOnlyList<string> clusters)
    {
        Expand(beta, kept, full);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in clusters) index.TryAdd(c ?? "", index.Count);
        int g = index.Count, n = design.Rows;
        if (g < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        var sums = new double[g * p];
        var row = new double[design.Parameters.Length];
        for (int i = 0; i < n; i++)
        {
            design.FillRow(i, row);
            double eta = 0;
            for (int k = 0; k < row.Length; k++) eta += row[k] * full[k];
            double m = LogisticRegression.LinkInverse(eta), d = LogisticRegression.MuEta(eta);
            double r = (y[i] - m) * d / (m * (1 - m));
            int c = index[clusters[i] ?? ""];
            for (int k = 0; k < p; k++) sums[c * p + k] += row[kept[k]] * r;
        }
        var meat = new double[p * p];
        for (int c = 0; c < g; c++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) meat[a * p + b] += sums[c * p + a] * sums[c * p + b];
        return BreadMeatBread(bread, meat, p, (double)g / (g - 1) * (n - 1.0) / (n - p));
    }

    private static double[] BreadMeatBread(double[] bread, double[] meat, int p, double factor)
    {
        var tmp = new double[p * p];
        var result = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += bread[a * p + k] * meat[k * p + b];
                tmp[a * p + b] = s;
            }
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += tmp[a * p + k] * bread[k * p + b];
                result[a * p + b] = s * factor;
            }
        return result;
    }

    /// <summary>Design-order Cholesky of the Gram matrix X'X, skipping a column whose residual is below tol × its norm.</summary>
    internal static int[] KeptColumns(double[] gram, int total, double tolerance)
    {
        var kept = new List<int>();
        var l = new double[total * total]; // l[j, m] for kept m, row-major by j
        for (int j = 0; j < total; j++)
        {
            double gjj = gram[j * total + j];
            if (gjj <= 0) continue;
            for (int mi = 0; mi < kept.Count; mi++)
            {
                int m = kept[mi];
                double s = gram[j * total + m];
                for (int qi = 0; qi < mi; qi++) s -= l[j * total + kept[qi]] * l[m * total + kept[qi]];
                l[j * total + m] = s / l[m * total + m];
            }
            double d = gjj;
            foreach (int m in kept) d -= l[j * total + m] * l[j * total + m];
            if (d <= tolerance * tolerance * gjj) continue;
            l[j * total + j] = Math.Sqrt(d);
            kept.Add(j);
        }
        return kept.ToArray();
    }

    /// <summary>Solves A x = b for symmetric positive-definite A (p × p, row-major) by Cholesky; A is left intact.</summary>
    internal static bool Solve(double[] a, double[] b, double[] x, int p)
    {
        var l = new double[p * p];
        if (!Cholesky(a, l, p)) return false;
        var t = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * t[k];
            t[i] = s / l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--)
        {
            double s = t[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
            x[i] = s / l[i * p + i];
        }
        return true;
    }

    private static bool Cholesky(double[] a, double[] l, int p)
    {
        for (int j = 0; j < p; j++)
        {
            double d = a[j * p + j];
            for (int k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
            if (!(d > 0)) return false;
            double ljj = Math.Sqrt(d);
            l[j * p + j] = ljj;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                l[i * p + j] = s / ljj;
            }
        }
        return true;
    }

    internal static double[] Inverse(double[] a, int p)
    {
        var inv = new double[p * p];
        var e = new double[p];
        var col = new double[p];
        for (int j = 0; j < p; j++)
        {
            Array.Clear(e);
            e[j] = 1;
            if (!Solve(a, e, col, p)) throw new InvalidOperationException("The information matrix is not positive definite.");
            for (int i = 0; i < p; i++) inv[i * p + j] = col[i];
        }
        return inv;
    }

    /// <summary>Preallocated accumulators and scratch for the fused pass.</summary>
    private sealed class Workspace
    {
        private readonly FastDesign _d;
        private readonly double[] _y;
        private readonly int _n, _pd, _chunks, _chunkSize, _threads, _size;
        private readonly int _rOff, _sOff, _tOff, _uOff, _vOff, _devOff, _extOff;
        private readonly int[] _catS, _catU, _catBeta;
        private readonly int[,] _pairV;
        private readonly double[][] _acc;
        private readonly double[][] _scratch;
        private readonly double[] _total;
        private double[]? _beta;
        private Mode _mode;

        public Workspace(FastDesign d, IReadOnlyList<double> y, int threads)
        {
            _d = d;
            _n = d.Rows;
            _y = y as double[] ?? y.ToArray();
            _pd = d.Dense.Length;
            _threads = threads > 0 ? threads : Environment.ProcessorCount;
            _chunkSize = Math.Max(MinChunk, (_n + 255) / 256);
            _chunkSize = (_chunkSize + Block - 1) / Block * Block;
            _chunks = Math.Max(1, (_n + _chunkSize - 1) / _chunkSize);
            int c = d.Codes.Length;
            _catS = new int[c];
            _catU = new int[c];
            _catBeta = new int[c];
            int off = _pd * _pd;
            _rOff = off; off += _pd;
            _sOff = off;
            for (int k = 0; k < c; k++) { _catS[k] = off; off += d.LevelCounts[k]; }
            _tOff = off;
            off += d.LevelCounts.Sum();
            _uOff = off;
            for (int k = 0; k < c; k++) { _catU[k] = off; off += d.LevelCounts[k] * _pd; }
            _vOff = off;
            _pairV = new int[c, c];
            for (int a = 0; a < c; a++)
                for (int b = a + 1; b < c; b++) { _pairV[a, b] = off; off += d.LevelCounts[a] * d.LevelCounts[b]; }
            _devOff = off++;
            _extOff = off++;
            _size = off;
            int betaOff = _pd;
            for (int k = 0; k < c; k++) { _catBeta[k] = betaOff; betaOff += d.LevelCounts[k]; }
            _acc = new double[_chunks][];
            _scratch = new double[_chunks][];
            for (int k = 0; k < _chunks; k++)
            {
                _acc[k] = new double[_size];
                _scratch[k] = new double[Block * (5 + _pd)];
            }
            _total = new double[_size];
            _catBetaValues = new double[betaOff];
        }

        private readonly double[] _catBetaValues; // dense β then per-categorical β by level (0 for the reference)

        public long Extreme => (long)_total[_extOff];

        /// <summary>One pass over every row; returns the deviance at the current β (or at the start).</summary>
        public double Pass(Mode mode, double[]? full)
        {
            _mode = mode;
            _beta = full;
            if (full is not null)
            {
                Array.Clear(_catBetaValues);
                for (int q = 0; q < _d.Parameters.Length; q++)
                {
                    var (dd, c, l) = _d.Parameters[q];
                    if (dd >= 0) _catBetaValues[dd] = full[q];
                    else _catBetaValues[_catBeta[c] + l] = full[q];
                }
            }
            if (_threads == 1 || _chunks == 1)
                for (int k = 0; k < _chunks; k++) Chunk(k);
            else
                Parallel.For(0, _chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, Chunk);
            Array.Clear(_total);
            for (int k = 0; k < _chunks; k++) TensorPrimitives.Add(_total, _acc[k], _total);
            return _total[_devOff];
        }

        private void Chunk(int k)
        {
            var acc = _acc[k];
            Array.Clear(acc);
            int start = k * _chunkSize, end = Math.Min(_n, start + _chunkSize);
            for (int i0 = start; i0 < end; i0 += Block)
                BlockPass(i0, Math.Min(Block, end - i0), acc, _scratch[k]);
        }

        private void BlockPass(int i0, int b, double[] acc, double[] scratch)
        {
            var s = scratch.AsSpan();
            var eta = s.Slice(0, b);
            var t = s.Slice(Block, b);
            var w = s.Slice(2 * Block, b);
            var z = s.Slice(3 * Block, b);
            var q = s.Slice(4 * Block, b);
            var y = _y.AsSpan(i0, b);

            // η = Xβ: dense columns vectorised, categorical levels by lookup.
            if (_beta is null || _mode == Mode.Gram)
            {
                for (int i = 0; i < b; i++) eta[i] = y[i] == 1 ? Math.Log(3) : -Math.Log(3); // logit((y + 1/2)/2)
            }
            else
            {
                eta.Clear();
                for (int j = 0; j < _pd; j++)
                    if (_catBetaValues[j] != 0) TensorPrimitives.MultiplyAdd(_d.Dense[j].AsSpan(i0, b), _catBetaValues[j], eta, eta);
                for (int c = 0; c < _d.Codes.Length; c++)
                {
                    var codes = _d.Codes[c].AsSpan(i0, b);
                    int off = _catBeta[c];
                    for (int i = 0; i < b; i++) eta[i] += _catBetaValues[off + codes[i]];
                }
            }

            if (_mode == Mode.Gram)
            {
                w.Fill(1);
                z.Clear();
            }
            else
            {
                Family(eta, t, y, w, z, q, acc);
            }

            // X'WX (upper triangle) and X'Wz for the dense columns, with W folded into one operand.
            var wx = s.Slice(5 * Block);
            for (int j = 0; j < _pd; j++) TensorPrimitives.Multiply(w, _d.Dense[j].AsSpan(i0, b), wx.Slice(j * Block, b));
            for (int j = 0; j < _pd; j++)
            {
                var wxj = wx.Slice(j * Block, b);
                Syrk(wxj, j, i0, b, acc);
                acc[_rOff + j] += TensorPrimitives.Dot(wxj, z);
            }

            // Categorical blocks: weight sums per level, per level and dense column, per pair of levels.
            int cats = _d.Codes.Length;
            for (int c = 0; c < cats; c++)
            {
                var codes = _d.Codes[c];
                int sOff = _catS[c], tOff = _tOff + (_catS[c] - _sOff), uOff = _catU[c];
                for (int i = 0; i < b; i++)
                {
                    int l = codes[i0 + i];
                    double wi = w[i];
                    acc[sOff + l] += wi;
                    acc[tOff + l] += wi * z[i];
                    int u = uOff + l * _pd;
                    for (int j = 0; j < _pd; j++) acc[u + j] += wx[j * Block + i];
                }
                for (int c2 = c + 1; c2 < cats; c2++)
                {
                    var codes2 = _d.Codes[c2];
                    int vOff = _pairV[c, c2], l2n = _d.LevelCounts[c2];
                    for (int i = 0; i < b; i++) acc[vOff + codes[i0 + i] * l2n + codes2[i0 + i]] += w[i];
                }
            }
        }

        // R's binomial family on a block: μ, working weight and response, deviance; count fitted 0/1.
        private void Family(Span<double> eta, Span<double> t, ReadOnlySpan<double> y, Span<double> w, Span<double> z, Span<double> q, double[] acc)
        {
            int b = eta.Length;
            TensorPrimitives.Exp(eta, t);
            long extreme = 0;
            for (int i = 0; i < b; i++)
            {
                double e = eta[i];
                double ti = e < -Thresh ? Eps : e > Thresh ? 1 / Eps : t[i];
                double m = ti / (1 + ti);
                double d = (e > Thresh || e < -Thresh) ? Eps : m / (1 + ti);
                double v = m * (1 - m);
                if (m < 1e-10 || m > 1 - 1e-10) extreme++;
                if (_mode == Mode.Meat)
                {
                    double r = (y[i] - m) * d / v;
                    w[i] = r * r;
                    z[i] = 0;
                }
                else
                {
                    w[i] = d * d / v;
                    z[i] = e + (y[i] - m) / d;
                }
                q[i] = y[i] == 1 ? m : 1 - m;
            }
            TensorPrimitives.Log(q, q);
            acc[_devOff] += -2 * TensorPrimitives.Sum(q);
            acc[_extOff] += extreme;
        }

        // acc[j, k] += Σ_i wx_j[i] · x_k[i] for k ≥ j, four columns k at a time (register blocking).
        private void Syrk(ReadOnlySpan<double> wxj, int j, int i0, int b, double[] acc)
        {
            int k = j;
            for (; k + 3 < _pd; k += 4)
            {
                var (s0, s1, s2, s3) = Dot4(wxj, _d.Dense[k].AsSpan(i0, b), _d.Dense[k + 1].AsSpan(i0, b), _d.Dense[k + 2].AsSpan(i0, b), _d.Dense[k + 3].AsSpan(i0, b));
                acc[j * _pd + k] += s0;
                acc[j * _pd + k + 1] += s1;
                acc[j * _pd + k + 2] += s2;
                acc[j * _pd + k + 3] += s3;
            }
            for (; k < _pd; k++) acc[j * _pd + k] += TensorPrimitives.Dot(wxj, _d.Dense[k].AsSpan(i0, b));
        }

        /// <summary>Assembles X'WX over the parameters <paramref name="kept"/> into a new p × p array (and discards X'Wz).</summary>
        public double[] Assemble(int[] kept, out double[] rhs)
        {
            var a = new double[kept.Length * kept.Length];
            rhs = new double[kept.Length];
            AssembleInto(kept, a, rhs);
            return a;
        }

        public void AssembleInto(int[] kept, double[] a, double[] rhs)
        {
            int p = kept.Length;
            var par = _d.Parameters;
            for (int x = 0; x < p; x++)
            {
                var (dx, cx, lx) = par[kept[x]];
                rhs[x] = dx >= 0 ? _total[_rOff + dx] : _total[_tOff + (_catS[cx] - _sOff) + lx];
                for (int yv = x; yv < p; yv++)
                {
                    var (dy, cy, ly) = par[kept[yv]];
                    double v;
                    if (dx >= 0 && dy >= 0) v = _total[Math.Min(dx, dy) * _pd + Math.Max(dx, dy)];
                    else if (dx >= 0) v = _total[_catU[cy] + ly * _pd + dx];
                    else if (dy >= 0) v = _total[_catU[cx] + lx * _pd + dy];
                    else if (cx == cy) v = lx == ly ? _total[_catS[cx] + lx] : 0;
                    else
                    {
                        var (c1, l1, c2, l2) = cx < cy ? (cx, lx, cy, ly) : (cy, ly, cx, lx);
                        v = _total[_pairV[c1, c2] + l1 * _d.LevelCounts[c2] + l2];
                    }
                    a[x * p + yv] = v;
                    a[yv * p + x] = v;
                }
            }
        }
    }

    /// <summary>Four dot products sharing one operand: Vector512 or Vector256 with FMA, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) Dot4(ReadOnlySpan<double> a, ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3)
    {
        int n = a.Length, i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double r0 = ref MemoryMarshal.GetReference(b0);
        ref double r1 = ref MemoryMarshal.GetReference(b1);
        ref double r2 = ref MemoryMarshal.GetReference(b2);
        ref double r3 = ref MemoryMarshal.GetReference(b3);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var va = Vector512.LoadUnsafe(ref ra, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref r0, (nuint)i), a0);
                a1 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref r1, (nuint)i), a1);
                a2 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref r2, (nuint)i), a2);
                a3 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref r3, (nuint)i), a3);
            }
            s0 = Vector512.Sum(a0); s1 = Vector512.Sum(a1); s2 = Vector512.Sum(a2); s3 = Vector512.Sum(a3);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                a0 = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref r0, (nuint)i), a0);
                a1 = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref r1, (nuint)i), a1);
                a2 = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref r2, (nuint)i), a2);
                a3 = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref r3, (nuint)i), a3);
            }
            s0 = Vector256.Sum(a0); s1 = Vector256.Sum(a1); s2 = Vector256.Sum(a2); s3 = Vector256.Sum(a3);
        }
        for (; i < n; i++)
        {
            double va = a[i];
            s0 += va * b0[i]; s1 += va * b1[i]; s2 += va * b2[i]; s3 += va * b3[i];
        }
        return (s0, s1, s2, s3);
    }
}

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
        try
        {
            return FitFast(design, y, options, names);
        }
        catch (NotPositiveDefiniteException)
        {
            // The Gram-matrix aliasing test squares the condition number; a design near the edge of singular can pass
            // it and still leave a singular information matrix. The reference path decides aliasing from the columns.
            var result = LogisticRegression.FitReferenceOf(design, y, options);
            var warnings = result.Warnings.Append("near-singular design: fitted by the reference path, which detects aliasing from the columns themselves").ToArray();
            return LogisticRegression.WithWarnings(result, warnings);
        }
    }

    /// <summary>The information matrix of the kept columns is not positive definite.</summary>
    private sealed class NotPositiveDefiniteException() : Exception("The information matrix is not positive definite.");

    private static LogisticResult FitFast(FastDesign design, IReadOnlyList<double> y, LogisticOptions options, IReadOnlyList<string> names)
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
        if (!Solve(info, rhs, beta, p)) throw new NotPositiveDefiniteException();
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
            if (!Solve(info, rhs, beta, p)) throw new NotPositiveDefiniteException();
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
            // Under separation the fitted linear predictor itself moves; along a near-null direction of an
            // ill-conditioned design the coefficients can drift while η does not, which is not separation.
            var drift = new double[design.Parameters.Length];
            for (int k = 0; k < p; k++) drift[kept[k]] = b[k] - beta[k];
            if (LogisticRegression.LinearPredictorMoves(design, drift))
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
            if (!Solve(a, e, col, p)) throw new NotPositiveDefiniteException();
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Chunk(int k)
        {
            var acc = _acc[k];
            Array.Clear(acc);
            int start = k * _chunkSize, end = Math.Min(_n, start + _chunkSize);
            for (int i0 = start; i0 < end; i0 += Block)
                BlockPass(i0, Math.Min(Block, end - i0), acc, _scratch[k]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            Syrk(wx, i0, b, acc);
            for (int j = 0; j < _pd; j++) acc[_rOff + j] += TensorPrimitives.Dot(wx.Slice(j * Block, b), z);

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
        // Vectorised with Vector<double>; the scalar tail computes the same expressions.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Family(Span<double> eta, Span<double> t, ReadOnlySpan<double> y, Span<double> w, Span<double> z, Span<double> q, double[] acc)
        {
            int b = eta.Length, i = 0;
            TensorPrimitives.Exp(eta, t);
            long extreme = 0;
            bool meat = _mode == Mode.Meat;
            if (Vector.IsHardwareAccelerated)
            {
                var one = Vector<double>.One;
                var eps = new Vector<double>(Eps);
                var inveps = new Vector<double>(1 / Eps);
                var hi = new Vector<double>(Thresh);
                var lo = new Vector<double>(-Thresh);
                var tiny = new Vector<double>(1e-10);
                var top = new Vector<double>(1 - 1e-10);
                for (; i <= b - Vector<double>.Count; i += Vector<double>.Count)
                {
                    var e = new Vector<double>(eta.Slice(i));
                    var yi = new Vector<double>(y.Slice(i));
                    var below = Vector.LessThan(e, lo);
                    var above = Vector.GreaterThan(e, hi);
                    var clamped = Vector.BitwiseOr(below, above);
                    var ti = Vector.ConditionalSelect(below, eps, Vector.ConditionalSelect(above, inveps, new Vector<double>(t.Slice(i))));
                    var opt = one + ti;
                    var m = ti / opt;
                    var d = Vector.ConditionalSelect(clamped, eps, m / opt);
                    var v = m * (one - m);
                    if (meat)
                    {
                        var r = (yi - m) * d / v;
                        (r * r).CopyTo(w.Slice(i));
                        Vector<double>.Zero.CopyTo(z.Slice(i));
                    }
                    else
                    {
                        (d * d / v).CopyTo(w.Slice(i));
                        (e + (yi - m) / d).CopyTo(z.Slice(i));
                    }
                    Vector.ConditionalSelect(Vector.Equals(yi, one), m, one - m).CopyTo(q.Slice(i));
                    extreme -= Vector.Sum(Vector.BitwiseOr(Vector.LessThan(m, tiny), Vector.GreaterThan(m, top)));
                }
            }
            for (; i < b; i++)
            {
                double e = eta[i];
                double ti = e < -Thresh ? Eps : e > Thresh ? 1 / Eps : t[i];
                double m = ti / (1 + ti);
                double d = (e > Thresh || e < -Thresh) ? Eps : m / (1 + ti);
                double v = m * (1 - m);
                if (m < 1e-10 || m > 1 - 1e-10) extreme++;
                if (meat)
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

        // acc[j, k] += Σ_i wx_j[i] · x_k[i] for k ≥ j: 4 × 4 tiles of (j, k) share their loads (register blocking);
        // the edges use 1 × 4 and 1 × 1 dot products. Entries below the diagonal of a diagonal tile are never read.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Syrk(ReadOnlySpan<double> wx, int i0, int b, double[] acc)
        {
            Span<double> tile = stackalloc double[16];
            int full = _pd / 4 * 4;
            for (int jb = 0; jb < full; jb += 4)
            {
                for (int kb = jb; kb < full; kb += 4)
                {
                    Tile4x4(wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b),
                        _d.Dense[kb].AsSpan(i0, b), _d.Dense[kb + 1].AsSpan(i0, b), _d.Dense[kb + 2].AsSpan(i0, b), _d.Dense[kb + 3].AsSpan(i0, b), tile);
                    for (int r = 0; r < 4; r++)
                        for (int c = 0; c < 4; c++) acc[(jb + r) * _pd + kb + c] += tile[r * 4 + c];
                }
                for (int j = jb; j < jb + 4; j++)
                    for (int k = full; k < _pd; k++) acc[j * _pd + k] += TensorPrimitives.Dot(wx.Slice(j * Block, b), _d.Dense[k].AsSpan(i0, b));
            }
            for (int j = full; j < _pd; j++)
                for (int k = j; k < _pd; k++) acc[j * _pd + k] += TensorPrimitives.Dot(wx.Slice(j * Block, b), _d.Dense[k].AsSpan(i0, b));
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

    /// <summary>The 16 dot products of a[0..3] with b[0..3]: Vector512 (16 accumulators) or Vector256 (two passes of 2 × 4) with FMA, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> tile)
    {
        int n = a0.Length, i = 0;
        tile.Clear();
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
            ref double rb0 = ref MemoryMarshal.GetReference(b0), rb1 = ref MemoryMarshal.GetReference(b1), rb2 = ref MemoryMarshal.GetReference(b2), rb3 = ref MemoryMarshal.GetReference(b3);
            Vector512<double> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default,
                c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                nuint u = (nuint)i;
                var x0 = Vector512.LoadUnsafe(ref rb0, u); var x1 = Vector512.LoadUnsafe(ref rb1, u);
                var x2 = Vector512.LoadUnsafe(ref rb2, u); var x3 = Vector512.LoadUnsafe(ref rb3, u);
                var w = Vector512.LoadUnsafe(ref ra0, u);
                c00 = Vector512.FusedMultiplyAdd(w, x0, c00); c01 = Vector512.FusedMultiplyAdd(w, x1, c01); c02 = Vector512.FusedMultiplyAdd(w, x2, c02); c03 = Vector512.FusedMultiplyAdd(w, x3, c03);
                w = Vector512.LoadUnsafe(ref ra1, u);
                c10 = Vector512.FusedMultiplyAdd(w, x0, c10); c11 = Vector512.FusedMultiplyAdd(w, x1, c11); c12 = Vector512.FusedMultiplyAdd(w, x2, c12); c13 = Vector512.FusedMultiplyAdd(w, x3, c13);
                w = Vector512.LoadUnsafe(ref ra2, u);
                c20 = Vector512.FusedMultiplyAdd(w, x0, c20); c21 = Vector512.FusedMultiplyAdd(w, x1, c21); c22 = Vector512.FusedMultiplyAdd(w, x2, c22); c23 = Vector512.FusedMultiplyAdd(w, x3, c23);
                w = Vector512.LoadUnsafe(ref ra3, u);
                c30 = Vector512.FusedMultiplyAdd(w, x0, c30); c31 = Vector512.FusedMultiplyAdd(w, x1, c31); c32 = Vector512.FusedMultiplyAdd(w, x2, c32); c33 = Vector512.FusedMultiplyAdd(w, x3, c33);
            }
            tile[0] = Vector512.Sum(c00); tile[1] = Vector512.Sum(c01); tile[2] = Vector512.Sum(c02); tile[3] = Vector512.Sum(c03);
            tile[4] = Vector512.Sum(c10); tile[5] = Vector512.Sum(c11); tile[6] = Vector512.Sum(c12); tile[7] = Vector512.Sum(c13);
            tile[8] = Vector512.Sum(c20); tile[9] = Vector512.Sum(c21); tile[10] = Vector512.Sum(c22); tile[11] = Vector512.Sum(c23);
            tile[12] = Vector512.Sum(c30); tile[13] = Vector512.Sum(c31); tile[14] = Vector512.Sum(c32); tile[15] = Vector512.Sum(c33);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            // Two passes of a 2 × 4 tile keep 8 accumulators and 6 operands within the 16 ymm registers.
            Tile2x4(a0, a1, b0, b1, b2, b3, tile.Slice(0, 8), out int done);
            Tile2x4(a2, a3, b0, b1, b2, b3, tile.Slice(8, 8), out _);
            i = done;
        }
        for (; i < n; i++)
        {
            double x0 = b0[i], x1 = b1[i], x2 = b2[i], x3 = b3[i];
            double w = a0[i]; tile[0] += w * x0; tile[1] += w * x1; tile[2] += w * x2; tile[3] += w * x3;
            w = a1[i]; tile[4] += w * x0; tile[5] += w * x1; tile[6] += w * x2; tile[7] += w * x3;
            w = a2[i]; tile[8] += w * x0; tile[9] += w * x1; tile[10] += w * x2; tile[11] += w * x3;
            w = a3[i]; tile[12] += w * x0; tile[13] += w * x1; tile[14] += w * x2; tile[15] += w * x3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x4(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> b0, ReadOnlySpan<double> b1,
        ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> tile, out int done)
    {
        int n = a0.Length, i = 0;
        ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1);
        ref double rb0 = ref MemoryMarshal.GetReference(b0), rb1 = ref MemoryMarshal.GetReference(b1), rb2 = ref MemoryMarshal.GetReference(b2), rb3 = ref MemoryMarshal.GetReference(b3);
        Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            nuint u = (nuint)i;
            var x0 = Vector256.LoadUnsafe(ref rb0, u); var x1 = Vector256.LoadUnsafe(ref rb1, u);
            var x2 = Vector256.LoadUnsafe(ref rb2, u); var x3 = Vector256.LoadUnsafe(ref rb3, u);
            var w = Vector256.LoadUnsafe(ref ra0, u);
            c00 = Vector256.FusedMultiplyAdd(w, x0, c00); c01 = Vector256.FusedMultiplyAdd(w, x1, c01); c02 = Vector256.FusedMultiplyAdd(w, x2, c02); c03 = Vector256.FusedMultiplyAdd(w, x3, c03);
            w = Vector256.LoadUnsafe(ref ra1, u);
            c10 = Vector256.FusedMultiplyAdd(w, x0, c10); c11 = Vector256.FusedMultiplyAdd(w, x1, c11); c12 = Vector256.FusedMultiplyAdd(w, x2, c12); c13 = Vector256.FusedMultiplyAdd(w, x3, c13);
        }
        tile[0] = Vector256.Sum(c00); tile[1] = Vector256.Sum(c01); tile[2] = Vector256.Sum(c02); tile[3] = Vector256.Sum(c03);
        tile[4] = Vector256.Sum(c10); tile[5] = Vector256.Sum(c11); tile[6] = Vector256.Sum(c12); tile[7] = Vector256.Sum(c13);
        done = i;
    }
}

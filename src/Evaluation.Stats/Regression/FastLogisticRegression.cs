using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    private const int MinChunk = 16_384;  // fewest rows per chunk (chunks are fixed by the design, never by the thread count)
    private const double Eps = 2.220446049250313e-16;
    private const double Thresh = 30;
    private static readonly double Log3 = Math.Log(3);
    private const double StartWeight = 0.1875;

    private enum Mode { Irls, Meat, Deviance }

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
        using var ws = new Workspace(design, y, options.MaxDegreeOfParallelism);
        int total = design.Parameters.Length;
        var warnings = new List<string>();

        // Iteration 1 from R's starting values μ = (y + 1/2)/2. There every working weight is μ(1 − μ) = 3/16, so
        // the first pass's X'WX is X'X up to that constant: aliasing is decided on it (a design-order Cholesky; a
        // column whose residual norm is below tol × its norm is aliased; the test is scale-free), with no separate
        // Gram pass. Each later pass evaluates the deviance of the current β and accumulates X'WX and X'Wz at it.
        double devOld = ws.Pass(Mode.Irls, null);
        var all = Enumerable.Range(0, total).ToArray();
        var start = ws.Assemble(all, out _);
        int[] kept = KeptColumns(start, total, options.AliasTolerance);
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
            ws.Pass(Mode.Deviance, full); // restore the final state (extreme count, deviance)
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
    /// <remarks>
    /// Each chunk accumulates, in its own array: the dense upper triangle of X'WX and X'Wz; per histogram of
    /// <see cref="CategoricalGroups"/> (a group's, keyed by its joint code, and a satellite's when there is one) a
    /// row of lanes holding Σw, Σwz and Σw·x_d for every dense column d; per pair of groups with a table, Σw by both
    /// joint codes; the deviance and the count of fitted 0/1. After each part is added over the chunks in chunk
    /// order, <see cref="DeriveHistogram"/> and <see cref="DeriveCross"/> marginalise the histograms and tables into
    /// the per-categorical level sums, level-by-dense sums and pair tables that <see cref="AssembleInto"/> reads.
    /// </remarks>
    private sealed class Workspace : IDisposable
    {
        private readonly FastDesign _d;
        private readonly CategoricalGroups _g;
        private readonly double[] _y;
        private readonly int _n, _pd, _chunks, _chunkSize, _threads, _size, _lanes;
        // Raw (per-chunk) layout: [0, pd²) dense X'WX, [_rOff, +pd) dense X'Wz, histograms, cross tables, deviance, extreme count.
        private readonly int _rOff, _devOff, _extOff;
        private readonly int[] _histOff;
        private readonly int[,] _crossOff;
        // Derived layout (in _total): dense X'WX and X'Wz as above, then per categorical S (Σw by level), T (Σwz by
        // level), U (Σw·x_d by level and dense column) and V (Σw by the levels of a pair of categoricals).
        private readonly int _sOff, _tOff;
        private readonly int[] _catS, _catU, _catBeta;
        private readonly int[,] _pairV;
        private readonly int _scratchSize;
        private readonly double[] _acc;     // the chunks' accumulators, _size each (rented from the shared pool)
        private readonly double[][] _scratch;                       // block scratch, one per worker (rented); its contents never reach a result
        private readonly ConcurrentStack<double[]> _free = new();   // the scratch arrays not in use
        private readonly double[] _raw;     // the pass's sums: the first _size entries (the first chunk's accumulator after the reduction)
        private readonly double[] _total;
        private readonly double[] _catBetaValues; // dense β then per-categorical β by level (0 for the reference)
        private readonly double[][] _betaJoint;   // per group, Σ of its members' β by joint code
        private readonly (int A, int B)[] _crossPairs; // the pairs of groups with a between-group table
        private readonly double[][] _marginals;   // per pair, scratch for its table's marginals
        private readonly double[][] _ownHist = [];  // with a satellite: per histogram, its group's own histogram (summed over the satellite's key)
        private readonly double[] _satHist = [];    // with a satellite: its own histogram
        private readonly double[] _satMarginal = []; // with a satellite: scratch for the marginals of a group-by-satellite table
        private readonly double[] _ones = Enumerable.Repeat(1.0, Block).ToArray();
        private double[]? _beta;
        private Mode _mode;
        private readonly int[] _usedDense;  // the dense columns whose β is not 0 in this pass, in column order
        private int _usedCount;

        /// <summary>Rows i0.. i0 + b of dense column j (a constant-one column from a block-sized buffer, which stays in cache).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ReadOnlySpan<double> Column(int j, int i0, int b) => _d.IsOne[j] ? _ones.AsSpan(0, b) : _d.Dense[j].AsSpan(i0, b);

        public Workspace(FastDesign d, IReadOnlyList<double> y, int threads)
        {
            _d = d;
            _g = d.Groups;
            _n = d.Rows;
            _y = y as double[] ?? y.ToArray();
            _pd = d.Dense.Length;
            _lanes = _pd + 2 <= 4 ? 4 : (_pd + 2 + 7) / 8 * 8; // a histogram row: one Vector256, or whole Vector512s
            _threads = threads > 0 ? threads : Environment.ProcessorCount;
            int c = d.Codes.Length, hists = _g.Histograms, cross = _g.CrossGroups;

            int off = _pd * _pd;
            _rOff = off; off += _pd;
            _histOff = new int[hists];
            for (int k = 0; k < hists; k++) { _histOff[k] = off; off += _g.HistJoint[k] * _lanes; }
            _crossOff = new int[cross, cross];
            for (int a = 0; a < cross; a++)
                for (int b = a + 1; b < cross; b++) { _crossOff[a, b] = off; off += _g.Joint[a] * _g.Joint[b]; }
            _devOff = off++;
            _extOff = off++;
            _size = off;

            off = _pd * _pd + _pd;
            _catS = new int[c];
            _catU = new int[c];
            _catBeta = new int[c];
            _sOff = off;
            for (int k = 0; k < c; k++) { _catS[k] = off; off += d.LevelCounts[k]; }
            _tOff = off;
            off += d.LevelCounts.Sum();
            for (int k = 0; k < c; k++) { _catU[k] = off; off += d.LevelCounts[k] * _pd; }
            _pairV = new int[c, c];
            for (int a = 0; a < c; a++)
                for (int b = a + 1; b < c; b++) { _pairV[a, b] = off; off += d.LevelCounts[a] * d.LevelCounts[b]; }
            _total = new double[off];

            // Chunks are fixed by the design alone (never by the thread count); a chunk has at least as many rows as
            // its accumulator has entries, so clearing and adding the accumulators stays a small part of a pass (four
            // times as many where n allows at least eight chunks).
            _chunkSize = Math.Max(Math.Max(MinChunk, (_n + 255) / 256), Math.Max(_size, Math.Min(4 * _size, _n / 8)));
            _chunkSize = (_chunkSize + Block - 1) / Block * Block;
            _chunks = Math.Max(1, (_n + _chunkSize - 1) / _chunkSize);
            int betaOff = _pd;
            for (int k = 0; k < c; k++) { _catBeta[k] = betaOff; betaOff += d.LevelCounts[k]; }
            _catBetaValues = new double[betaOff];
            _usedDense = new int[_pd];
            _betaJoint = _g.HistJoint.Select(j => new double[j]).ToArray();
            var pairs = new List<(int, int)>();
            for (int a = 0; a < cross; a++)
                for (int b = a + 1; b < cross; b++) pairs.Add((a, b));
            _crossPairs = pairs.ToArray();
            _marginals = pairs.Select(ab => new double[_g.Members[ab.Item2].Sum(m => d.LevelCounts[m])]).ToArray();
            if (_g.Satellite >= 0)
            {
                _ownHist = Enumerable.Range(0, hists).Select(k => new double[_g.Joint[k] * _lanes]).ToArray();
                _satHist = new double[_g.Joint[_g.Satellite] * _lanes];
                _satMarginal = new double[_g.Members[_g.Satellite].Sum(m => d.LevelCounts[m])];
            }
            // Rented rather than allocated: repeated fits (bootstraps, simulations, a service) reuse the same memory.
            // Every entry is written before it is read (accumulators are cleared at the start of each chunk).
            _scratchSize = Block * (5 + _pd) + (hists > 0 ? Block * _lanes : 0);
            _acc = ArrayPool<double>.Shared.Rent(_chunks * _size);
            _raw = _acc; // the chunks' sums are added into the first chunk's accumulator
            _scratch = Enumerable.Range(0, Math.Min(_threads, _chunks)).Select(_ => ArrayPool<double>.Shared.Rent(_scratchSize)).ToArray();
            _free.PushRange(_scratch);
        }

        public void Dispose()
        {
            ArrayPool<double>.Shared.Return(_acc);
            foreach (var a in _scratch) ArrayPool<double>.Shared.Return(a);
        }

        public long Extreme => (long)_raw[_extOff];

        /// <summary>One pass over every row at β = <paramref name="full"/> (at R's starting values when null); returns the deviance there.</summary>
        public double Pass(Mode mode, double[]? full)
        {
            _mode = mode;
            _beta = full;
            if (full is not null)
            {
                Array.Clear(_catBetaValues);
                for (int q = 0; q < _d.Parameters.Length; q++)
                {
                    var col = _d.Parameters[q];
                    if (col.Dense >= 0) _catBetaValues[col.Dense] = full[q];
                    else foreach (var l in col.Levels) _catBetaValues[_catBeta[col.Cat] + l] += full[q];
                }
                // A constant-one column's β (the intercept's) joins the first histogram's summed β when there is one,
                // so the linear predictor needs no sweep for it.
                _usedCount = 0;
                double folded = 0;
                for (int j = 0; j < _pd; j++)
                    if (_catBetaValues[j] != 0)
                    {
                        if (_d.IsOne[j] && _g.Histograms > 0) folded += _catBetaValues[j];
                        else _usedDense[_usedCount++] = j;
                    }
                for (int k = 0; k < _g.Histograms; k++)
                {
                    var members = _g.HistMembers[k];
                    var owns = _g.HistOwns[k];
                    var lv = _g.HistLevelOf[k];
                    var bj = _betaJoint[k];
                    for (int j = 0; j < bj.Length; j++)
                    {
                        double s = 0;
                        for (int q = 0; q < members.Length; q++)
                            if (owns[q]) s += _catBetaValues[_catBeta[members[q]] + lv[j * members.Length + q]];
                        bj[j] = k == 0 ? folded + s : s;
                    }
                }
            }
            if (_threads == 1 || _chunks == 1)
                for (int k = 0; k < _chunks; k++) Chunk(k, _scratch[0]);
            else
            {
                // Each worker takes a free scratch array for its lifetime (a new one if a replacement worker starts
                // before the one it replaces has given its array back); the scratch never affects a chunk's sums.
                Parallel.For(0, _chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads },
                    () => _free.TryPop(out var a) ? a : new double[_scratchSize],
                    (k, _, scratch) => { Chunk(k, scratch); return scratch; },
                    scratch => _free.Push(scratch));
            }
            if (mode == Mode.Deviance) Reduce(_devOff, 2); // the deviance and the count of fitted 0/1 only
            else
            {
                // Each part of the accumulator (dense, each histogram, each between-group table) adds its own chunks'
                // sums (in chunk order, so every entry is the same sum for any thread count) and derives from them
                // entries of _total that no other part writes. (Run in parallel, the parts took as long as in series:
                // about 1 ms a pass, mostly reading the other chunks' accumulators.)
                Array.Clear(_total);
                Reduce(0, _pd * _pd + _pd);
                Reduce(_devOff, 2);
                Array.Copy(_raw, _total, _pd * _pd + _pd);
                for (int k = 0; k < _g.Histograms; k++) DeriveHistogram(k);
                for (int k = 0; k < _crossPairs.Length; k++) DeriveCross(_crossPairs[k].A, _crossPairs[k].B, _marginals[k]);
            }
            return _raw[_devOff];
        }

        /// <summary>Adds the chunks' accumulators over [<paramref name="offset"/>, + <paramref name="length"/>) into the first chunk's, in chunk order.</summary>
        private void Reduce(int offset, int length)
        {
            var sum = _acc.AsSpan(offset, length);
            for (int k = 1; k < _chunks; k++) TensorPrimitives.Add(sum, _acc.AsSpan(k * _size + offset, length), sum);
        }

        /// <summary>
        /// Histogram <paramref name="k"/>'s level sums (S, T, U) and pair tables. Without a satellite it is its group's.
        /// With one, it is first summed over the satellite's key into its group's own histogram; its Σw by the group's and
        /// the satellite's keys is a table between the two; and the first histogram, summed over its group's key, is the
        /// satellite's own histogram.
        /// </summary>
        private void DeriveHistogram(int k)
        {
            int off = _histOff[k], lanes = _lanes;
            Reduce(off, _g.HistJoint[k] * lanes);
            var hist = _raw.AsSpan(off, _g.HistJoint[k] * lanes);
            if (_g.Satellite < 0)
            {
                DeriveGroup(hist, _g.Members[k], _g.LevelOf[k], _g.Joint[k]);
                return;
            }
            int s = _g.Satellite, jk = _g.Joint[k], js = _g.Joint[s];
            var own = _ownHist[k];
            Array.Clear(own);
            for (int b = 0; b < js; b++)
                TensorPrimitives.Add(own, hist.Slice(b * jk * lanes, jk * lanes), own);
            DeriveGroup(own, _g.Members[k], _g.LevelOf[k], jk);
            AddPairTables(hist, lanes, jk * lanes, _g.Members[k], _g.LevelOf[k], jk, _g.Members[s], _g.LevelOf[s], js, _satMarginal);
            if (k == 0)
            {
                var sat = _satHist;
                for (int b = 0; b < js; b++)
                {
                    var row = sat.AsSpan(b * lanes, lanes);
                    row.Clear();
                    for (int a = 0; a < jk; a++) TensorPrimitives.Add(row, hist.Slice((b * jk + a) * lanes, lanes), row);
                }
                DeriveGroup(sat, _g.Members[s], _g.LevelOf[s], js);
            }
        }

        /// <summary>Adds a group's histogram (keys × lanes) to its members' level sums S, T, U and the pair tables between its members.</summary>
        private void DeriveGroup(ReadOnlySpan<double> hist, int[] members, int[] levelOf, int keys)
        {
            var lc = _d.LevelCounts;
            int m = members.Length;
            for (int j = 0; j < keys; j++)
            {
                var h = hist.Slice(j * _lanes, _lanes);
                double w = h[0];
                for (int q = 0; q < m; q++)
                {
                    int c = members[q], l = levelOf[j * m + q];
                    _total[_catS[c] + l] += w;
                    _total[_tOff + (_catS[c] - _sOff) + l] += h[1];
                    int u = _catU[c] + l * _pd;
                    for (int dj = 0; dj < _pd; dj++) _total[u + dj] += h[2 + dj];
                    for (int q2 = q + 1; q2 < m; q2++)
                    {
                        int c2 = members[q2];
                        _total[_pairV[c, c2] + l * lc[c2] + levelOf[j * m + q2]] += w;
                    }
                }
            }
        }

        /// <summary>Marginalises the table between groups <paramref name="a"/> and <paramref name="b"/> into the pair tables of their members.</summary>
        private void DeriveCross(int a, int b, double[] marginal)
        {
            int off = _crossOff[a, b], ja = _g.Joint[a], jb = _g.Joint[b];
            Reduce(off, ja * jb);
            AddPairTables(_raw.AsSpan(off, ja * jb), jb, 1, _g.Members[a], _g.LevelOf[a], ja, _g.Members[b], _g.LevelOf[b], jb, marginal);
        }

        /// <summary>
        /// Adds a table of Σw by the joint keys of two groups (entry (j1, j2) at j1 × <paramref name="stride1"/> + j2 ×
        /// <paramref name="stride2"/>) to the pair tables between their members: each row of the table is first summed by
        /// the levels of the second group's members, then those marginals are added to the pair tables of each member of
        /// the first group.
        /// </summary>
        private void AddPairTables(ReadOnlySpan<double> table, int stride1, int stride2, int[] ma, int[] la, int ja, int[] mb, int[] lb, int jb, double[] marginal)
        {
            var lc = _d.LevelCounts;
            for (int j1 = 0; j1 < ja; j1++)
            {
                Array.Clear(marginal);
                for (int j2 = 0; j2 < jb; j2++)
                {
                    double v = table[j1 * stride1 + j2 * stride2];
                    if (v == 0) continue;
                    for (int q = 0, mo = 0; q < mb.Length; mo += lc[mb[q]], q++) marginal[mo + lb[j2 * mb.Length + q]] += v;
                }
                for (int q1 = 0; q1 < ma.Length; q1++)
                {
                    int c1 = ma[q1], l1 = la[j1 * ma.Length + q1];
                    for (int q = 0, mo = 0; q < mb.Length; mo += lc[mb[q]], q++)
                    {
                        int c2 = mb[q], v0 = _pairV[c1, c2] + l1 * lc[c2];
                        for (int l2 = 0; l2 < lc[c2]; l2++) _total[v0 + l2] += marginal[mo + l2];
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Chunk(int k, double[] scratchArray)
        {
            var acc = _acc.AsSpan(k * _size, _size);
            acc.Clear();
            var scratch = scratchArray.AsSpan(0, _scratchSize);
            int start = k * _chunkSize, end = Math.Min(_n, start + _chunkSize);
            for (int i0 = start; i0 < end; i0 += Block)
                BlockPass(i0, Math.Min(Block, end - i0), Math.Min(end, i0 + 2 * Block), acc, scratch);
        }

        /// <summary>
        /// Asks for rows [i0 + b, next) of dense column j to be brought into cache while the current block computes, so
        /// that the next block's linear predictor does not wait on memory (many columns are too many streams for the
        /// hardware prefetchers). Prefetches never fault and never change a result.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private unsafe void Prefetch(int j, int from, int to)
        {
            if (!Sse.IsSupported || from >= to || _d.IsOne[j]) return;
            fixed (double* p = &_d.Dense[j][from])
            {
                int k = 0;
                for (; k < to - from; k += 8) Sse.Prefetch2(p + k);
                Sse.Prefetch2(p + (to - from - 1));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BlockPass(int i0, int b, int next, Span<double> acc, Span<double> s)
        {
            var eta = s.Slice(0, b);
            var t = s.Slice(Block, b);
            var w = s.Slice(2 * Block, b);
            var wz = s.Slice(3 * Block, b);
            var q = s.Slice(4 * Block, b);
            var y = _y.AsSpan(i0, b);

            if (_beta is null)
            {
                // R's start: μ = (y + ½)/2 is 3/4 or 1/4, so η = ±log 3, every weight is μ(1 − μ) = 3/16,
                // w·z = w·η + (y − μ) = ±(3/16·log 3 + 1/4), and each row's deviance is −2 log(3/4).
                double wz1 = StartWeight * Log3 + 0.25;
                w.Fill(StartWeight);
                for (int i = 0; i < b; i++) wz[i] = y[i] == 1 ? wz1 : -wz1;
                acc[_devOff] += -2 * b * Math.Log(0.75);
            }
            else
            {
                // η = Xβ: dense columns vectorised, each categorical group by one lookup of its members' summed β.
                LinearPredictor(i0, b, eta);
                Family(eta, t, y, w, wz, q, acc);
                if (_mode == Mode.Deviance) return;
            }

            // X'WX (upper triangle) and X'Wz for the dense columns, with W folded into one operand (w·x is written and
            // x'wz summed in the same read of x).
            var wx = s.Slice(5 * Block, _pd * Block);
            // With AVX-512 the diagonal tiles weight their own four columns (see Syrk); the rest are weighted here.
            int weighted = Vector512.IsHardwareAccelerated && b >= Vector512<double>.Count ? _pd / 4 * 4 : 0;
            for (int j = weighted; j < _pd; j++) acc[_rOff + j] += WeightColumn(w, wz, Column(j, i0, b), wx.Slice(j * Block, b));
            Syrk(w, wz, wx, weighted > 0, i0, b, next, acc);
            if (_g.Histograms > 0) Categorical(i0, b, w, wz, wx, s.Slice((5 + _pd) * Block), acc);
        }

        /// <summary>
        /// η of a block: the dense columns by FMA (four columns per sweep over η, in column order, so each row's sum is
        /// the same chain of FMAs as one column at a time), then each categorical group by one lookup of its members'
        /// summed β (up to four groups per sweep).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void LinearPredictor(int i0, int b, Span<double> eta)
        {
            bool first = true;
            ref double re = ref MemoryMarshal.GetReference(eta);
            var used = _usedDense;
            int nu = _usedCount, k = 0;
            if (Vector256.IsHardwareAccelerated && b >= 8)
            {
                int vb8 = b / 8 * 8;
                for (; k + 3 < nu; k += 4)
                {
                    int j0 = used[k], j1 = used[k + 1], j2 = used[k + 2], j3 = used[k + 3];
                    ref double x0 = ref MemoryMarshal.GetReference(Column(j0, i0, b)), x1 = ref MemoryMarshal.GetReference(Column(j1, i0, b));
                    ref double x2 = ref MemoryMarshal.GetReference(Column(j2, i0, b)), x3 = ref MemoryMarshal.GetReference(Column(j3, i0, b));
                    double s0 = _catBetaValues[j0], s1 = _catBetaValues[j1], s2 = _catBetaValues[j2], s3 = _catBetaValues[j3];
                    Vector512<double> v0 = Vector512.Create(s0), v1 = Vector512.Create(s1), v2 = Vector512.Create(s2), v3 = Vector512.Create(s3);
                    if (Vector512.IsHardwareAccelerated)
                        for (int i = 0; i < vb8; i += 8)
                        {
                            nuint u = (nuint)i;
                            var e = first ? Vector512.LoadUnsafe(ref x0, u) * v0 : Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, u), v0, Vector512.LoadUnsafe(ref re, u));
                            e = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x1, u), v1, e);
                            e = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x2, u), v2, e);
                            Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x3, u), v3, e).StoreUnsafe(ref re, u);
                        }
                    else
                        for (int i = 0; i < vb8; i += 4)
                        {
                            nuint u = (nuint)i;
                            var e = first ? Vector256.LoadUnsafe(ref x0, u) * v0.GetLower() : Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, u), v0.GetLower(), Vector256.LoadUnsafe(ref re, u));
                            e = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, u), v1.GetLower(), e);
                            e = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x2, u), v2.GetLower(), e);
                            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x3, u), v3.GetLower(), e).StoreUnsafe(ref re, u);
                        }
                    for (int i = vb8; i < b; i++)
                    {
                        double e = first ? Unsafe.Add(ref x0, i) * s0 : Math.FusedMultiplyAdd(Unsafe.Add(ref x0, i), s0, eta[i]);
                        e = Math.FusedMultiplyAdd(Unsafe.Add(ref x1, i), s1, e);
                        e = Math.FusedMultiplyAdd(Unsafe.Add(ref x2, i), s2, e);
                        eta[i] = Math.FusedMultiplyAdd(Unsafe.Add(ref x3, i), s3, e);
                    }
                    first = false;
                }
            }
            for (; k < nu; k++)
            {
                int j = used[k];
                double bj = _catBetaValues[j];
                ref double rx = ref MemoryMarshal.GetReference(Column(j, i0, b));
                int i = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    var vb = Vector512.Create(bj);
                    if (first)
                        for (; i <= b - 8; i += 8) (Vector512.LoadUnsafe(ref rx, (nuint)i) * vb).StoreUnsafe(ref re, (nuint)i);
                    else
                        for (; i <= b - 8; i += 8)
                            Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rx, (nuint)i), vb, Vector512.LoadUnsafe(ref re, (nuint)i)).StoreUnsafe(ref re, (nuint)i);
                }
                if (first) for (; i < b; i++) eta[i] = Unsafe.Add(ref rx, i) * bj;
                else for (; i < b; i++) eta[i] = Math.FusedMultiplyAdd(Unsafe.Add(ref rx, i), bj, eta[i]);
                first = false;
            }
            if (first) eta.Clear();
            int g = 0;
            for (; g + 3 < _g.Histograms; g += 4)
            {
                ref ushort c1 = ref _g.HistCodes[g][i0], c2 = ref _g.HistCodes[g + 1][i0], c3 = ref _g.HistCodes[g + 2][i0], c4 = ref _g.HistCodes[g + 3][i0];
                ref double b1 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g]);
                ref double b2 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 1]);
                ref double b3 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 2]);
                ref double b4 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 3]);
                for (int i = 0; i < b; i++)
                    Unsafe.Add(ref re, i) += (Unsafe.Add(ref b1, Unsafe.Add(ref c1, i)) + Unsafe.Add(ref b2, Unsafe.Add(ref c2, i)))
                                             + (Unsafe.Add(ref b3, Unsafe.Add(ref c3, i)) + Unsafe.Add(ref b4, Unsafe.Add(ref c4, i)));
            }
            if (_g.Histograms - g == 3)
            {
                ref ushort c1 = ref _g.HistCodes[g][i0], c2 = ref _g.HistCodes[g + 1][i0], c3 = ref _g.HistCodes[g + 2][i0];
                ref double b1 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g]);
                ref double b2 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 1]);
                ref double b3 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 2]);
                for (int i = 0; i < b; i++)
                    Unsafe.Add(ref re, i) += (Unsafe.Add(ref b1, Unsafe.Add(ref c1, i)) + Unsafe.Add(ref b2, Unsafe.Add(ref c2, i))) + Unsafe.Add(ref b3, Unsafe.Add(ref c3, i));
                return;
            }
            for (; g + 1 < _g.Histograms; g += 2)
            {
                ref ushort c1 = ref _g.HistCodes[g][i0];
                ref ushort c2 = ref _g.HistCodes[g + 1][i0];
                ref double b1 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g]);
                ref double b2 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g + 1]);
                for (int i = 0; i < b; i++)
                    Unsafe.Add(ref re, i) += Unsafe.Add(ref b1, Unsafe.Add(ref c1, i)) + Unsafe.Add(ref b2, Unsafe.Add(ref c2, i));
            }
            if (g < _g.Histograms)
            {
                ref ushort c1 = ref _g.HistCodes[g][i0];
                ref double b1 = ref MemoryMarshal.GetArrayDataReference(_betaJoint[g]);
                for (int i = 0; i < b; i++) Unsafe.Add(ref re, i) += Unsafe.Add(ref b1, Unsafe.Add(ref c1, i));
            }
        }

        // Categorical blocks: each row's lanes (w, wz, w·x_d) are added to one histogram entry per group; each pair of
        // groups adds w to one cross-table entry. With AVX-512 the lanes of 8 rows are turned from columns into rows by an
        // in-register 8 × 8 transpose; otherwise they are written row by row into scratch.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Categorical(int i0, int b, ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> wx, Span<double> rows, Span<double> acc)
        {
            int lanes = _lanes, i = 0;
            if (lanes == 4 && Avx.IsSupported) i = Histograms4(i0, b, w, wz, wx, acc);
            else if (lanes % 8 == 0 && Avx512F.IsSupported) i = HistogramsAvx512(i0, b, w, wz, wx, acc);
            if (i < b)
            {
                for (int r = i; r < b; r++)
                {
                    rows[r * lanes] = w[r];
                    rows[r * lanes + 1] = wz[r];
                    for (int v = _pd + 2; v < lanes; v++) rows[r * lanes + v] = 0;
                }
                for (int j = 0; j < _pd; j++)
                {
                    var col = wx.Slice(j * Block, b);
                    for (int r = i; r < b; r++) rows[r * lanes + 2 + j] = col[r];
                }
                for (int g = 0; g < _g.Histograms; g++)
                {
                    var codes = _g.HistCodes[g].AsSpan(i0, b);
                    var hist = acc.Slice(_histOff[g]);
                    for (int r = i; r < b; r++)
                    {
                        var h = hist.Slice(codes[r] * lanes, lanes);
                        var row = rows.Slice(r * lanes, lanes);
                        for (int v = 0; v < lanes; v++) h[v] += row[v];
                    }
                }
            }
            CrossTables(i0, b, w, acc);
        }

        /// <summary>
        /// Adds each row's weight to one entry of every between-group table: with three or four groups all tables row by
        /// row (each row's codes and weight read once), otherwise one pair of groups at a time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CrossTables(int i0, int b, ReadOnlySpan<double> w, Span<double> acc)
        {
            ref double rw = ref MemoryMarshal.GetReference(w);
            if (_g.CrossGroups == 3)
            {
                ref ushort c0 = ref _g.Codes[0][i0], c1 = ref _g.Codes[1][i0], c2 = ref _g.Codes[2][i0];
                ref double t01 = ref acc[_crossOff[0, 1]], t02 = ref acc[_crossOff[0, 2]], t12 = ref acc[_crossOff[1, 2]];
                int j1 = _g.Joint[1], j2 = _g.Joint[2];
                for (int r = 0; r < b; r++)
                {
                    double wr = Unsafe.Add(ref rw, r);
                    int a0 = Unsafe.Add(ref c0, r), a1 = Unsafe.Add(ref c1, r), a2 = Unsafe.Add(ref c2, r);
                    Unsafe.Add(ref t01, a0 * j1 + a1) += wr;
                    Unsafe.Add(ref t02, a0 * j2 + a2) += wr;
                    Unsafe.Add(ref t12, a1 * j2 + a2) += wr;
                }
                return;
            }
            if (_g.CrossGroups == 4)
            {
                ref ushort c0 = ref _g.Codes[0][i0], c1 = ref _g.Codes[1][i0], c2 = ref _g.Codes[2][i0], c3 = ref _g.Codes[3][i0];
                ref double t01 = ref acc[_crossOff[0, 1]], t02 = ref acc[_crossOff[0, 2]], t03 = ref acc[_crossOff[0, 3]];
                ref double t12 = ref acc[_crossOff[1, 2]], t13 = ref acc[_crossOff[1, 3]], t23 = ref acc[_crossOff[2, 3]];
                int j1 = _g.Joint[1], j2 = _g.Joint[2], j3 = _g.Joint[3];
                for (int r = 0; r < b; r++)
                {
                    double wr = Unsafe.Add(ref rw, r);
                    int a0 = Unsafe.Add(ref c0, r), a1 = Unsafe.Add(ref c1, r), a2 = Unsafe.Add(ref c2, r), a3 = Unsafe.Add(ref c3, r);
                    Unsafe.Add(ref t01, a0 * j1 + a1) += wr;
                    Unsafe.Add(ref t02, a0 * j2 + a2) += wr;
                    Unsafe.Add(ref t03, a0 * j3 + a3) += wr;
                    Unsafe.Add(ref t12, a1 * j2 + a2) += wr;
                    Unsafe.Add(ref t13, a1 * j3 + a3) += wr;
                    Unsafe.Add(ref t23, a2 * j3 + a3) += wr;
                }
                return;
            }
            for (int g1 = 0; g1 < _g.CrossGroups; g1++)
            {
                ref ushort ca = ref _g.Codes[g1][i0];
                for (int g2 = g1 + 1; g2 < _g.CrossGroups; g2++)
                {
                    ref ushort cb = ref _g.Codes[g2][i0];
                    ref double table = ref acc[_crossOff[g1, g2]];
                    int jb = _g.Joint[g2];
                    for (int r = 0; r < b; r++)
                        Unsafe.Add(ref table, Unsafe.Add(ref ca, r) * jb + Unsafe.Add(ref cb, r)) += Unsafe.Add(ref rw, r);
                }
            }
        }

        /// <summary>
        /// The histogram updates when a row has 4 lanes (w, wz and at most two dense columns, such as the intercept and
        /// one covariate once a DiD's 0/1 terms are codes), for whole groups of 4 rows by an in-register 4 × 4
        /// transpose; returns the rows done.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Histograms4(int i0, int b, ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> wx, Span<double> acc)
        {
            int groups = _g.Histograms, pd = _pd, i = 0;
            ref double a0 = ref MemoryMarshal.GetReference(acc);
            ref double rw = ref MemoryMarshal.GetReference(w), rz = ref MemoryMarshal.GetReference(wz);
            ref double rx0 = ref MemoryMarshal.GetReference(wx), rx1 = ref Unsafe.Add(ref rx0, Block);
            if (groups == 3)
            {
                // The common DiD case (three histograms once a satellite is folded in), with each histogram's codes and
                // entries addressed once per block instead of once per 4 rows.
                ref ushort c0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_g.HistCodes[0]), i0);
                ref ushort c1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_g.HistCodes[1]), i0);
                ref ushort c2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_g.HistCodes[2]), i0);
                ref double h0 = ref Unsafe.Add(ref a0, _histOff[0]), h1 = ref Unsafe.Add(ref a0, _histOff[1]), h2 = ref Unsafe.Add(ref a0, _histOff[2]);
                for (; i + 4 <= b; i += 4)
                {
                    Transpose4(ref rw, ref rz, ref rx0, ref rx1, (nuint)i, pd, out var r0, out var r1, out var r2, out var r3);
                    Add4(ref h0, ref Unsafe.Add(ref c0, i), r0, r1, r2, r3);
                    Add4(ref h1, ref Unsafe.Add(ref c1, i), r0, r1, r2, r3);
                    Add4(ref h2, ref Unsafe.Add(ref c2, i), r0, r1, r2, r3);
                }
                return i;
            }
            for (; i + 4 <= b; i += 4)
            {
                Transpose4(ref rw, ref rz, ref rx0, ref rx1, (nuint)i, pd, out var r0, out var r1, out var r2, out var r3);
                for (int g = 0; g < groups; g++)
                    Add4(ref Unsafe.Add(ref a0, _histOff[g]), ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_g.HistCodes[g]), i0 + i), r0, r1, r2, r3);
            }
            return i;
        }

        /// <summary>Rows u.. u + 3 of the lanes (w, wz, w·x_0, w·x_1; zero beyond <paramref name="pd"/> dense columns) as four row vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Transpose4(ref double rw, ref double rz, ref double rx0, ref double rx1, nuint u, int pd,
            out Vector256<double> r0, out Vector256<double> r1, out Vector256<double> r2, out Vector256<double> r3)
        {
            var v0 = Vector256.LoadUnsafe(ref rw, u);
            var v1 = Vector256.LoadUnsafe(ref rz, u);
            var v2 = pd > 0 ? Vector256.LoadUnsafe(ref rx0, u) : Vector256<double>.Zero;
            var v3 = pd > 1 ? Vector256.LoadUnsafe(ref rx1, u) : Vector256<double>.Zero;
            var t0 = Avx.UnpackLow(v0, v1);   // w0 z0 w2 z2
            var t1 = Avx.UnpackHigh(v0, v1);  // w1 z1 w3 z3
            var t2 = Avx.UnpackLow(v2, v3);
            var t3 = Avx.UnpackHigh(v2, v3);
            r0 = Avx.Permute2x128(t0, t2, 0x20);
            r1 = Avx.Permute2x128(t1, t3, 0x20);
            r2 = Avx.Permute2x128(t0, t2, 0x31);
            r3 = Avx.Permute2x128(t1, t3, 0x31);
        }

        /// <summary>Adds four row vectors to the 4-lane histogram entries of their codes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add4(ref double h, ref ushort c, Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3)
        {
            AddAt(ref h, c * 4, r0);
            AddAt(ref h, Unsafe.Add(ref c, 1) * 4, r1);
            AddAt(ref h, Unsafe.Add(ref c, 2) * 4, r2);
            AddAt(ref h, Unsafe.Add(ref c, 3) * 4, r3);
        }

        /// <summary>The histogram updates for whole groups of 8 rows by an in-register transpose; returns the rows done.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int HistogramsAvx512(int i0, int b, ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> wx, Span<double> acc)
        {
            // Butterfly stages of the 8 × 8 transpose: at distance d, vectors a and a + d exchange alternate runs of d lanes.
            var lo1 = Vector512.Create(0L, 8, 2, 10, 4, 12, 6, 14);
            var hi1 = Vector512.Create(1L, 9, 3, 11, 5, 13, 7, 15);
            var lo2 = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
            var hi2 = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
            var lo4 = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11);
            var hi4 = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
            int lanes = _lanes, groups = _g.Histograms, i = 0;
            ref double a0 = ref MemoryMarshal.GetReference(acc);
            for (; i + 8 <= b; i += 8)
            {
                for (int slab = 0; slab < lanes; slab += 8)
                {
                    var v0 = Lane(slab, i, w, wz, wx); var v1 = Lane(slab + 1, i, w, wz, wx);
                    var v2 = Lane(slab + 2, i, w, wz, wx); var v3 = Lane(slab + 3, i, w, wz, wx);
                    var v4 = Lane(slab + 4, i, w, wz, wx); var v5 = Lane(slab + 5, i, w, wz, wx);
                    var v6 = Lane(slab + 6, i, w, wz, wx); var v7 = Lane(slab + 7, i, w, wz, wx);
                    Stage(ref v0, ref v1, lo1, hi1); Stage(ref v2, ref v3, lo1, hi1); Stage(ref v4, ref v5, lo1, hi1); Stage(ref v6, ref v7, lo1, hi1);
                    Stage(ref v0, ref v2, lo2, hi2); Stage(ref v1, ref v3, lo2, hi2); Stage(ref v4, ref v6, lo2, hi2); Stage(ref v5, ref v7, lo2, hi2);
                    Stage(ref v0, ref v4, lo4, hi4); Stage(ref v1, ref v5, lo4, hi4); Stage(ref v2, ref v6, lo4, hi4); Stage(ref v3, ref v7, lo4, hi4);
                    for (int g = 0; g < groups; g++)
                    {
                        ref ushort c = ref MemoryMarshal.GetArrayDataReference(_g.HistCodes[g]);
                        c = ref Unsafe.Add(ref c, i0 + i);
                        ref double h = ref Unsafe.Add(ref a0, _histOff[g] + slab);
                        AddAt(ref h, c * lanes, v0);
                        AddAt(ref h, Unsafe.Add(ref c, 1) * lanes, v1);
                        AddAt(ref h, Unsafe.Add(ref c, 2) * lanes, v2);
                        AddAt(ref h, Unsafe.Add(ref c, 3) * lanes, v3);
                        AddAt(ref h, Unsafe.Add(ref c, 4) * lanes, v4);
                        AddAt(ref h, Unsafe.Add(ref c, 5) * lanes, v5);
                        AddAt(ref h, Unsafe.Add(ref c, 6) * lanes, v6);
                        AddAt(ref h, Unsafe.Add(ref c, 7) * lanes, v7);
                    }
                }
            }
            return i;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<double> Lane(int lane, int i, ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> wx)
        {
            if (lane == 0) return Vector512.Create(w.Slice(i, 8));
            if (lane == 1) return Vector512.Create(wz.Slice(i, 8));
            if (lane < _pd + 2) return Vector512.Create(wx.Slice((lane - 2) * Block + i, 8));
            return Vector512<double>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Stage(ref Vector512<double> a, ref Vector512<double> b, Vector512<long> lo, Vector512<long> hi)
        {
            var x = Avx512F.PermuteVar8x64x2(a, lo, b);
            b = Avx512F.PermuteVar8x64x2(a, hi, b);
            a = x;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddAt(ref double h, int offset, Vector256<double> v)
        {
            ref double t = ref Unsafe.Add(ref h, offset);
            (Vector256.LoadUnsafe(ref t) + v).StoreUnsafe(ref t);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddAt(ref double h, int offset, Vector512<double> v)
        {
            ref double t = ref Unsafe.Add(ref h, offset);
            (Vector512.LoadUnsafe(ref t) + v).StoreUnsafe(ref t);
        }

        // R's binomial family on a block: the working weight w and the product wz of weight and working response, the
        // deviance, and the count of fitted 0/1. With t = exp(η), r = 1/(1 + t) and μ = t·r, R's mu.eta is μ·r and its
        // variance μ(1 − μ) = μ·r, so w = mu.eta²/variance = μ·r and wz = w·η + (y − μ), with one reciprocal and no
        // other division. Where |η| > 30, R clamps t and mu.eta = ε; those rows take R's own expressions
        // (w = ε²/v, wz = w·η + (y − μ)·ε/v). In the sandwich's meat pass, w is the squared score residual and wz = 0.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Family(Span<double> eta, Span<double> t, ReadOnlySpan<double> y, Span<double> w, Span<double> wz, Span<double> q, Span<double> acc)
        {
            int b = eta.Length, i = 0;
            TensorPrimitives.Exp(eta, t);
            long extreme = 0;
            bool meat = _mode == Mode.Meat;
            if (Vector512.IsHardwareAccelerated)
            {
                var one = Vector512<double>.One;
                var hi = Vector512.Create(Thresh);
                var lo = Vector512.Create(-Thresh);
                var tiny = Vector512.Create(1e-10);
                var top = Vector512.Create(1 - 1e-10);
                ref double re = ref MemoryMarshal.GetReference(eta), rt = ref MemoryMarshal.GetReference(t), ry = ref MemoryMarshal.GetReference(y);
                ref double rw = ref MemoryMarshal.GetReference(w), rz = ref MemoryMarshal.GetReference(wz), rq = ref MemoryMarshal.GetReference(q);
                var count = Vector512<long>.Zero; // minus the count of fitted 0/1 per lane (a true compare is −1)
                for (; i <= b - 8; i += 8)
                {
                    nuint u = (nuint)i;
                    var e = Vector512.LoadUnsafe(ref re, u);
                    if ((Vector512.LessThan(e, lo) | Vector512.GreaterThan(e, hi)) != Vector512<double>.Zero) break; // clamped rows: scalar below
                    var yi = Vector512.LoadUnsafe(ref ry, u);
                    var ti = Vector512.LoadUnsafe(ref rt, u);
                    var r = one / (one + ti);
                    var m = ti * r;
                    var wi = m * r;
                    var res = yi - m;
                    if (meat)
                    {
                        (res * res).StoreUnsafe(ref rw, u);
                        Vector512<double>.Zero.StoreUnsafe(ref rz, u);
                    }
                    else
                    {
                        wi.StoreUnsafe(ref rw, u);
                        Vector512.FusedMultiplyAdd(wi, e, res).StoreUnsafe(ref rz, u);
                    }
                    Vector512.ConditionalSelect(Vector512.Equals(yi, one), m, r).StoreUnsafe(ref rq, u);
                    count += (Vector512.LessThan(m, tiny) | Vector512.GreaterThan(m, top)).AsInt64();
                }
                extreme = -Vector512.Sum(count);
            }
            for (; i < b; i++)
            {
                double e = eta[i];
                bool clamped = e > Thresh || e < -Thresh;
                double ti = e < -Thresh ? Eps : e > Thresh ? 1 / Eps : t[i];
                double r = 1 / (1 + ti);
                double m = ti * r;
                if (m < 1e-10 || m > 1 - 1e-10) extreme++;
                // Unclamped, mu.eta / variance = 1; clamped, mu.eta = ε and the variance is μ(1 − μ).
                double ratio = clamped ? Eps / (m * (1 - m)) : 1;
                double wi = clamped ? Eps * ratio : m * r;
                double res = (y[i] - m) * ratio;
                if (meat)
                {
                    w[i] = res * res;
                    wz[i] = 0;
                }
                else
                {
                    w[i] = wi;
                    wz[i] = wi * e + res;
                }
                q[i] = y[i] == 1 ? m : clamped ? 1 - m : r;
            }
            acc[_devOff] += -2 * SumOfLogs(q);
            acc[_extOff] += extreme;
        }

        /// <summary>
        /// Σ log q over a block, taking one logarithm per 8 rows: each vector lane multiplies 8 of the q (the fitted
        /// probability of the observed outcome) before its logarithm. Every q is at least about ε/(1 + ε) ≈ 2.2e−16 (R
        /// clamps exp(η) to [ε, 1/ε]) and at most 1, so a product of 8 stays within [1e−128, 1]: nothing underflows, and
        /// the product's rounding (7 multiplications) is of the order of the rounding of the q themselves.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static double SumOfLogs(ReadOnlySpan<double> q)
        {
            int b = q.Length, i = 0;
            double sum = 0;
            ref double r = ref MemoryMarshal.GetReference(q);
            if (Vector512.IsHardwareAccelerated)
            {
                var s = Vector512<double>.Zero;
                for (; i + 64 <= b; i += 64)
                {
                    var p = Vector512.LoadUnsafe(ref r, (nuint)i);
                    for (int k = 8; k < 64; k += 8) p *= Vector512.LoadUnsafe(ref r, (nuint)(i + k));
                    s += Vector512.Log(p);
                }
                sum = Vector512.Sum(s);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var s = Vector256<double>.Zero;
                for (; i + 32 <= b; i += 32)
                {
                    var p = Vector256.LoadUnsafe(ref r, (nuint)i);
                    for (int k = 4; k < 32; k += 4) p *= Vector256.LoadUnsafe(ref r, (nuint)(i + k));
                    s += Vector256.Log(p);
                }
                sum = Vector256.Sum(s);
            }
            for (; i < b; i++) sum += Math.Log(Unsafe.Add(ref r, i));
            return sum;
        }

        // acc[j, k] += Σ_i wx_j[i] · x_k[i] for k ≥ j: 4 × 4 tiles of (j, k) share their loads (register blocking);
        // the last columns use 4 × 1 tiles and the corner dot products. Entries below the diagonal of a diagonal tile
        // are never read. While a 4 × 4 tile runs it prefetches one dense column of the next block (one line per 8 rows).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void Syrk(ReadOnlySpan<double> w, ReadOnlySpan<double> wz, Span<double> wx, bool weightDiagonal, int i0, int b, int next, Span<double> acc)
        {
            Span<double> tile = stackalloc double[20]; // a 4 × 4 tile, then a weighted diagonal tile's four X'Wz entries
            int full = _pd / 4 * 4, pf = 0;
            for (int jb = 0; jb < full; jb += 4)
            {
                for (int kb = jb; kb < full; kb += 4)
                {
                    while (pf < _pd && (_d.IsOne[pf] || next <= i0 + b)) pf++;
                    // The column to prefetch during this tile (none when every column is done: an empty span pins to null).
                    var ahead = pf < _pd ? _d.Dense[pf].AsSpan(i0 + b, next - i0 - b) : default;
                    pf++;
                    fixed (double* pa = ahead)
                    {
                        if (kb == jb && weightDiagonal)
                        {
                            // A diagonal tile that first writes w·x of its four columns (read by every later tile of this
                            // row of tiles) and sums their X'Wz, in the same read of x.
                            WeightedTile4x4Upper(w, wz, Column(kb, i0, b), Column(kb + 1, i0, b), Column(kb + 2, i0, b), Column(kb + 3, i0, b),
                                wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b), tile, pa, ahead.Length);
                            for (int r = 0; r < 4; r++) acc[_rOff + jb + r] += tile[16 + r];
                        }
                        else if (kb == jb) // a diagonal tile: the 10 entries on and above the diagonal
                            Tile4x4Upper(wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b),
                                Column(kb, i0, b), Column(kb + 1, i0, b), Column(kb + 2, i0, b), Column(kb + 3, i0, b), tile);
                        else
                            Tile4x4(wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b),
                                Column(kb, i0, b), Column(kb + 1, i0, b), Column(kb + 2, i0, b), Column(kb + 3, i0, b), tile, pa, ahead.Length);
                    }
                    for (int r = 0; r < 4; r++)
                        for (int c = 0; c < 4; c++) acc[(jb + r) * _pd + kb + c] += tile[r * 4 + c];
                }
                int k = full;
                for (; k + 1 < _pd; k += 2)
                {
                    Tile4x2(wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b),
                        Column(k, i0, b), Column(k + 1, i0, b), tile);
                    for (int r = 0; r < 4; r++) { acc[(jb + r) * _pd + k] += tile[2 * r]; acc[(jb + r) * _pd + k + 1] += tile[2 * r + 1]; }
                }
                if (k < _pd)
                {
                    Tile4x1(wx.Slice(jb * Block, b), wx.Slice((jb + 1) * Block, b), wx.Slice((jb + 2) * Block, b), wx.Slice((jb + 3) * Block, b),
                        Column(k, i0, b), tile);
                    for (int r = 0; r < 4; r++) acc[(jb + r) * _pd + k] += tile[r];
                }
            }
            for (int j = full; j < _pd; j++)
                for (int k = j; k < _pd; k++) acc[j * _pd + k] += TensorPrimitives.Dot(wx.Slice(j * Block, b), Column(k, i0, b));
            while (pf < _pd) Prefetch(pf++, i0 + b, next);
        }

        /// <summary>Assembles X'WX over the parameters <paramref name="kept"/> into a new p × p array (and discards X'Wz).</summary>
        public double[] Assemble(int[] kept, out double[] rhs)
        {
            var a = new double[kept.Length * kept.Length];
            rhs = new double[kept.Length];
            AssembleInto(kept, a, rhs);
            return a;
        }

        /// <summary>
        /// X'WX and X'Wz over the parameters <paramref name="kept"/> from the derived sums: a categorical column is the
        /// indicator of a set of levels (one level for a dummy), so its entries are sums of the level entries over its set.
        /// </summary>
        public void AssembleInto(int[] kept, double[] a, double[] rhs)
        {
            int p = kept.Length;
            var par = _d.Parameters;
            for (int x = 0; x < p; x++)
            {
                var cx = par[kept[x]];
                rhs[x] = cx.Dense >= 0 ? _total[_rOff + cx.Dense] : SumOver(cx.Levels, _tOff + (_catS[cx.Cat] - _sOff), 1);
                for (int yv = x; yv < p; yv++)
                {
                    var cy = par[kept[yv]];
                    double v;
                    if (cx.Dense >= 0 && cy.Dense >= 0) v = _total[Math.Min(cx.Dense, cy.Dense) * _pd + Math.Max(cx.Dense, cy.Dense)];
                    else if (cx.Dense >= 0) v = SumOver(cy.Levels, _catU[cy.Cat] + cx.Dense, _pd);
                    else if (cy.Dense >= 0) v = SumOver(cx.Levels, _catU[cx.Cat] + cy.Dense, _pd);
                    else if (cx.Cat == cy.Cat)
                    {
                        v = 0;
                        foreach (var l in cx.Levels)
                            if (cy.Has[l]) v += _total[_catS[cx.Cat] + l];
                    }
                    else
                    {
                        var (c1, c2) = cx.Cat < cy.Cat ? (cx, cy) : (cy, cx);
                        int width = _d.LevelCounts[c2.Cat];
                        v = 0;
                        foreach (var l1 in c1.Levels) v += SumOver(c2.Levels, _pairV[c1.Cat, c2.Cat] + l1 * width, 1);
                    }
                    a[x * p + yv] = v;
                    a[yv * p + x] = v;
                }
            }
        }

        /// <summary>Σ over levels l of _total[offset + l × stride].</summary>
        private double SumOver(int[] levels, int offset, int stride)
        {
            double s = 0;
            foreach (var l in levels) s += _total[offset + l * stride];
            return s;
        }
    }

    /// <summary>The 16 dot products of a[0..3] with b[0..3]: Vector512 (16 accumulators) or Vector256 (two passes of 2 × 4) with FMA, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x4(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> tile, double* ahead, int aheadCount)
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
                if (i < aheadCount) Sse.Prefetch2(ahead + i); // one cache line of the next block per 8 rows
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

    /// <summary>
    /// A diagonal tile: the 10 dot products of a[r] with b[c] for c ≥ r (tile[r × 4 + c]; the entries below stay 0),
    /// each the same chain of FMAs as in <see cref="Tile4x4"/>; Vector256 (10 accumulators, 4 operands and one weight
    /// fit the 16 ymm registers), then a scalar tail. With AVX-512, <see cref="WeightedTile4x4Upper"/> takes every
    /// diagonal tile of 8 rows or more, so this one serves the AVX2 and scalar paths and shorter blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4Upper(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> tile)
    {
        int n = a0.Length, i = 0;
        tile.Clear();
        ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
        ref double rb0 = ref MemoryMarshal.GetReference(b0), rb1 = ref MemoryMarshal.GetReference(b1), rb2 = ref MemoryMarshal.GetReference(b2), rb3 = ref MemoryMarshal.GetReference(b3);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default, c11 = default, c12 = default, c13 = default,
                c22 = default, c23 = default, c33 = default;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                nuint u = (nuint)i;
                var x0 = Vector256.LoadUnsafe(ref rb0, u); var x1 = Vector256.LoadUnsafe(ref rb1, u);
                var x2 = Vector256.LoadUnsafe(ref rb2, u); var x3 = Vector256.LoadUnsafe(ref rb3, u);
                var w = Vector256.LoadUnsafe(ref ra0, u);
                c00 = Vector256.FusedMultiplyAdd(w, x0, c00); c01 = Vector256.FusedMultiplyAdd(w, x1, c01); c02 = Vector256.FusedMultiplyAdd(w, x2, c02); c03 = Vector256.FusedMultiplyAdd(w, x3, c03);
                w = Vector256.LoadUnsafe(ref ra1, u);
                c11 = Vector256.FusedMultiplyAdd(w, x1, c11); c12 = Vector256.FusedMultiplyAdd(w, x2, c12); c13 = Vector256.FusedMultiplyAdd(w, x3, c13);
                w = Vector256.LoadUnsafe(ref ra2, u);
                c22 = Vector256.FusedMultiplyAdd(w, x2, c22); c23 = Vector256.FusedMultiplyAdd(w, x3, c23);
                w = Vector256.LoadUnsafe(ref ra3, u);
                c33 = Vector256.FusedMultiplyAdd(w, x3, c33);
            }
            tile[0] = Vector256.Sum(c00); tile[1] = Vector256.Sum(c01); tile[2] = Vector256.Sum(c02); tile[3] = Vector256.Sum(c03);
            tile[5] = Vector256.Sum(c11); tile[6] = Vector256.Sum(c12); tile[7] = Vector256.Sum(c13);
            tile[10] = Vector256.Sum(c22); tile[11] = Vector256.Sum(c23); tile[15] = Vector256.Sum(c33);
        }
        for (; i < n; i++)
        {
            double x0 = b0[i], x1 = b1[i], x2 = b2[i], x3 = b3[i];
            double w = a0[i]; tile[0] += w * x0; tile[1] += w * x1; tile[2] += w * x2; tile[3] += w * x3;
            w = a1[i]; tile[5] += w * x1; tile[6] += w * x2; tile[7] += w * x3;
            w = a2[i]; tile[10] += w * x2; tile[11] += w * x3;
            w = a3[i]; tile[15] += w * x3;
        }
    }

    /// <summary>
    /// A diagonal tile that also weights its columns (AVX-512 only, n ≥ 8): writes wx_r = w·x_r, puts Σ x_r·wz (X'Wz) in
    /// tile[16 + r] and the 10 dot products of wx_r with x_c, c ≥ r, in tile[r × 4 + c] (the entries below stay 0), all
    /// in one read of the four columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WeightedTile4x4Upper(ReadOnlySpan<double> w, ReadOnlySpan<double> wz,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3,
        Span<double> a0, Span<double> a1, Span<double> a2, Span<double> a3, Span<double> tile, double* ahead, int aheadCount)
    {
        int n = b0.Length, i = 0;
        tile.Slice(0, 20).Clear();
        ref double rw = ref MemoryMarshal.GetReference(w), rz = ref MemoryMarshal.GetReference(wz);
        ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
        ref double rb0 = ref MemoryMarshal.GetReference(b0), rb1 = ref MemoryMarshal.GetReference(b1), rb2 = ref MemoryMarshal.GetReference(b2), rb3 = ref MemoryMarshal.GetReference(b3);
        Vector512<double> c00 = default, c01 = default, c02 = default, c03 = default, c11 = default, c12 = default, c13 = default,
            c22 = default, c23 = default, c33 = default, z0 = default, z1 = default, z2 = default, z3 = default;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            nuint u = (nuint)i;
            if (i < aheadCount) Sse.Prefetch2(ahead + i);
            var x0 = Vector512.LoadUnsafe(ref rb0, u); var x1 = Vector512.LoadUnsafe(ref rb1, u);
            var x2 = Vector512.LoadUnsafe(ref rb2, u); var x3 = Vector512.LoadUnsafe(ref rb3, u);
            var wi = Vector512.LoadUnsafe(ref rw, u);
            var zi = Vector512.LoadUnsafe(ref rz, u);
            var v = x0 * wi; v.StoreUnsafe(ref ra0, u); z0 = Vector512.FusedMultiplyAdd(x0, zi, z0);
            c00 = Vector512.FusedMultiplyAdd(v, x0, c00); c01 = Vector512.FusedMultiplyAdd(v, x1, c01); c02 = Vector512.FusedMultiplyAdd(v, x2, c02); c03 = Vector512.FusedMultiplyAdd(v, x3, c03);
            v = x1 * wi; v.StoreUnsafe(ref ra1, u); z1 = Vector512.FusedMultiplyAdd(x1, zi, z1);
            c11 = Vector512.FusedMultiplyAdd(v, x1, c11); c12 = Vector512.FusedMultiplyAdd(v, x2, c12); c13 = Vector512.FusedMultiplyAdd(v, x3, c13);
            v = x2 * wi; v.StoreUnsafe(ref ra2, u); z2 = Vector512.FusedMultiplyAdd(x2, zi, z2);
            c22 = Vector512.FusedMultiplyAdd(v, x2, c22); c23 = Vector512.FusedMultiplyAdd(v, x3, c23);
            v = x3 * wi; v.StoreUnsafe(ref ra3, u); z3 = Vector512.FusedMultiplyAdd(x3, zi, z3);
            c33 = Vector512.FusedMultiplyAdd(v, x3, c33);
        }
        tile[0] = Vector512.Sum(c00); tile[1] = Vector512.Sum(c01); tile[2] = Vector512.Sum(c02); tile[3] = Vector512.Sum(c03);
        tile[5] = Vector512.Sum(c11); tile[6] = Vector512.Sum(c12); tile[7] = Vector512.Sum(c13);
        tile[10] = Vector512.Sum(c22); tile[11] = Vector512.Sum(c23); tile[15] = Vector512.Sum(c33);
        tile[16] = Vector512.Sum(z0); tile[17] = Vector512.Sum(z1); tile[18] = Vector512.Sum(z2); tile[19] = Vector512.Sum(z3);
        for (; i < n; i++)
        {
            double x0 = b0[i], x1 = b1[i], x2 = b2[i], x3 = b3[i], wi = w[i], zi = wz[i];
            double v = x0 * wi; a0[i] = v; tile[16] += x0 * zi; tile[0] += v * x0; tile[1] += v * x1; tile[2] += v * x2; tile[3] += v * x3;
            v = x1 * wi; a1[i] = v; tile[17] += x1 * zi; tile[5] += v * x1; tile[6] += v * x2; tile[7] += v * x3;
            v = x2 * wi; a2[i] = v; tile[18] += x2 * zi; tile[10] += v * x2; tile[11] += v * x3;
            v = x3 * wi; a3[i] = v; tile[19] += x3 * zi; tile[15] += v * x3;
        }
    }

    /// <summary>The 8 dot products of a[0..3] with b0 and b1 (tile[2r], tile[2r + 1]): Vector512 or Vector256 with FMA, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, Span<double> tile)
    {
        int n = a0.Length, i = 0;
        tile.Slice(0, 8).Clear();
        ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
        ref double rb0 = ref MemoryMarshal.GetReference(b0), rb1 = ref MemoryMarshal.GetReference(b1);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                nuint u = (nuint)i;
                var x0 = Vector512.LoadUnsafe(ref rb0, u); var x1 = Vector512.LoadUnsafe(ref rb1, u);
                var w = Vector512.LoadUnsafe(ref ra0, u); c00 = Vector512.FusedMultiplyAdd(w, x0, c00); c01 = Vector512.FusedMultiplyAdd(w, x1, c01);
                w = Vector512.LoadUnsafe(ref ra1, u); c10 = Vector512.FusedMultiplyAdd(w, x0, c10); c11 = Vector512.FusedMultiplyAdd(w, x1, c11);
                w = Vector512.LoadUnsafe(ref ra2, u); c20 = Vector512.FusedMultiplyAdd(w, x0, c20); c21 = Vector512.FusedMultiplyAdd(w, x1, c21);
                w = Vector512.LoadUnsafe(ref ra3, u); c30 = Vector512.FusedMultiplyAdd(w, x0, c30); c31 = Vector512.FusedMultiplyAdd(w, x1, c31);
            }
            tile[0] = Vector512.Sum(c00); tile[1] = Vector512.Sum(c01); tile[2] = Vector512.Sum(c10); tile[3] = Vector512.Sum(c11);
            tile[4] = Vector512.Sum(c20); tile[5] = Vector512.Sum(c21); tile[6] = Vector512.Sum(c30); tile[7] = Vector512.Sum(c31);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                nuint u = (nuint)i;
                var x0 = Vector256.LoadUnsafe(ref rb0, u); var x1 = Vector256.LoadUnsafe(ref rb1, u);
                var w = Vector256.LoadUnsafe(ref ra0, u); c00 = Vector256.FusedMultiplyAdd(w, x0, c00); c01 = Vector256.FusedMultiplyAdd(w, x1, c01);
                w = Vector256.LoadUnsafe(ref ra1, u); c10 = Vector256.FusedMultiplyAdd(w, x0, c10); c11 = Vector256.FusedMultiplyAdd(w, x1, c11);
                w = Vector256.LoadUnsafe(ref ra2, u); c20 = Vector256.FusedMultiplyAdd(w, x0, c20); c21 = Vector256.FusedMultiplyAdd(w, x1, c21);
                w = Vector256.LoadUnsafe(ref ra3, u); c30 = Vector256.FusedMultiplyAdd(w, x0, c30); c31 = Vector256.FusedMultiplyAdd(w, x1, c31);
            }
            tile[0] = Vector256.Sum(c00); tile[1] = Vector256.Sum(c01); tile[2] = Vector256.Sum(c10); tile[3] = Vector256.Sum(c11);
            tile[4] = Vector256.Sum(c20); tile[5] = Vector256.Sum(c21); tile[6] = Vector256.Sum(c30); tile[7] = Vector256.Sum(c31);
        }
        for (; i < n; i++)
        {
            double x0 = b0[i], x1 = b1[i];
            tile[0] += a0[i] * x0; tile[1] += a0[i] * x1; tile[2] += a1[i] * x0; tile[3] += a1[i] * x1;
            tile[4] += a2[i] * x0; tile[5] += a2[i] * x1; tile[6] += a3[i] * x0; tile[7] += a3[i] * x1;
        }
    }

    /// <summary>The 4 dot products of a[0..3] with one column b: Vector512 with FMA, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, Span<double> tile)
    {
        int n = a0.Length, i = 0;
        tile.Slice(0, 4).Clear();
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
            ref double rb0 = ref MemoryMarshal.GetReference(b0);
            Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                nuint u = (nuint)i;
                var x = Vector512.LoadUnsafe(ref rb0, u);
                c0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra0, u), x, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra1, u), x, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra2, u), x, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ra3, u), x, c3);
            }
            tile[0] = Vector512.Sum(c0); tile[1] = Vector512.Sum(c1); tile[2] = Vector512.Sum(c2); tile[3] = Vector512.Sum(c3);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            ref double ra0 = ref MemoryMarshal.GetReference(a0), ra1 = ref MemoryMarshal.GetReference(a1), ra2 = ref MemoryMarshal.GetReference(a2), ra3 = ref MemoryMarshal.GetReference(a3);
            ref double rb0 = ref MemoryMarshal.GetReference(b0);
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                nuint u = (nuint)i;
                var x = Vector256.LoadUnsafe(ref rb0, u);
                c0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra0, u), x, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra1, u), x, c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra2, u), x, c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra3, u), x, c3);
            }
            tile[0] = Vector256.Sum(c0); tile[1] = Vector256.Sum(c1); tile[2] = Vector256.Sum(c2); tile[3] = Vector256.Sum(c3);
        }
        for (; i < n; i++)
        {
            double x = b0[i];
            tile[0] += a0[i] * x; tile[1] += a1[i] * x; tile[2] += a2[i] * x; tile[3] += a3[i] * x;
        }
    }

    /// <summary>Writes w·x into <paramref name="wx"/> and returns Σ x·wz (this column's entry of X'Wz), reading x once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WeightColumn(ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> x, Span<double> wx)
    {
        int n = x.Length, i = 0;
        double sum = 0;
        ref double rw = ref MemoryMarshal.GetReference(w), rwz = ref MemoryMarshal.GetReference(wz), rx = ref MemoryMarshal.GetReference(x), rwx = ref MemoryMarshal.GetReference(wx);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            Vector512<double> s0 = default, s1 = default;
            for (; i <= n - 2 * Vector512<double>.Count; i += 2 * Vector512<double>.Count)
            {
                nuint u = (nuint)i, v = u + (nuint)Vector512<double>.Count;
                var x0 = Vector512.LoadUnsafe(ref rx, u);
                var x1 = Vector512.LoadUnsafe(ref rx, v);
                (x0 * Vector512.LoadUnsafe(ref rw, u)).StoreUnsafe(ref rwx, u);
                (x1 * Vector512.LoadUnsafe(ref rw, v)).StoreUnsafe(ref rwx, v);
                s0 = Vector512.FusedMultiplyAdd(x0, Vector512.LoadUnsafe(ref rwz, u), s0);
                s1 = Vector512.FusedMultiplyAdd(x1, Vector512.LoadUnsafe(ref rwz, v), s1);
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            Vector256<double> s0 = default;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                nuint u = (nuint)i;
                var x0 = Vector256.LoadUnsafe(ref rx, u);
                (x0 * Vector256.LoadUnsafe(ref rw, u)).StoreUnsafe(ref rwx, u);
                s0 = Vector256.FusedMultiplyAdd(x0, Vector256.LoadUnsafe(ref rwz, u), s0);
            }
            sum = Vector256.Sum(s0);
        }
        for (; i < n; i++)
        {
            double xi = Unsafe.Add(ref rx, i);
            Unsafe.Add(ref rwx, i) = xi * Unsafe.Add(ref rw, i);
            sum += xi * Unsafe.Add(ref rwz, i);
        }
        return sum;
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

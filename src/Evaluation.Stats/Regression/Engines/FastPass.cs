using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Evaluation.Stats.Regression;

/// <summary>The fused pass of the fast engine: accumulators, chunking, reduction and assembly.</summary>
internal static partial class FastLogisticRegression
{
    /// <summary>Preallocated accumulators and scratch for the fused pass.</summary>
    /// <remarks>
    /// Each chunk accumulates, in its own array: the dense upper triangle of X'WX and X'Wz; per histogram of
    /// <see cref="CategoricalGroups"/> (a group's, keyed by its joint code, and a satellite's when there is one) a
    /// row of lanes holding Σw, Σwz and Σw·x_d for every dense column d; per pair of groups with a table, Σw by both
    /// joint codes; the deviance and the count of fitted 0/1. After each part is added over the chunks in chunk
    /// order, <see cref="DeriveHistogram"/> and <see cref="DeriveCross"/> marginalise the histograms and tables into
    /// the per-categorical level sums, level-by-dense sums and pair tables that <see cref="AssembleInto"/> reads.
    /// </remarks>
    private sealed partial class Workspace : IDisposable
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

        /// <summary>After the start pass: the data error of the first dense column whose Σ w·x² is not finite (see <see cref="FastDesign.ThrowIfNotFinite"/>).</summary>
        public void ThrowIfNotFinite()
        {
            for (int j = 0; j < _pd; j++)
                if (!double.IsFinite(_total[j * _pd + j])) _d.ThrowIfNotFinite(j);
        }

        /// <summary>Adds the chunks' accumulators over [<paramref name="offset"/>, + <paramref name="length"/>) into the first chunk's, in chunk order.</summary>
        private void Reduce(int offset, int length)
        {
            var sum = _acc.AsSpan(offset, length);
            for (int k = 1; k < _chunks; k++) AddTo(sum, _acc.AsSpan(k * _size + offset, length));
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
                AddTo(own, hist.Slice(b * jk * lanes, jk * lanes));
            DeriveGroup(own, _g.Members[k], _g.LevelOf[k], jk);
            AddPairTables(hist, lanes, jk * lanes, _g.Members[k], _g.LevelOf[k], jk, _g.Members[s], _g.LevelOf[s], js, _satMarginal);
            if (k == 0)
            {
                var sat = _satHist;
                for (int b = 0; b < js; b++)
                {
                    var row = sat.AsSpan(b * lanes, lanes);
                    row.Clear();
                    for (int a = 0; a < jk; a++) AddTo(row, hist.Slice((b * jk + a) * lanes, lanes));
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BlockPass(int i0, int b, int next, Span<double> acc, Span<double> s)
        {
            var eta = s.Slice(0, b);
            var t = s.Slice(Block, b);
            var w = s.Slice(2 * Block, b);
            var wz = s.Slice(3 * Block, b);
            var q = s.Slice(4 * Block, b);
            var y = _y.AsSpan(i0, b);

            if (_beta is null && Prior is not null) WeightedStart(i0, b, w, wz, acc);
            else if (_beta is null)
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
                if (Prior is null) Family(eta, t, y, w, wz, q, acc);
                else WeightedFamily(i0, eta, t, w, wz, acc);
                if (_mode == Mode.Deviance) return;
            }

            // X'WX (upper triangle) and X'Wz for the dense columns, with W folded into one operand (w·x is written and
            // x'wz summed in the same read of x).
            var wx = s.Slice(5 * Block, _pd * Block);
            // The diagonal tiles weight their own four columns (see Syrk); the rest are weighted here.
            int weighted = _pd / 4 * 4;
            for (int j = weighted; j < _pd; j++) acc[_rOff + j] += WeightColumn(w, wz, Column(j, i0, b), wx.Slice(j * Block, b));
            Syrk(w, wz, wx, i0, b, next, acc);
            if (_g.Histograms > 0) Categorical(i0, b, w, wz, wx, s.Slice((5 + _pd) * Block), acc);
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
                rhs[x] = Rhs(cx);
                for (int yv = x; yv < p; yv++)
                {
                    double v = Cross(cx, par[kept[yv]]);
                    a[x * p + yv] = v;
                    a[yv * p + x] = v;
                }
            }
        }

        /// <summary>The blocks of X'WX and X'Wz with <paramref name="absorbed"/> (dummies of one categorical) apart; see <see cref="IIrlsEngine.AssembleBlocked"/>.</summary>
        public void AssembleBlocked(int[] others, int[] absorbed, double[] a, double[] b, double[] d, double[] ra, double[] rc)
        {
            AssembleInto(others, a, ra);
            var par = _d.Parameters;
            int q = others.Length;
            for (int l = 0; l < absorbed.Length; l++)
            {
                var cl = par[absorbed[l]];
                d[l] = _total[_catS[cl.Cat] + cl.Levels[0]];
                rc[l] = Rhs(cl);
                for (int k = 0; k < q; k++) b[l * q + k] = Cross(cl, par[others[k]]);
            }
        }

        private double Rhs(DesignColumn c) => c.Dense >= 0 ? _total[_rOff + c.Dense] : SumOver(c.Levels, _tOff + (_catS[c.Cat] - _sOff), 1);

        /// <summary>The entry of X'WX between two design columns.</summary>
        private double Cross(DesignColumn cx, DesignColumn cy)
        {
            if (cx.Dense >= 0 && cy.Dense >= 0) return _total[Math.Min(cx.Dense, cy.Dense) * _pd + Math.Max(cx.Dense, cy.Dense)];
            if (cx.Dense >= 0) return SumOver(cy.Levels, _catU[cy.Cat] + cx.Dense, _pd);
            if (cy.Dense >= 0) return SumOver(cx.Levels, _catU[cx.Cat] + cy.Dense, _pd);
            double v = 0;
            if (cx.Cat == cy.Cat)
            {
                foreach (var l in cx.Levels)
                    if (cy.Has(l)) v += _total[_catS[cx.Cat] + l];
                return v;
            }
            var (c1, c2) = cx.Cat < cy.Cat ? (cx, cy) : (cy, cx);
            int width = _d.LevelCounts[c2.Cat];
            foreach (var l1 in c1.Levels) v += SumOver(c2.Levels, _pairV[c1.Cat, c2.Cat] + l1 * width, 1);
            return v;
        }

        /// <summary>Σ over levels l of _total[offset + l × stride].</summary>
        private double SumOver(int[] levels, int offset, int stride)
        {
            double s = 0;
            foreach (var l in levels) s += _total[offset + l * stride];
            return s;
        }
    }
}

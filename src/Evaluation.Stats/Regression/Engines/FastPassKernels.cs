using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Regression;

// The fast pass's per-block numeric kernels: linear predictor, binomial family, sums of logs, histogram transposes,
// the cross tables and the tile driver (Syrk).
internal static partial class FastLogisticRegression
{
    private sealed partial class Workspace
    {
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
            while (k < nu)
            {
                var args = new LinearPredictorArgs { Eta = eta, First = first };
                if (k + 3 < nu)
                {
                    int j0 = used[k], j1 = used[k + 1], j2 = used[k + 2], j3 = used[k + 3];
                    args.X0 = Column(j0, i0, b); args.X1 = Column(j1, i0, b); args.X2 = Column(j2, i0, b); args.X3 = Column(j3, i0, b);
                    (args.S0, args.S1, args.S2, args.S3) = (_catBetaValues[j0], _catBetaValues[j1], _catBetaValues[j2], _catBetaValues[j3]);
                    args.Columns = 4;
                    k += 4;
                }
                else
                {
                    int j = used[k++];
                    args.X0 = Column(j, i0, b);
                    (args.S0, args.Columns) = (_catBetaValues[j], 1);
                }
                SimdDriver.Run<LinearPredictorKernel, LinearPredictorArgs>(ref args, b);
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
            // The in-register transposes are x64's; they follow the width cap so that a capped run is 128-bit throughout.
            if (lanes == 4 && Avx.IsSupported && SimdDriver.MaxBits >= 256) i = Histograms4(i0, b, w, wz, wx, acc);
            else if (lanes % 8 == 0 && Avx512F.IsSupported && SimdDriver.MaxBits >= 512) i = HistogramsAvx512(i0, b, w, wz, wx, acc);
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

        /// <summary>
        /// R's binomial family (logit link) on a block: the working weight w and the product wz of weight and working
        /// response, the deviance, and the count of fitted 0/1, by <see cref="BinomialFamilyKernel{TLink}"/> (see
        /// <see cref="LogitOperator"/> for R's clamping where |η| &gt; 30). In the sandwich's meat pass, w is the squared
        /// score residual and wz = 0. <paramref name="t"/> takes exp(η).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Family(Span<double> eta, Span<double> t, ReadOnlySpan<double> y, Span<double> w, Span<double> wz, Span<double> q, Span<double> acc)
        {
            var args = new FamilyArgs { Eta = eta, Prepared = t, Y = y, W = w, Wz = wz, Q = q, Meat = _mode == Mode.Meat };
            BinomialFamilyKernel<LogitOperator>.Run(ref args);
            acc[_devOff] += -2 * SumOfLogs(q);
            acc[_extOff] += args.Extreme;
        }

        /// <summary>Σ log q over a block, one logarithm per 8 rows in each lane (see <see cref="SumOfLogsKernel"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static double SumOfLogs(ReadOnlySpan<double> q)
        {
            var args = new SumOfLogsArgs { Q = q };
            SimdDriver.Run<SumOfLogsKernel, SumOfLogsArgs>(ref args, q.Length);
            return args.Sum;
        }

        // acc[j, k] += Σ_i wx_j[i] · x_k[i] for k ≥ j: 4 × 4 tiles of (j, k) share their loads (register blocking; 4 × 3
        // with 16 vector registers); the last columns use 4 × 2 and 4 × 1 tiles and the corner dot products. Entries below the diagonal of a diagonal tile
        // are never read. While a 4 × 4 tile runs it prefetches one dense column of the next block (one line per 8 rows).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void Syrk(ReadOnlySpan<double> w, ReadOnlySpan<double> wz, Span<double> wx, int i0, int b, int next, Span<double> acc)
        {
            Span<double> tile = stackalloc double[20]; // a 4 × 4 tile, then a weighted diagonal tile's four X'Wz entries
            int full = _pd / 4 * 4, pf = 0;
            // With 16 vector registers a 4 × 4 tile runs as two 2 × 4 passes (8 multiply-adds per 6 loads); 4 × 3 tiles
            // keep 12 accumulators and read each operand once (12 per 7). Every entry is the same sum either way.
            bool narrow = SimdDriver.Lanes > 1 && SimdDriver.Registers < 32;
            for (int jb = 0; jb < full; jb += 4)
            {
                var a0 = wx.Slice(jb * Block, b);
                var a1 = wx.Slice((jb + 1) * Block, b);
                var a2 = wx.Slice((jb + 2) * Block, b);
                var a3 = wx.Slice((jb + 3) * Block, b);
                int k = jb;
                while (k == jb || (narrow ? k + 3 <= _pd : k + 4 <= full))
                {
                    while (pf < _pd && (_d.IsOne[pf] || next <= i0 + b)) pf++;
                    // The column to prefetch during this tile (none when every column is done: an empty span pins to null).
                    var ahead = pf < _pd ? _d.Dense[pf].AsSpan(i0 + b, next - i0 - b) : default;
                    pf++;
                    int width = 4;
                    fixed (double* pa = ahead)
                    {
                        if (k == jb)
                        {
                            // A diagonal tile that first writes w·x of its four columns (read by every later tile of this
                            // row of tiles) and sums their X'Wz, in the same read of x.
                            WeightedTile4x4Upper(w, wz, Column(k, i0, b), Column(k + 1, i0, b), Column(k + 2, i0, b), Column(k + 3, i0, b),
                                a0, a1, a2, a3, tile, pa, ahead.Length);
                            for (int r = 0; r < 4; r++) acc[_rOff + jb + r] += tile[16 + r];
                        }
                        else if (narrow)
                        {
                            Tile4x3(a0, a1, a2, a3, Column(k, i0, b), Column(k + 1, i0, b), Column(k + 2, i0, b), tile, pa, ahead.Length);
                            width = 3;
                        }
                        else
                            Tile4x4(a0, a1, a2, a3, Column(k, i0, b), Column(k + 1, i0, b), Column(k + 2, i0, b), Column(k + 3, i0, b), tile, pa, ahead.Length);
                    }
                    for (int r = 0; r < 4; r++)
                        for (int c = 0; c < width; c++) acc[(jb + r) * _pd + k + c] += tile[r * 4 + c];
                    k += width;
                }
                for (; k + 1 < _pd; k += 2)
                {
                    Tile4x2(a0, a1, a2, a3, Column(k, i0, b), Column(k + 1, i0, b), tile);
                    for (int r = 0; r < 4; r++) { acc[(jb + r) * _pd + k] += tile[2 * r]; acc[(jb + r) * _pd + k + 1] += tile[2 * r + 1]; }
                }
                if (k < _pd)
                {
                    Tile4x1(a0, a1, a2, a3, Column(k, i0, b), tile);
                    for (int r = 0; r < 4; r++) acc[(jb + r) * _pd + k] += tile[r];
                }
            }
            for (int j = full; j < _pd; j++)
                for (int k = j; k < _pd; k++) acc[j * _pd + k] += Dot(wx.Slice(j * Block, b), Column(k, i0, b));
            while (pf < _pd) Prefetch(pf++, i0 + b, next);
        }
    }
}

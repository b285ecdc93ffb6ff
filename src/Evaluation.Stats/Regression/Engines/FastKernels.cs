using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Evaluation.Stats.Regression;

// The fast engine's dense tiles and column weighting (register-blocked dot products of dense columns).
internal static partial class FastLogisticRegression
{
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

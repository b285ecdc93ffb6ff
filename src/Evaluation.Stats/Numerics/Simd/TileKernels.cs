using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>
/// The operands of a register tile of X'WX: rows a0..a3 (the weighted columns w·x_j) against columns b0..b3 (x_k), all
/// of one length; the kernel adds its dot products to <see cref="Tile"/> (row-major, 4 per row of a; the caller clears
/// it). <see cref="Ahead"/> is an optional run of <see cref="AheadCount"/> doubles (the next block of another column)
/// to prefetch while the tile runs, one cache line per 8 rows; prefetches never fault and never change a result.
/// </summary>
internal unsafe ref struct TileArgs
{
    public ReadOnlySpan<double> A0, A1, A2, A3, B0, B1, B2, B3;
    public Span<double> Tile;
    public double* Ahead;
    public int AheadCount;

    /// <summary>Prefetches the line of <paramref name="ahead"/> at row i, once per 8 rows (one 64-byte line) while i &lt; <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Line<W, V>(double* ahead, int count, int i) where W : struct, ISimdWidth<V> where V : struct
    {
        if (W.Count > 1 && Sse.IsSupported && (i & 7) == 0 && i < count) Sse.Prefetch2(ahead + i);
    }
}

/// <summary>
/// The 16 dot products of a0..a3 with b0..b3 (tile[r·4 + c]). With 32 vector registers (AVX-512, AVX-512VL, ARM64)
/// all 16 accumulators, 4 operands and a weight stay in registers; with 16 (AVX2, SSE) it runs as two
/// <see cref="Tile2x4Kernel"/> passes, which read b twice but never spill.
/// </summary>
internal readonly unsafe struct Tile4x4Kernel : ISimdKernel<TileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref TileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        if (W.Registers < 32 && W.Count > 1)
        {
            var upper = new TileArgs { A0 = t.A0, A1 = t.A1, B0 = t.B0, B1 = t.B1, B2 = t.B2, B3 = t.B3, Tile = t.Tile, Ahead = t.Ahead, AheadCount = t.AheadCount };
            var lower = new TileArgs { A0 = t.A2, A1 = t.A3, B0 = t.B0, B1 = t.B1, B2 = t.B2, B3 = t.B3, Tile = t.Tile.Slice(8) };
            Tile2x4Kernel.Invoke<W, V>(ref upper, from, to);
            return Tile2x4Kernel.Invoke<W, V>(ref lower, from, to);
        }
        ref double a0 = ref MemoryMarshal.GetReference(t.A0), a1 = ref MemoryMarshal.GetReference(t.A1), a2 = ref MemoryMarshal.GetReference(t.A2), a3 = ref MemoryMarshal.GetReference(t.A3);
        ref double b0 = ref MemoryMarshal.GetReference(t.B0), b1 = ref MemoryMarshal.GetReference(t.B1), b2 = ref MemoryMarshal.GetReference(t.B2), b3 = ref MemoryMarshal.GetReference(t.B3);
        V c00 = W.Zero, c01 = W.Zero, c02 = W.Zero, c03 = W.Zero, c10 = W.Zero, c11 = W.Zero, c12 = W.Zero, c13 = W.Zero,
            c20 = W.Zero, c21 = W.Zero, c22 = W.Zero, c23 = W.Zero, c30 = W.Zero, c31 = W.Zero, c32 = W.Zero, c33 = W.Zero;
        double* ahead = t.Ahead;
        int aheadCount = t.AheadCount;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            TileArgs.Line<W, V>(ahead, aheadCount, i);
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u), x2 = W.Load(ref b2, u), x3 = W.Load(ref b3, u);
            V w = W.Load(ref a0, u);
            c00 = W.MultiplyAdd(w, x0, c00); c01 = W.MultiplyAdd(w, x1, c01); c02 = W.MultiplyAdd(w, x2, c02); c03 = W.MultiplyAdd(w, x3, c03);
            w = W.Load(ref a1, u);
            c10 = W.MultiplyAdd(w, x0, c10); c11 = W.MultiplyAdd(w, x1, c11); c12 = W.MultiplyAdd(w, x2, c12); c13 = W.MultiplyAdd(w, x3, c13);
            w = W.Load(ref a2, u);
            c20 = W.MultiplyAdd(w, x0, c20); c21 = W.MultiplyAdd(w, x1, c21); c22 = W.MultiplyAdd(w, x2, c22); c23 = W.MultiplyAdd(w, x3, c23);
            w = W.Load(ref a3, u);
            c30 = W.MultiplyAdd(w, x0, c30); c31 = W.MultiplyAdd(w, x1, c31); c32 = W.MultiplyAdd(w, x2, c32); c33 = W.MultiplyAdd(w, x3, c33);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c02); tile[3] += W.Sum(c03);
        tile[4] += W.Sum(c10); tile[5] += W.Sum(c11); tile[6] += W.Sum(c12); tile[7] += W.Sum(c13);
        tile[8] += W.Sum(c20); tile[9] += W.Sum(c21); tile[10] += W.Sum(c22); tile[11] += W.Sum(c23);
        tile[12] += W.Sum(c30); tile[13] += W.Sum(c31); tile[14] += W.Sum(c32); tile[15] += W.Sum(c33);
        return i;
    }
}

/// <summary>The 8 dot products of a0, a1 with b0..b3 (tile[r·4 + c]): 8 accumulators, 4 operands and a weight fit 16 registers.</summary>
internal readonly unsafe struct Tile2x4Kernel : ISimdKernel<TileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref TileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double a0 = ref MemoryMarshal.GetReference(t.A0), a1 = ref MemoryMarshal.GetReference(t.A1);
        ref double b0 = ref MemoryMarshal.GetReference(t.B0), b1 = ref MemoryMarshal.GetReference(t.B1), b2 = ref MemoryMarshal.GetReference(t.B2), b3 = ref MemoryMarshal.GetReference(t.B3);
        V c00 = W.Zero, c01 = W.Zero, c02 = W.Zero, c03 = W.Zero, c10 = W.Zero, c11 = W.Zero, c12 = W.Zero, c13 = W.Zero;
        double* ahead = t.Ahead;
        int aheadCount = t.AheadCount;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            TileArgs.Line<W, V>(ahead, aheadCount, i);
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u), x2 = W.Load(ref b2, u), x3 = W.Load(ref b3, u);
            V w = W.Load(ref a0, u);
            c00 = W.MultiplyAdd(w, x0, c00); c01 = W.MultiplyAdd(w, x1, c01); c02 = W.MultiplyAdd(w, x2, c02); c03 = W.MultiplyAdd(w, x3, c03);
            w = W.Load(ref a1, u);
            c10 = W.MultiplyAdd(w, x0, c10); c11 = W.MultiplyAdd(w, x1, c11); c12 = W.MultiplyAdd(w, x2, c12); c13 = W.MultiplyAdd(w, x3, c13);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c02); tile[3] += W.Sum(c03);
        tile[4] += W.Sum(c10); tile[5] += W.Sum(c11); tile[6] += W.Sum(c12); tile[7] += W.Sum(c13);
        return i;
    }
}

/// <summary>
/// The 12 dot products of a0..a3 with b0..b2 (tile[r·4 + c], c &lt; 3): 12 accumulators, 3 operands and a weight are
/// exactly 16 registers, so a 16-register width reads 7 vectors per 12 multiply-adds (a 2 × 4 tile reads 6 per 8).
/// </summary>
internal readonly unsafe struct Tile4x3Kernel : ISimdKernel<TileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref TileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double a0 = ref MemoryMarshal.GetReference(t.A0), a1 = ref MemoryMarshal.GetReference(t.A1), a2 = ref MemoryMarshal.GetReference(t.A2), a3 = ref MemoryMarshal.GetReference(t.A3);
        ref double b0 = ref MemoryMarshal.GetReference(t.B0), b1 = ref MemoryMarshal.GetReference(t.B1), b2 = ref MemoryMarshal.GetReference(t.B2);
        V c00 = W.Zero, c01 = W.Zero, c02 = W.Zero, c10 = W.Zero, c11 = W.Zero, c12 = W.Zero,
            c20 = W.Zero, c21 = W.Zero, c22 = W.Zero, c30 = W.Zero, c31 = W.Zero, c32 = W.Zero;
        double* ahead = t.Ahead;
        int aheadCount = t.AheadCount;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            TileArgs.Line<W, V>(ahead, aheadCount, i);
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u), x2 = W.Load(ref b2, u);
            V w = W.Load(ref a0, u);
            c00 = W.MultiplyAdd(w, x0, c00); c01 = W.MultiplyAdd(w, x1, c01); c02 = W.MultiplyAdd(w, x2, c02);
            w = W.Load(ref a1, u);
            c10 = W.MultiplyAdd(w, x0, c10); c11 = W.MultiplyAdd(w, x1, c11); c12 = W.MultiplyAdd(w, x2, c12);
            w = W.Load(ref a2, u);
            c20 = W.MultiplyAdd(w, x0, c20); c21 = W.MultiplyAdd(w, x1, c21); c22 = W.MultiplyAdd(w, x2, c22);
            w = W.Load(ref a3, u);
            c30 = W.MultiplyAdd(w, x0, c30); c31 = W.MultiplyAdd(w, x1, c31); c32 = W.MultiplyAdd(w, x2, c32);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c02);
        tile[4] += W.Sum(c10); tile[5] += W.Sum(c11); tile[6] += W.Sum(c12);
        tile[8] += W.Sum(c20); tile[9] += W.Sum(c21); tile[10] += W.Sum(c22);
        tile[12] += W.Sum(c30); tile[13] += W.Sum(c31); tile[14] += W.Sum(c32);
        return i;
    }
}

/// <summary>The 8 dot products of a0..a3 with b0 and b1 (tile[2r], tile[2r + 1]).</summary>
internal readonly struct Tile4x2Kernel : ISimdKernel<TileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref TileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double a0 = ref MemoryMarshal.GetReference(t.A0), a1 = ref MemoryMarshal.GetReference(t.A1), a2 = ref MemoryMarshal.GetReference(t.A2), a3 = ref MemoryMarshal.GetReference(t.A3);
        ref double b0 = ref MemoryMarshal.GetReference(t.B0), b1 = ref MemoryMarshal.GetReference(t.B1);
        V c00 = W.Zero, c01 = W.Zero, c10 = W.Zero, c11 = W.Zero, c20 = W.Zero, c21 = W.Zero, c30 = W.Zero, c31 = W.Zero;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u);
            V w = W.Load(ref a0, u); c00 = W.MultiplyAdd(w, x0, c00); c01 = W.MultiplyAdd(w, x1, c01);
            w = W.Load(ref a1, u); c10 = W.MultiplyAdd(w, x0, c10); c11 = W.MultiplyAdd(w, x1, c11);
            w = W.Load(ref a2, u); c20 = W.MultiplyAdd(w, x0, c20); c21 = W.MultiplyAdd(w, x1, c21);
            w = W.Load(ref a3, u); c30 = W.MultiplyAdd(w, x0, c30); c31 = W.MultiplyAdd(w, x1, c31);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c10); tile[3] += W.Sum(c11);
        tile[4] += W.Sum(c20); tile[5] += W.Sum(c21); tile[6] += W.Sum(c30); tile[7] += W.Sum(c31);
        return i;
    }
}

/// <summary>The 4 dot products of a0..a3 with one column b0 (tile[r]).</summary>
internal readonly struct Tile4x1Kernel : ISimdKernel<TileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref TileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double a0 = ref MemoryMarshal.GetReference(t.A0), a1 = ref MemoryMarshal.GetReference(t.A1), a2 = ref MemoryMarshal.GetReference(t.A2), a3 = ref MemoryMarshal.GetReference(t.A3);
        ref double b0 = ref MemoryMarshal.GetReference(t.B0);
        V c0 = W.Zero, c1 = W.Zero, c2 = W.Zero, c3 = W.Zero;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V x = W.Load(ref b0, u);
            c0 = W.MultiplyAdd(W.Load(ref a0, u), x, c0);
            c1 = W.MultiplyAdd(W.Load(ref a1, u), x, c1);
            c2 = W.MultiplyAdd(W.Load(ref a2, u), x, c2);
            c3 = W.MultiplyAdd(W.Load(ref a3, u), x, c3);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c0); tile[1] += W.Sum(c1); tile[2] += W.Sum(c2); tile[3] += W.Sum(c3);
        return i;
    }
}

/// <summary>
/// The operands of a diagonal tile that also weights its four columns: writes wx_r = w·x_r into Wx0..Wx3, adds
/// Σ x_r·wz (X'Wz) to tile[16 + r] and the 10 dot products of wx_r with x_c, c ≥ r, to tile[r·4 + c], all in one read of
/// the four columns X0..X3.
/// </summary>
internal unsafe ref struct WeightedTileArgs
{
    public ReadOnlySpan<double> W, Wz, X0, X1, X2, X3;
    public Span<double> Wx0, Wx1, Wx2, Wx3, Tile;
    public double* Ahead;
    public int AheadCount;
}

/// <summary>
/// The weighting diagonal tile: 14 accumulators, 4 operands, the weight, wz and a product need 21 registers. With 32
/// (AVX-512, AVX-512VL, ARM64) it runs in one read of the columns; with 16 (AVX2, SSE, scalar) as
/// <see cref="WeightedTileTopKernel"/> (rows 0 and 1) then <see cref="WeightedTileBottomKernel"/> (rows 2 and 3), which
/// read columns 2 and 3 twice but never spill. Every accumulator sums the same products in the same order either way,
/// so the two give the same bits.
/// </summary>
internal readonly struct WeightedTile4x4UpperKernel : ISimdKernel<WeightedTileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Invoke<W, V>(ref WeightedTileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        if (W.Registers < 32)
        {
            WeightedTileTopKernel.Invoke<W, V>(ref t, from, to);
            return WeightedTileBottomKernel.Invoke<W, V>(ref t, from, to);
        }
        ref double rw = ref MemoryMarshal.GetReference(t.W), rz = ref MemoryMarshal.GetReference(t.Wz);
        ref double o0 = ref MemoryMarshal.GetReference(t.Wx0), o1 = ref MemoryMarshal.GetReference(t.Wx1), o2 = ref MemoryMarshal.GetReference(t.Wx2), o3 = ref MemoryMarshal.GetReference(t.Wx3);
        ref double b0 = ref MemoryMarshal.GetReference(t.X0), b1 = ref MemoryMarshal.GetReference(t.X1), b2 = ref MemoryMarshal.GetReference(t.X2), b3 = ref MemoryMarshal.GetReference(t.X3);
        V c00 = W.Zero, c01 = W.Zero, c02 = W.Zero, c03 = W.Zero, c11 = W.Zero, c12 = W.Zero, c13 = W.Zero, c22 = W.Zero, c23 = W.Zero, c33 = W.Zero;
        V z0 = W.Zero, z1 = W.Zero, z2 = W.Zero, z3 = W.Zero;
        double* ahead = t.Ahead;
        int aheadCount = t.AheadCount;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            TileArgs.Line<W, V>(ahead, aheadCount, i);
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u), x2 = W.Load(ref b2, u), x3 = W.Load(ref b3, u);
            V wi = W.Load(ref rw, u), zi = W.Load(ref rz, u);
            V v = W.Multiply(x0, wi); W.Store(v, ref o0, u); z0 = W.MultiplyAdd(x0, zi, z0);
            c00 = W.MultiplyAdd(v, x0, c00); c01 = W.MultiplyAdd(v, x1, c01); c02 = W.MultiplyAdd(v, x2, c02); c03 = W.MultiplyAdd(v, x3, c03);
            v = W.Multiply(x1, wi); W.Store(v, ref o1, u); z1 = W.MultiplyAdd(x1, zi, z1);
            c11 = W.MultiplyAdd(v, x1, c11); c12 = W.MultiplyAdd(v, x2, c12); c13 = W.MultiplyAdd(v, x3, c13);
            v = W.Multiply(x2, wi); W.Store(v, ref o2, u); z2 = W.MultiplyAdd(x2, zi, z2);
            c22 = W.MultiplyAdd(v, x2, c22); c23 = W.MultiplyAdd(v, x3, c23);
            v = W.Multiply(x3, wi); W.Store(v, ref o3, u); z3 = W.MultiplyAdd(x3, zi, z3);
            c33 = W.MultiplyAdd(v, x3, c33);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c02); tile[3] += W.Sum(c03);
        tile[5] += W.Sum(c11); tile[6] += W.Sum(c12); tile[7] += W.Sum(c13);
        tile[10] += W.Sum(c22); tile[11] += W.Sum(c23); tile[15] += W.Sum(c33);
        tile[16] += W.Sum(z0); tile[17] += W.Sum(z1); tile[18] += W.Sum(z2); tile[19] += W.Sum(z3);
        return i;
    }
}

/// <summary>
/// Rows 0 and 1 of a weighting diagonal tile: wx_0, wx_1, their X'Wz entries (tile[16], tile[17]) and the 7 dot products
/// of wx_0 with x_0..x_3 and wx_1 with x_1..x_3; 9 accumulators, 4 operands, the weight and a product fit 16 registers
/// (wz is read as a memory operand).
/// </summary>
internal readonly struct WeightedTileTopKernel : ISimdKernel<WeightedTileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Invoke<W, V>(ref WeightedTileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rw = ref MemoryMarshal.GetReference(t.W), rz = ref MemoryMarshal.GetReference(t.Wz);
        ref double o0 = ref MemoryMarshal.GetReference(t.Wx0), o1 = ref MemoryMarshal.GetReference(t.Wx1);
        ref double b0 = ref MemoryMarshal.GetReference(t.X0), b1 = ref MemoryMarshal.GetReference(t.X1), b2 = ref MemoryMarshal.GetReference(t.X2), b3 = ref MemoryMarshal.GetReference(t.X3);
        V c00 = W.Zero, c01 = W.Zero, c02 = W.Zero, c03 = W.Zero, c11 = W.Zero, c12 = W.Zero, c13 = W.Zero, z0 = W.Zero, z1 = W.Zero;
        double* ahead = t.Ahead;
        int aheadCount = t.AheadCount;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            TileArgs.Line<W, V>(ahead, aheadCount, i);
            V x0 = W.Load(ref b0, u), x1 = W.Load(ref b1, u), x2 = W.Load(ref b2, u), x3 = W.Load(ref b3, u);
            V wi = W.Load(ref rw, u);
            V v = W.Multiply(x0, wi); W.Store(v, ref o0, u); z0 = W.MultiplyAdd(x0, W.Load(ref rz, u), z0);
            c00 = W.MultiplyAdd(v, x0, c00); c01 = W.MultiplyAdd(v, x1, c01); c02 = W.MultiplyAdd(v, x2, c02); c03 = W.MultiplyAdd(v, x3, c03);
            v = W.Multiply(x1, wi); W.Store(v, ref o1, u); z1 = W.MultiplyAdd(x1, W.Load(ref rz, u), z1);
            c11 = W.MultiplyAdd(v, x1, c11); c12 = W.MultiplyAdd(v, x2, c12); c13 = W.MultiplyAdd(v, x3, c13);
        }
        var tile = t.Tile;
        tile[0] += W.Sum(c00); tile[1] += W.Sum(c01); tile[2] += W.Sum(c02); tile[3] += W.Sum(c03);
        tile[5] += W.Sum(c11); tile[6] += W.Sum(c12); tile[7] += W.Sum(c13);
        tile[16] += W.Sum(z0); tile[17] += W.Sum(z1);
        return i;
    }
}

/// <summary>Rows 2 and 3 of a weighting diagonal tile: wx_2, wx_3, their X'Wz entries (tile[18], tile[19]) and the 3 dot products of wx_2 with x_2, x_3 and wx_3 with x_3.</summary>
internal readonly struct WeightedTileBottomKernel : ISimdKernel<WeightedTileArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref WeightedTileArgs t, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rw = ref MemoryMarshal.GetReference(t.W), rz = ref MemoryMarshal.GetReference(t.Wz);
        ref double o2 = ref MemoryMarshal.GetReference(t.Wx2), o3 = ref MemoryMarshal.GetReference(t.Wx3);
        ref double b2 = ref MemoryMarshal.GetReference(t.X2), b3 = ref MemoryMarshal.GetReference(t.X3);
        V c22 = W.Zero, c23 = W.Zero, c33 = W.Zero, z2 = W.Zero, z3 = W.Zero;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V x2 = W.Load(ref b2, u), x3 = W.Load(ref b3, u), wi = W.Load(ref rw, u), zi = W.Load(ref rz, u);
            V v = W.Multiply(x2, wi); W.Store(v, ref o2, u); z2 = W.MultiplyAdd(x2, zi, z2);
            c22 = W.MultiplyAdd(v, x2, c22); c23 = W.MultiplyAdd(v, x3, c23);
            v = W.Multiply(x3, wi); W.Store(v, ref o3, u); z3 = W.MultiplyAdd(x3, zi, z3);
            c33 = W.MultiplyAdd(v, x3, c33);
        }
        var tile = t.Tile;
        tile[10] += W.Sum(c22); tile[11] += W.Sum(c23); tile[15] += W.Sum(c33);
        tile[18] += W.Sum(z2); tile[19] += W.Sum(z3);
        return i;
    }
}

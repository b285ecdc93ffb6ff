using System.Runtime.CompilerServices;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Regression;

// The fast engine's dense tiles and column weighting: each a call of the width-generic kernel in Numerics/Simd, which
// runs at the widest vector width the hardware executes (AVX-512, AVX2, Vector128 or scalar) and finishes the tail.
internal static partial class FastLogisticRegression
{
    /// <summary>The 16 dot products of a[0..3] with b[0..3] (tile[r × 4 + c]), prefetching <paramref name="aheadCount"/> doubles at <paramref name="ahead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x4(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> tile, double* ahead, int aheadCount)
    {
        tile.Slice(0, 16).Clear();
        var args = new TileArgs { A0 = a0, A1 = a1, A2 = a2, A3 = a3, B0 = b0, B1 = b1, B2 = b2, B3 = b3, Tile = tile, Ahead = ahead, AheadCount = aheadCount };
        SimdDriver.Run<Tile4x4Kernel, TileArgs>(ref args, a0.Length);
    }

    /// <summary>The 12 dot products of a[0..3] with b[0..2] (tile[r × 4 + c]), prefetching <paramref name="aheadCount"/> doubles at <paramref name="ahead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x3(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, Span<double> tile, double* ahead, int aheadCount)
    {
        tile.Slice(0, 16).Clear();
        var args = new TileArgs { A0 = a0, A1 = a1, A2 = a2, A3 = a3, B0 = b0, B1 = b1, B2 = b2, Tile = tile, Ahead = ahead, AheadCount = aheadCount };
        SimdDriver.Run<Tile4x3Kernel, TileArgs>(ref args, a0.Length);
    }

    /// <summary>
    /// A diagonal tile that also weights its columns: writes a_r = w·b_r, puts Σ b_r·wz (X'Wz) in tile[16 + r] and the
    /// 10 dot products of a_r with b_c, c ≥ r, in tile[r × 4 + c] (the entries below stay 0), in one read of the columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WeightedTile4x4Upper(ReadOnlySpan<double> w, ReadOnlySpan<double> wz,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3,
        Span<double> a0, Span<double> a1, Span<double> a2, Span<double> a3, Span<double> tile, double* ahead, int aheadCount)
    {
        tile.Slice(0, 20).Clear();
        var args = new WeightedTileArgs { W = w, Wz = wz, X0 = b0, X1 = b1, X2 = b2, X3 = b3, Wx0 = a0, Wx1 = a1, Wx2 = a2, Wx3 = a3, Tile = tile, Ahead = ahead, AheadCount = aheadCount };
        SimdDriver.Run<WeightedTile4x4UpperKernel, WeightedTileArgs>(ref args, b0.Length);
    }

    /// <summary>The 8 dot products of a[0..3] with b0 and b1 (tile[2r], tile[2r + 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, Span<double> tile)
    {
        tile.Slice(0, 8).Clear();
        var args = new TileArgs { A0 = a0, A1 = a1, A2 = a2, A3 = a3, B0 = b0, B1 = b1, Tile = tile };
        SimdDriver.Run<Tile4x2Kernel, TileArgs>(ref args, a0.Length);
    }

    /// <summary>The 4 dot products of a[0..3] with one column b0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0, Span<double> tile)
    {
        tile.Slice(0, 4).Clear();
        var args = new TileArgs { A0 = a0, A1 = a1, A2 = a2, A3 = a3, B0 = b0, Tile = tile };
        SimdDriver.Run<Tile4x1Kernel, TileArgs>(ref args, a0.Length);
    }

    /// <summary>Writes w·x into <paramref name="wx"/> and returns Σ x·wz (this column's entry of X'Wz), reading x once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WeightColumn(ReadOnlySpan<double> w, ReadOnlySpan<double> wz, ReadOnlySpan<double> x, Span<double> wx)
    {
        var args = new WeightColumnArgs { W = w, Wz = wz, X = x, Wx = wx };
        SimdDriver.Run<WeightColumnKernel, WeightColumnArgs>(ref args, x.Length);
        return args.Sum;
    }

    /// <summary>sum += x, element by element (in the library's own kernel: TensorPrimitives' generic loop would start at tier 0 in the first fit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTo(Span<double> sum, ReadOnlySpan<double> x)
    {
        var args = new AddArgs { X = x, Sum = sum };
        SimdDriver.Run<AddKernel, AddArgs>(ref args, sum.Length);
    }

    /// <summary>Σ a·b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var args = new DotArgs { A = a, B = b };
        SimdDriver.Run<DotKernel, DotArgs>(ref args, a.Length);
        return args.Sum;
    }
}

using System.Numerics.Tensors;

namespace Evaluation.Stats.Regression.Linear;

/// <summary>
/// The fast path's passes over columnar data: the (weighted) Gram matrix X'ΩX, cross products X'v, residuals and
/// leverages. Rows are cut into fixed segments of <see cref="SegmentRows"/> (independent of the thread count),
/// processed in parallel, each in blocks of <see cref="Block"/> rows whose columns stay in cache while every pair of
/// columns is multiplied by SIMD dot products (<see cref="TensorPrimitives"/>: Vector512, 256 or 128 as the machine
/// has). The segments' partial sums are added in segment order, so results do not depend on the number of threads.
/// </summary>
internal static class ColumnGram
{
    /// <summary>Rows per block: 512 rows × 8 bytes × 31 columns is 124 KB, within a core's L2.</summary>
    internal const int Block = 512;

    /// <summary>Rows per segment, the unit of parallel work.</summary>
    internal const int SegmentRows = 32 * Block;

    private static ParallelOptions Parallelism(int threads) => new() { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };

    private static int Segments(int n) => (n + SegmentRows - 1) / SegmentRows;

    /// <summary>X'ΩX (k × k, row-major, symmetric) of the columns, Ω = diag(<paramref name="omega"/>) or the identity.</summary>
    internal static double[] Gram(double[][] x, double[]? omega, int threads)
    {
        int k = x.Length, n = k == 0 ? 0 : x[0].Length, segments = Segments(n);
        var partial = new double[segments][];
        Parallel.For(0, segments, Parallelism(threads), s =>
        {
            var acc = new double[k * k];
            var weighted = omega is null ? null : new double[k * Block];
            int end = Math.Min(n, (s + 1) * SegmentRows);
            for (int i0 = s * SegmentRows; i0 < end; i0 += Block)
            {
                int b = Math.Min(Block, end - i0);
                for (int j = 0; j < k; j++)
                {
                    var xj = x[j].AsSpan(i0, b);
                    if (weighted is not null) TensorPrimitives.Multiply(xj, omega.AsSpan(i0, b), weighted.AsSpan(j * Block, b));
                    ReadOnlySpan<double> left = weighted is null ? xj : weighted.AsSpan(j * Block, b);
                    for (int m = j; m < k; m++) acc[j * k + m] += TensorPrimitives.Dot(left, x[m].AsSpan(i0, b));
                }
            }
            partial[s] = acc;
        });
        var g = Sum(partial, k * k);
        for (int j = 0; j < k; j++)
            for (int m = 0; m < j; m++) g[j * k + m] = g[m * k + j];
        return g;
    }

    /// <summary>X'v (length k).</summary>
    internal static double[] Cross(double[][] x, double[] v, int threads)
    {
        int k = x.Length, n = v.Length, segments = Segments(n);
        var partial = new double[segments][];
        Parallel.For(0, segments, Parallelism(threads), s =>
        {
            var acc = new double[k];
            int end = Math.Min(n, (s + 1) * SegmentRows);
            for (int i0 = s * SegmentRows; i0 < end; i0 += Block)
            {
                int b = Math.Min(Block, end - i0);
                for (int j = 0; j < k; j++) acc[j] += TensorPrimitives.Dot(x[j].AsSpan(i0, b), v.AsSpan(i0, b));
            }
            partial[s] = acc;
        });
        return Sum(partial, k);
    }

    /// <summary>y − Xβ.</summary>
    internal static double[] Residuals(double[][] x, double[] beta, IReadOnlyList<double> y, int threads)
    {
        int n = y.Count;
        var r = new double[n];
        var ya = y as double[];
        Parallel.For(0, Segments(n), Parallelism(threads), s =>
        {
            int start = s * SegmentRows, end = Math.Min(n, start + SegmentRows);
            var rs = r.AsSpan(start, end - start);
            if (ya is not null) ya.AsSpan(start, end - start).CopyTo(rs);
            else for (int i = start; i < end; i++) r[i] = y[i];
            for (int j = 0; j < x.Length; j++) TensorPrimitives.MultiplyAdd(x[j].AsSpan(start, end - start), -beta[j], rs, rs);
        });
        return r;
    }

    /// <summary>The leverages h_i = w_i x_i' B x_i (<paramref name="w"/> <c>null</c>: all 1), B k × k row-major.</summary>
    internal static double[] Leverages(double[][] x, double[] bread, double[]? w, int threads)
    {
        int k = x.Length, n = k == 0 ? 0 : x[0].Length;
        var h = new double[n];
        Parallel.For(0, Segments(n), Parallelism(threads), s =>
        {
            var t = new double[Block];
            int end = Math.Min(n, (s + 1) * SegmentRows);
            for (int i0 = s * SegmentRows; i0 < end; i0 += Block)
            {
                int b = Math.Min(Block, end - i0);
                var hs = h.AsSpan(i0, b);
                var ts = t.AsSpan(0, b);
                for (int m = 0; m < k; m++)
                {
                    ts.Clear();
                    for (int j = 0; j < k; j++) TensorPrimitives.MultiplyAdd(x[j].AsSpan(i0, b), bread[m * k + j], ts, ts); // (XB)_m
                    TensorPrimitives.MultiplyAdd(ts, x[m].AsSpan(i0, b), hs, hs);
                }
                if (w is not null) TensorPrimitives.Multiply(hs, w.AsSpan(i0, b), hs);
            }
        });
        return h;
    }

    private static double[] Sum(double[][] partial, int length)
    {
        var total = new double[length];
        foreach (var p in partial) TensorPrimitives.Add(total, p, total);
        return total;
    }
}

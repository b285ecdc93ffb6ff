using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>Column weighting: writes wx = w·x and adds Σ x·wz (the column's entry of X'Wz) to <see cref="Sum"/>, reading x once.</summary>
internal ref struct WeightColumnArgs
{
    public ReadOnlySpan<double> W, Wz, X;
    public Span<double> Wx;
    public double Sum;
}

/// <summary>
/// <see cref="WeightColumnArgs"/> at width W: two accumulators (two vectors a step), so the sum is not bound by the
/// latency of one chain of FMAs, then one vector at a time.
/// </summary>
internal readonly struct WeightColumnKernel : ISimdKernel<WeightColumnArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref WeightColumnArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rw = ref MemoryMarshal.GetReference(a.W), rz = ref MemoryMarshal.GetReference(a.Wz);
        ref double rx = ref MemoryMarshal.GetReference(a.X), ro = ref MemoryMarshal.GetReference(a.Wx);
        V s0 = W.Zero, s1 = W.Zero;
        int i = from;
        for (; i <= to - 2 * W.Count; i += 2 * W.Count)
        {
            nuint u = (nuint)i, v = u + (nuint)W.Count;
            V x0 = W.Load(ref rx, u), x1 = W.Load(ref rx, v);
            W.Store(W.Multiply(x0, W.Load(ref rw, u)), ref ro, u);
            W.Store(W.Multiply(x1, W.Load(ref rw, v)), ref ro, v);
            s0 = W.MultiplyAdd(x0, W.Load(ref rz, u), s0);
            s1 = W.MultiplyAdd(x1, W.Load(ref rz, v), s1);
        }
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V x0 = W.Load(ref rx, u);
            W.Store(W.Multiply(x0, W.Load(ref rw, u)), ref ro, u);
            s0 = W.MultiplyAdd(x0, W.Load(ref rz, u), s0);
        }
        a.Sum += W.Sum(W.Add(s0, s1));
        return i;
    }
}

/// <summary>
/// The dense part of a linear predictor, η (+)= Σ_k x_k·β_k over up to four columns per sweep: X0..X3 with S0..S3
/// (β), <see cref="Columns"/> (4, or otherwise 1) of them in use. With <see cref="First"/> η is written, otherwise added to. Each row's
/// sum is the same chain of multiply-adds in column order however many columns a sweep takes, so the result does not
/// depend on how the columns are grouped.
/// </summary>
internal ref struct LinearPredictorArgs
{
    public ReadOnlySpan<double> X0, X1, X2, X3;
    public double S0, S1, S2, S3;
    public int Columns;
    public bool First;
    public Span<double> Eta;
}

/// <summary><see cref="LinearPredictorArgs"/> at width W.</summary>
internal readonly struct LinearPredictorKernel : ISimdKernel<LinearPredictorArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref LinearPredictorArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double re = ref MemoryMarshal.GetReference(a.Eta);
        ref double x0 = ref MemoryMarshal.GetReference(a.X0);
        V v0 = W.Create(a.S0);
        int i = from;
        if (a.Columns == 4)
        {
            ref double x1 = ref MemoryMarshal.GetReference(a.X1), x2 = ref MemoryMarshal.GetReference(a.X2), x3 = ref MemoryMarshal.GetReference(a.X3);
            V v1 = W.Create(a.S1), v2 = W.Create(a.S2), v3 = W.Create(a.S3);
            if (a.First)
                for (; i <= to - W.Count; i += W.Count)
                {
                    nuint u = (nuint)i;
                    V e = W.Multiply(W.Load(ref x0, u), v0);
                    e = W.MultiplyAdd(W.Load(ref x1, u), v1, e);
                    e = W.MultiplyAdd(W.Load(ref x2, u), v2, e);
                    W.Store(W.MultiplyAdd(W.Load(ref x3, u), v3, e), ref re, u);
                }
            else
                for (; i <= to - W.Count; i += W.Count)
                {
                    nuint u = (nuint)i;
                    V e = W.MultiplyAdd(W.Load(ref x0, u), v0, W.Load(ref re, u));
                    e = W.MultiplyAdd(W.Load(ref x1, u), v1, e);
                    e = W.MultiplyAdd(W.Load(ref x2, u), v2, e);
                    W.Store(W.MultiplyAdd(W.Load(ref x3, u), v3, e), ref re, u);
                }
            return i;
        }
        // Otherwise one column, X0.
        if (a.First)
            for (; i <= to - W.Count; i += W.Count) W.Store(W.Multiply(W.Load(ref x0, (nuint)i), v0), ref re, (nuint)i);
        else
            for (; i <= to - W.Count; i += W.Count) W.Store(W.MultiplyAdd(W.Load(ref x0, (nuint)i), v0, W.Load(ref re, (nuint)i)), ref re, (nuint)i);
        return i;
    }
}

/// <summary>Σ log q, added to <see cref="Sum"/>.</summary>
internal ref struct SumOfLogsArgs
{
    public ReadOnlySpan<double> Q;
    public double Sum;
}

/// <summary>
/// Σ log q taking one logarithm per 8 values in each lane: a lane multiplies 8 of the q (the fitted probability of the
/// observed outcome) before its logarithm. Every q is at least about ε/(1 + ε) ≈ 2.2e−16 (R clamps exp(η) to
/// [ε, 1/ε]) and at most 1, so a product of 8 stays within [1e−128, 1]: nothing underflows, and the product's rounding
/// (7 multiplications) is of the order of the rounding of the q themselves. At one lane, the rows left after the
/// groups of 8 take one logarithm each.
/// </summary>
internal readonly struct SumOfLogsKernel : ISimdKernel<SumOfLogsArgs>
{
    /// <summary>Values multiplied together in a lane before one logarithm.</summary>
    public const int Group = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref SumOfLogsArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double r = ref MemoryMarshal.GetReference(a.Q);
        V s = W.Zero;
        int i = from;
        for (; i <= to - Group * W.Count; i += Group * W.Count)
        {
            V p = W.Load(ref r, (nuint)i);
            for (int k = 1; k < Group; k++) p = W.Multiply(p, W.Load(ref r, (nuint)(i + k * W.Count)));
            s = W.Add(s, W.Log(p));
        }
        double sum = W.Sum(s);
        if (W.Count == 1)
            for (; i < to; i++) sum += Math.Log(Unsafe.Add(ref r, i));
        a.Sum += sum;
        return i;
    }
}

/// <summary>Sum += X, element by element (the reduction of the chunks' accumulators).</summary>
internal ref struct AddArgs
{
    public ReadOnlySpan<double> X;
    public Span<double> Sum;
}

/// <summary><see cref="AddArgs"/> at width W.</summary>
internal readonly struct AddKernel : ISimdKernel<AddArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref AddArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rx = ref MemoryMarshal.GetReference(a.X), rs = ref MemoryMarshal.GetReference(a.Sum);
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
            W.Store(W.Add(W.Load(ref rs, (nuint)i), W.Load(ref rx, (nuint)i)), ref rs, (nuint)i);
        return i;
    }
}

/// <summary>Σ A·B, added to <see cref="Sum"/>.</summary>
internal ref struct DotArgs
{
    public ReadOnlySpan<double> A, B;
    public double Sum;
}

/// <summary><see cref="DotArgs"/> at width W: two accumulators, then one vector at a time.</summary>
internal readonly struct DotKernel : ISimdKernel<DotArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref DotArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double ra = ref MemoryMarshal.GetReference(a.A), rb = ref MemoryMarshal.GetReference(a.B);
        V s0 = W.Zero, s1 = W.Zero;
        int i = from;
        for (; i <= to - 2 * W.Count; i += 2 * W.Count)
        {
            nuint u = (nuint)i, v = u + (nuint)W.Count;
            s0 = W.MultiplyAdd(W.Load(ref ra, u), W.Load(ref rb, u), s0);
            s1 = W.MultiplyAdd(W.Load(ref ra, v), W.Load(ref rb, v), s1);
        }
        for (; i <= to - W.Count; i += W.Count)
            s0 = W.MultiplyAdd(W.Load(ref ra, (nuint)i), W.Load(ref rb, (nuint)i), s0);
        a.Sum += W.Sum(W.Add(s0, s1));
        return i;
    }
}

/// <summary>Whole-column helpers for code outside the kernels, so that a first fit does not run TensorPrimitives' or the span helpers' generic loops at tier 0.</summary>
internal static class SimdColumns
{
    /// <summary>Σ x (for 0/1 values, an exact count below 2^53 rows whatever the order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(ReadOnlySpan<double> x)
    {
        var args = new SumArgs { X = x };
        SimdDriver.Run<SumKernel, SumArgs>(ref args, x.Length);
        return args.Sum;
    }

    /// <summary>Whether every value is 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AllZeroOrOne(ReadOnlySpan<double> x)
    {
        var args = new ZeroOneArgs { X = x };
        SimdDriver.Run<ZeroOneKernel, ZeroOneArgs>(ref args, x.Length);
        return !args.Other;
    }
}

/// <summary>Σ X, added to <see cref="Sum"/>.</summary>
internal ref struct SumArgs
{
    public ReadOnlySpan<double> X;
    public double Sum;
}

/// <summary><see cref="SumArgs"/> at width W: two accumulators, then one vector at a time.</summary>
internal readonly struct SumKernel : ISimdKernel<SumArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref SumArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rx = ref MemoryMarshal.GetReference(a.X);
        V s0 = W.Zero, s1 = W.Zero;
        int i = from;
        for (; i <= to - 2 * W.Count; i += 2 * W.Count)
        {
            s0 = W.Add(s0, W.Load(ref rx, (nuint)i));
            s1 = W.Add(s1, W.Load(ref rx, (nuint)(i + W.Count)));
        }
        for (; i <= to - W.Count; i += W.Count) s0 = W.Add(s0, W.Load(ref rx, (nuint)i));
        a.Sum += W.Sum(W.Add(s0, s1));
        return i;
    }
}

/// <summary>Whether some value of X is neither 0 nor 1 (then <see cref="Other"/> is set).</summary>
internal ref struct ZeroOneArgs
{
    public ReadOnlySpan<double> X;
    public bool Other;
}

/// <summary><see cref="ZeroOneArgs"/> at width W; stops at the first vector with another value (and reports the rows done).</summary>
internal readonly struct ZeroOneKernel : ISimdKernel<ZeroOneArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref ZeroOneArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rx = ref MemoryMarshal.GetReference(a.X);
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            V x = W.Load(ref rx, (nuint)i);
            if (!W.All(W.Or(W.Equal(x, W.Zero), W.Equal(x, W.One))))
            {
                a.Other = true;
                return to;
            }
        }
        return i;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>
/// exp and log over the vector width, inlined into the kernels that call them. The BCL's <c>Vector512.Log</c> and
/// <c>TensorPrimitives.Exp</c> are generic methods of their own, which a fresh process first runs at tier 0 (where a
/// Vector512 operation is a call per lane) and compiles inside the first fit; written here, they are compiled with
/// the kernel (<c>AggressiveOptimization</c>, ahead of the fit by KernelPrecompile) and never leave it.
/// </summary>
/// <remarks>
/// The algorithms are fdlibm's (Sun, e_exp.c and e_log.c, as in musl), evaluated with the same operations in every
/// lane, so a result does not depend on the width beyond the multiply-adds being fused or not. Their error against
/// <see cref="Math.Exp"/> and <see cref="Math.Log(double)"/> is measured in <c>KernelMathTests</c> (below 1 ulp in fdlibm's
/// analysis). A vector with a lane outside the range the reduction handles (exp: |x| &gt; 708 or NaN; log: not a
/// positive normal finite number) takes <see cref="Math"/>'s value lane by lane, so the special cases (±∞, 0,
/// subnormals, NaN) are exactly the runtime's.
/// </remarks>
internal static class SimdMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000: k·Ln2Hi is exact for |k| < 2^20
    private const double Ln2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef35793c76
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
        P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

    /// <summary>1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer held in the low mantissa bits.</summary>
    private const double Shifter = 6755399441055744.0;

    /// <summary>The exp reduction takes |x| below this (e^x and 2^k stay normal numbers).</summary>
    public const double ExpLimit = 708;

    /// <summary>e^x in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<W, V>(V x) where W : struct, ISimdWidth<V> where V : struct
    {
        // x = k·ln2 + r, |r| ≤ ln2/2; k is rounded to nearest in the shifter's low bits, which also give 2^k.
        V shifted = W.Add(W.Multiply(x, W.Create(InvLn2)), W.Create(Shifter));
        V k = W.Subtract(shifted, W.Create(Shifter));
        V hi = W.Subtract(x, W.Multiply(k, W.Create(Ln2Hi)));
        V lo = W.Multiply(k, W.Create(Ln2Lo));
        V r = W.Subtract(hi, lo);
        V t = W.Multiply(r, r);
        V poly = W.MultiplyAdd(t, W.Create(P5), W.Create(P4));
        poly = W.MultiplyAdd(t, poly, W.Create(P3));
        poly = W.MultiplyAdd(t, poly, W.Create(P2));
        poly = W.MultiplyAdd(t, poly, W.Create(P1));
        V c = W.Subtract(r, W.Multiply(t, poly));
        // y = 1 − ((lo − r·c/(2 − c)) − hi) = e^r
        V y = W.Subtract(W.One, W.Subtract(W.Subtract(lo, W.Divide(W.Multiply(r, c), W.Subtract(W.Create(2), c))), hi));
        V scale = W.ShiftLeftBits(W.AddBits(shifted, 1023), 52);
        V result = W.Multiply(y, scale);
        V inside = W.LessThan(W.AndBits(x, 0x7FFF_FFFF_FFFF_FFFF), W.Create(ExpLimit)); // false for NaN
        return W.All(inside) ? result : Lanes<W, V>(x, result, inside, static v => Math.Exp(v));
    }

    /// <summary>The natural logarithm in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log<W, V>(V x) where W : struct, ISimdWidth<V> where V : struct
    {
        // x = 2^k·m with m in [√2/2, √2): the offset moves the exponent's boundary from 1 to √2/2.
        V u = W.AddBits(x, 0x3FF0_0000_0000_0000UL - 0x3FE6_A09E_0000_0000UL);
        V m = W.AddBits(W.AndBits(u, 0x000F_FFFF_FFFF_FFFFUL), 0x3FE6_A09E_0000_0000UL);
        // k as a double without an integer conversion: the biased exponent e in a mantissa, minus 2^52, minus the bias.
        V dk = W.Subtract(W.OrBits(W.ShiftRightBits(u, 52), 0x4330_0000_0000_0000UL), W.Create(4503599627370496.0 + 1023));
        V f = W.Subtract(m, W.One);
        V hfsq = W.Multiply(W.Create(0.5), W.Multiply(f, f));
        V s = W.Divide(f, W.Add(W.Create(2), f));
        V z = W.Multiply(s, s);
        V w = W.Multiply(z, z);
        V t1 = W.Multiply(w, W.MultiplyAdd(w, W.MultiplyAdd(w, W.Create(Lg6), W.Create(Lg4)), W.Create(Lg2)));
        V t2 = W.Multiply(z, W.MultiplyAdd(w, W.MultiplyAdd(w, W.MultiplyAdd(w, W.Create(Lg7), W.Create(Lg5)), W.Create(Lg3)), W.Create(Lg1)));
        V r = W.Add(t2, t1);
        // s·(hfsq + R) + k·ln2_lo − hfsq + f + k·ln2_hi, in fdlibm's order
        V result = W.Add(W.Add(W.Subtract(W.Add(W.Multiply(s, W.Add(hfsq, r)), W.Multiply(dk, W.Create(Ln2Lo))), hfsq), f), W.Multiply(dk, W.Create(Ln2Hi)));
        V inside = W.And(W.GreaterThan(x, W.Create(2.2250738585072014e-308)), W.LessThan(x, W.Create(double.PositiveInfinity))); // false for NaN
        return W.All(inside) ? result : Lanes<W, V>(x, result, inside, static v => Math.Log(v));
    }

    /// <summary>The lanes not <paramref name="inside"/> from <paramref name="exact"/> (rare: kept out of the inlined path).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static V Lanes<W, V>(V x, V result, V inside, Func<double, double> exact) where W : struct, ISimdWidth<V> where V : struct
    {
        for (int l = 0; l < W.Count; l++)
            if (BitConverter.DoubleToInt64Bits(W.GetElement(inside, l)) == 0) result = W.WithElement(result, l, exact(W.GetElement(x, l)));
        return result;
    }
}

/// <summary>e^x of a span into another (the logit link's whole-block step, <see cref="LogitOperator.Prepare"/>).</summary>
internal ref struct ExpArgs
{
    public ReadOnlySpan<double> X;
    public Span<double> Result;
}

/// <summary><see cref="ExpArgs"/> at width W (the scalar tail by <see cref="Math.Exp"/>).</summary>
internal readonly struct ExpKernel : ISimdKernel<ExpArgs>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref ExpArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double rx = ref MemoryMarshal.GetReference(a.X), ro = ref MemoryMarshal.GetReference(a.Result);
        int i = from;
        if (W.Count == 1)
        {
            for (; i < to; i++) Unsafe.Add(ref ro, i) = Math.Exp(Unsafe.Add(ref rx, i));
            return i;
        }
        for (; i <= to - W.Count; i += W.Count)
            W.Store(SimdMath.Exp<W, V>(W.Load(ref rx, (nuint)i)), ref ro, (nuint)i);
        return i;
    }
}

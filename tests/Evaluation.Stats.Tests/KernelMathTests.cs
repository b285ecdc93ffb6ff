using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;
using Xunit.Abstractions;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The library's own vector exp and log (<see cref="SimdMath"/>) and the small kernels that replaced TensorPrimitives
/// calls on the fast path (<see cref="ExpKernel"/>, <see cref="AddKernel"/>, <see cref="DotKernel"/>, <see cref="SumKernel"/>, <see cref="ZeroOneKernel"/>), at every width,
/// against <see cref="Math"/>: swept over the range each is used on, with the largest error printed in units in the
/// last place (ulp) of the runtime's value, and the special values (0, subnormal, ±∞, NaN, beyond exp's reduction)
/// equal to the runtime's bit for bit.
/// </summary>
[Trait("Category", "FastPath")]
public class KernelMathTests(ITestOutputHelper output)
{
    /// <summary>
    /// fdlibm's exp and log are within 1 ulp of the exact value and the runtime's within about half an ulp, so they
    /// may differ by up to about 1.5 ulp; measured here the largest is reported (≤ 1 on this project's machine).
    /// </summary>
    private const double MaxUlps = 1.5;

    public static TheoryData<int> Widths => [8, 4, 2, 1];

    private interface IWidthCheck
    {
        void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct;
    }

    private static void AtWidth<T>(int lanes, T check) where T : IWidthCheck
    {
        switch (lanes)
        {
            case 8: check.Run<Width512, Vector512<double>>(); break;
            case 4: check.Run<Width256, Vector256<double>>(); break;
            case 2: check.Run<Width128, Vector128<double>>(); break;
            default: check.Run<WidthScalar, double>(); break;
        }
    }

    /// <summary>|got − want| in ulps of want (0 when both are the same, NaN included).</summary>
    internal static double Ulps(double got, double want)
    {
        if (got.Equals(want)) return 0;
        double ulp = Math.BitIncrement(Math.Abs(want)) - Math.Abs(want);
        return Math.Abs(got - want) / ulp;
    }

    /// <summary>Applies <paramref name="f"/> to <paramref name="x"/> in vectors of width W (the length is a multiple of every width).</summary>
    private static double[] Apply<W, V>(double[] x, Func<V, V> f) where W : struct, ISimdWidth<V> where V : struct
    {
        var result = new double[x.Length];
        for (int i = 0; i + W.Count <= x.Length; i += W.Count)
            W.Store(f(W.Load(ref x[i], 0)), ref result[i], 0);
        return result;
    }

    private static double[] ExpPoints()
    {
        var rng = new Random(14);
        var points = new List<double>();
        for (int k = 0; k <= 140_000; k++) points.Add(-700 + 1400.0 * k / 140_000);           // the swept range
        for (int k = 0; k < 40_000; k++) points.Add(-40 + 80 * rng.NextDouble());              // where the logit link uses it
        for (int k = -64; k <= 64; k++) points.Add(k * Math.Log(2) / 2);                       // reduction boundaries
        points.AddRange([0, -0.0, 1e-300, -1e-300, 707.9, -707.9]);
        while (points.Count % 8 != 0) points.Add(1);
        return points.ToArray();
    }

    private static double[] LogPoints()
    {
        var rng = new Random(15);
        var points = new List<double>();
        for (int k = 0; k <= 120_000; k++) points.Add(Math.Pow(10, -300 + 600.0 * k / 120_000)); // the swept range
        for (int k = 0; k < 40_000; k++) points.Add(0.5 + 1.5 * rng.NextDouble());               // near 1 and √2/2
        for (int k = 0; k < 20_000; k++) points.Add(Math.Pow(2.220446049250313e-16, 8 * rng.NextDouble())); // the fast pass's products of 8 probabilities
        points.AddRange([1, Math.Sqrt(0.5), Math.BitDecrement(Math.Sqrt(0.5)), Math.BitIncrement(1), Math.BitDecrement(1), double.MaxValue, 2.2250738585072014e-308]);
        while (points.Count % 8 != 0) points.Add(1);
        return points.ToArray();
    }

    private readonly struct ExpCheck(ITestOutputHelper output) : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            var x = ExpPoints();
            var got = Apply<W, V>(x, static v => SimdMath.Exp<W, V>(v));
            double worst = 0, at = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double u = Ulps(got[i], Math.Exp(x[i]));
                if (u > worst) (worst, at) = (u, x[i]);
            }
            output.WriteLine($"exp at {W.Count} lanes over [-700, 700] ({x.Length} points): max {worst:0.000} ulp (at {at:R})");
            Assert.True(worst <= MaxUlps, $"exp: {worst} ulp at {at:R}");

            // Beyond the reduction's range, and NaN: the runtime's values, also when mixed with ordinary lanes.
            double[] special = [708, -708, 709.7, 710, -745, -746, -720, 1e308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 3, -3, 0.5, 100, -100];
            var s = Apply<W, V>(special, static v => SimdMath.Exp<W, V>(v));
            for (int i = 0; i < special.Length; i++)
                Assert.True(Ulps(s[i], Math.Exp(special[i])) <= (Math.Abs(special[i]) < 708 ? MaxUlps : 0), $"exp({special[i]:R}) = {s[i]:R}, runtime {Math.Exp(special[i]):R}");
        }
    }

    private readonly struct LogCheck(ITestOutputHelper output) : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            var x = LogPoints();
            var got = Apply<W, V>(x, static v => SimdMath.Log<W, V>(v));
            double worst = 0, worstRelative = 0, at = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double want = Math.Log(x[i]);
                double u = Ulps(got[i], want);
                if (u > worst) (worst, at) = (u, x[i]);
                if (want != 0) worstRelative = Math.Max(worstRelative, Math.Abs(got[i] - want) / Math.Abs(want));
            }
            output.WriteLine($"log at {W.Count} lanes over [1e-300, 1e300] ({x.Length} points): max {worst:0.000} ulp (at {at:R}), max relative error {worstRelative:E2}");
            Assert.True(worst <= MaxUlps, $"log: {worst} ulp at {at:R}");

            double[] special = [0, -0.0, -1, double.Epsilon, 1e-310, 2.2250738585072009e-308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1, 2, 0.75, 10, 1e-5, 3, 1e200];
            var s = Apply<W, V>(special, static v => SimdMath.Log<W, V>(v));
            for (int i = 0; i < special.Length; i++)
                Assert.True(Ulps(s[i], Math.Log(special[i])) <= (special[i] >= 2.2250738585072014e-308 && special[i] < double.PositiveInfinity ? MaxUlps : 0),
                    $"log({special[i]:R}) = {s[i]:R}, runtime {Math.Log(special[i]):R}");
        }
    }

    private readonly struct SmallKernelsCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= 100; n++)
            {
                var rng = new Random(n);
                var a = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 60 - 30).ToArray();
                var b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();

                var e = new double[n];
                var exp = new ExpArgs { X = a, Result = e };
                SimdDriver.RunAt<ExpKernel, ExpArgs, W, V>(ref exp, n);
                for (int i = 0; i < n; i++) Assert.True(Ulps(e[i], Math.Exp(a[i])) <= MaxUlps, $"ExpKernel n={n} i={i}");

                var sum = (double[])b.Clone();
                var add = new AddArgs { X = a, Sum = sum };
                SimdDriver.RunAt<AddKernel, AddArgs, W, V>(ref add, n);
                for (int i = 0; i < n; i++) Assert.Equal(b[i] + a[i], sum[i]);

                var dot = new DotArgs { A = a, B = b, Sum = 1 };
                SimdDriver.RunAt<DotKernel, DotArgs, W, V>(ref dot, n);
                double want = 1, abs = 1;
                for (int i = 0; i < n; i++) { want += a[i] * b[i]; abs += Math.Abs(a[i] * b[i]); }
                Assert.True(Math.Abs(dot.Sum - want) <= 1e-13 * abs, $"DotKernel n={n}: {dot.Sum:R} against {want:R}");

                var sumArgs = new SumArgs { X = b };
                SimdDriver.RunAt<SumKernel, SumArgs, W, V>(ref sumArgs, n);
                Assert.True(Math.Abs(sumArgs.Sum - b.Sum()) <= 1e-13 * b.Sum(Math.Abs), $"SumKernel n={n}");

                // 0/1 values: the count is exact; one other value anywhere (also in the scalar tail) is found.
                var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
                var count = new SumArgs { X = y };
                SimdDriver.RunAt<SumKernel, SumArgs, W, V>(ref count, n);
                Assert.Equal(y.Count(v => v == 1), count.Sum);
                var zeroOne = new ZeroOneArgs { X = y };
                SimdDriver.RunAt<ZeroOneKernel, ZeroOneArgs, W, V>(ref zeroOne, n);
                Assert.False(zeroOne.Other);
                for (int at = 0; at < n; at += 7)
                {
                    var z = (double[])y.Clone();
                    z[at] = at % 2 == 0 ? 0.5 : double.NaN;
                    var other = new ZeroOneArgs { X = z };
                    SimdDriver.RunAt<ZeroOneKernel, ZeroOneArgs, W, V>(ref other, n);
                    Assert.True(other.Other, $"ZeroOneKernel n={n}: {z[at]} at {at} not found");
                }
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Exp_IsWithinAnUlpOfTheRuntimes(int lanes) => AtWidth(lanes, new ExpCheck(output));

    [Theory, MemberData(nameof(Widths))]
    public void Log_IsWithinAnUlpOfTheRuntimes(int lanes) => AtWidth(lanes, new LogCheck(output));

    [Theory, MemberData(nameof(Widths))]
    public void SmallKernels_MatchTheFormulas(int lanes) => AtWidth(lanes, new SmallKernelsCheck());
}

using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Every width-generic kernel at every width (Vector512, Vector256, Vector128 and scalar, each instantiation called
/// directly, so all widths are tested on any machine; a width the hardware lacks runs in software with the same
/// IEEE arithmetic) over lengths 0 to 256, against the plain scalar formula. A kernel's sums are in a different order
/// from the formula's (per lane, then across lanes, with fused multiply-adds), so sums agree within
/// <see cref="Tolerance"/> times the sum of the absolute values of their terms; element-wise products must be exact.
/// </summary>
[Trait("Category", "FastPath")]
public class SimdKernelTests
{
    /// <summary>
    /// Relative error allowed, against the sum of absolute terms: the rounding bound of a sum of up to 257 products is
    /// about 257 · 2⁻⁵³ ≈ 3e−14, and the vector exp/log are within a few units in the last place.
    /// </summary>
    private const double Tolerance = 1e-13;

    private const int MaxLength = 256;

    public static TheoryData<int> Widths => [8, 4, 2, 1];

    /// <summary>
    /// CI's instruction-set passes set EVALSTATS_EXPECT_LANES (8 for AVX-512, 4 for DOTNET_EnableAVX512=0, 2 for
    /// DOTNET_EnableAVX2=0 and for EVALSTATS_SIMD_BITS=128, 1 for DOTNET_EnableHWIntrinsic=0): a pass whose switch did
    /// nothing would test one width twice and another never. Outside those passes there is no expectation to check.
    /// </summary>
    [Fact]
    public void Ci_IsaPass_RunsAtTheExpectedWidth()
    {
        var expected = Environment.GetEnvironmentVariable("EVALSTATS_EXPECT_LANES");
        if (string.IsNullOrEmpty(expected)) return;
        int lanes = int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(lanes, SimdDriver.Lanes);
        Assert.Equal(lanes >= 2, Vector128.IsHardwareAccelerated);
        if (SimdDriver.MaxBits < 512)
        {
            // The cap's pass: the driver is narrower than the hardware, which keeps its wider vectors and FMA.
            Assert.True(Vector256.IsHardwareAccelerated, "the capped pass expects a machine with AVX2 left on");
            Assert.True(System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported, "the capped pass expects FMA");
            return;
        }
        Assert.Equal(lanes >= 8, Vector512.IsHardwareAccelerated);
        Assert.Equal(lanes >= 4, Vector256.IsHardwareAccelerated);
    }

    [Theory]
    [InlineData(null, 512)]
    [InlineData("", 512)]
    [InlineData("512", 512)]
    [InlineData("256", 256)]
    [InlineData("128", 128)]
    public void WidthCap_ParsesTheWidths(string? value, int bits) => Assert.Equal(bits, SimdDriver.ParseCap(value));

    [Theory]
    [InlineData("64")]
    [InlineData("128 ")]
    [InlineData("wide")]
    public void WidthCap_RefusesAnythingElse_NamingTheVariable(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SimdDriver.ParseCap(value));
        Assert.Contains("EVALSTATS_SIMD_BITS", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Tiles_MatchTheDotProducts(int lanes) => AtWidth(lanes, new TileCheck());

    [Theory, MemberData(nameof(Widths))]
    public void WeightedDiagonalTile_MatchesTheFormula(int lanes) => AtWidth(lanes, new WeightedTileCheck());

    [Theory, MemberData(nameof(Widths))]
    public void WeightColumn_MatchesTheFormula(int lanes) => AtWidth(lanes, new WeightColumnCheck());

    [Theory, MemberData(nameof(Widths))]
    public void LinearPredictor_MatchesTheFormula(int lanes) => AtWidth(lanes, new LinearPredictorCheck());

    [Theory, MemberData(nameof(Widths))]
    public void SumOfLogs_MatchesTheFormula(int lanes) => AtWidth(lanes, new SumOfLogsCheck());

    [Theory, MemberData(nameof(Widths))]
    public void LogitFamily_MatchesRsBinomial(int lanes) => AtWidth(lanes, new FamilyCheck());

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

    private static double[] Random(Random rng, int n, double lo = -2, double hi = 2) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();

    private static void Close(double got, double want, double scale, string what)
    {
        double allowed = Tolerance * Math.Max(scale, double.Epsilon);
        Assert.True(Math.Abs(got - want) <= allowed, $"{what}: {got:R} against {want:R} (|difference| {Math.Abs(got - want):E2} > {allowed:E2}).");
    }

    private static (double Sum, double Abs) Dot(double[] a, double[] b)
    {
        double s = 0, abs = 0;
        for (int i = 0; i < a.Length; i++) { s += a[i] * b[i]; abs += Math.Abs(a[i] * b[i]); }
        return (s, abs);
    }

    private readonly struct TileCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                var rng = new Random(n);
                var a = Enumerable.Range(0, 4).Select(_ => Random(rng, n)).ToArray();
                var b = Enumerable.Range(0, 4).Select(_ => Random(rng, n)).ToArray();
                {
                    // 4 × 4, 2 × 4, 4 × 2 and 4 × 1 (the diagonal tiles are the weighted ones, checked below).
                    var tile = new double[16];
                    var args = new TileArgs { A0 = a[0], A1 = a[1], A2 = a[2], A3 = a[3], B0 = b[0], B1 = b[1], B2 = b[2], B3 = b[3], Tile = tile };
                    SimdDriver.RunAt<Tile4x4Kernel, TileArgs, W, V>(ref args, n);
                    for (int r = 0; r < 4; r++)
                        for (int c = 0; c < 4; c++) { var (s, abs) = Dot(a[r], b[c]); Close(tile[r * 4 + c], s, abs, $"4x4[{r},{c}] n={n}"); }

                    tile = new double[8];
                    args = new TileArgs { A0 = a[0], A1 = a[1], B0 = b[0], B1 = b[1], B2 = b[2], B3 = b[3], Tile = tile };
                    SimdDriver.RunAt<Tile2x4Kernel, TileArgs, W, V>(ref args, n);
                    for (int r = 0; r < 2; r++)
                        for (int c = 0; c < 4; c++) { var (s, abs) = Dot(a[r], b[c]); Close(tile[r * 4 + c], s, abs, $"2x4[{r},{c}] n={n}"); }

                    tile = new double[8];
                    args = new TileArgs { A0 = a[0], A1 = a[1], A2 = a[2], A3 = a[3], B0 = b[0], B1 = b[1], Tile = tile };
                    SimdDriver.RunAt<Tile4x2Kernel, TileArgs, W, V>(ref args, n);
                    for (int r = 0; r < 4; r++)
                        for (int c = 0; c < 2; c++) { var (s, abs) = Dot(a[r], b[c]); Close(tile[2 * r + c], s, abs, $"4x2[{r},{c}] n={n}"); }

                    tile = new double[4];
                    args = new TileArgs { A0 = a[0], A1 = a[1], A2 = a[2], A3 = a[3], B0 = b[0], Tile = tile };
                    SimdDriver.RunAt<Tile4x1Kernel, TileArgs, W, V>(ref args, n);
                    for (int r = 0; r < 4; r++) { var (s, abs) = Dot(a[r], b[0]); Close(tile[r], s, abs, $"4x1[{r}] n={n}"); }
                }
            }
        }
    }

    private readonly struct WeightedTileCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                var rng = new Random(1000 + n);
                var w = Random(rng, n, 0, 0.25);
                var wz = Random(rng, n);
                var x = Enumerable.Range(0, 4).Select(_ => Random(rng, n)).ToArray();
                var wx = Enumerable.Range(0, 4).Select(_ => new double[n]).ToArray();
                var tile = new double[20];
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < r; c++) tile[r * 4 + c] = double.NaN;
                var args = new WeightedTileArgs { W = w, Wz = wz, X0 = x[0], X1 = x[1], X2 = x[2], X3 = x[3], Wx0 = wx[0], Wx1 = wx[1], Wx2 = wx[2], Wx3 = wx[3], Tile = tile };
                SimdDriver.RunAt<WeightedTile4x4UpperKernel, WeightedTileArgs, W, V>(ref args, n);
                for (int r = 0; r < 4; r++)
                {
                    var expected = x[r].Select((v, i) => v * w[i]).ToArray();
                    Assert.Equal(expected, wx[r]);
                    var (zs, zabs) = Dot(x[r], wz);
                    Close(tile[16 + r], zs, zabs, $"X'Wz[{r}] n={n}");
                    for (int c = 0; c < 4; c++)
                    {
                        if (c < r) { Assert.True(double.IsNaN(tile[r * 4 + c]), $"weighted tile wrote below the diagonal at [{r},{c}]"); continue; }
                        var (s, abs) = Dot(expected, x[c]);
                        Close(tile[r * 4 + c], s, abs, $"weighted[{r},{c}] n={n}");
                    }
                }
            }
        }
    }

    private readonly struct WeightColumnCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                var rng = new Random(2000 + n);
                double[] w = Random(rng, n, 0, 0.25), wz = Random(rng, n), x = Random(rng, n), wx = new double[n];
                var args = new WeightColumnArgs { W = w, Wz = wz, X = x, Wx = wx, Sum = 0.5 };
                SimdDriver.RunAt<WeightColumnKernel, WeightColumnArgs, W, V>(ref args, n);
                Assert.Equal(x.Select((v, i) => v * w[i]).ToArray(), wx);
                var (s, abs) = Dot(x, wz);
                Close(args.Sum, 0.5 + s, 0.5 + abs, $"X'Wz n={n}");
            }
        }
    }

    private readonly struct LinearPredictorCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= MaxLength; n++)
                foreach (int columns in new[] { 1, 4 })
                    foreach (bool first in new[] { true, false })
                    {
                        var rng = new Random(3000 + n);
                        var x = Enumerable.Range(0, 4).Select(_ => Random(rng, n)).ToArray();
                        var beta = Random(rng, 4);
                        var start = Random(rng, n);
                        var eta = (double[])start.Clone();
                        var args = new LinearPredictorArgs { X0 = x[0], X1 = x[1], X2 = x[2], X3 = x[3], S0 = beta[0], S1 = beta[1], S2 = beta[2], S3 = beta[3], Columns = columns, First = first, Eta = eta };
                        SimdDriver.RunAt<LinearPredictorKernel, LinearPredictorArgs, W, V>(ref args, n);
                        for (int i = 0; i < n; i++)
                        {
                            double s = first ? 0 : start[i], abs = Math.Abs(s);
                            for (int k = 0; k < columns; k++) { s += x[k][i] * beta[k]; abs += Math.Abs(x[k][i] * beta[k]); }
                            Close(eta[i], s, abs, $"eta[{i}] n={n} columns={columns} first={first}");
                        }
                    }
        }
    }

    private readonly struct SumOfLogsCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                var rng = new Random(4000 + n);
                // Fitted probabilities down to R's floor ε/(1 + ε), where a product of 8 is smallest.
                var q = Enumerable.Range(0, n).Select(i => i % 17 == 3 ? 2.220446049250313e-16 / (1 + 2.220446049250313e-16) : Math.Exp(-6 * rng.NextDouble())).ToArray();
                var args = new SumOfLogsArgs { Q = q, Sum = -1 };
                SimdDriver.RunAt<SumOfLogsKernel, SumOfLogsArgs, W, V>(ref args, n);
                double s = -1, abs = 1;
                foreach (var v in q) { s += Math.Log(v); abs += Math.Abs(Math.Log(v)); }
                Close(args.Sum, s, abs, $"sum of logs n={n}");
            }
        }
    }

    private readonly struct FamilyCheck : IWidthCheck
    {
        public void Run<W, V>() where W : struct, ISimdWidth<V> where V : struct
        {
            const double eps = 2.220446049250313e-16;
            for (int n = 0; n <= MaxLength; n++)
                foreach (bool meat in new[] { false, true })
                {
                    var rng = new Random(5000 + n);
                    // Mostly moderate η, some beyond R's clamp at ±30 and some fitted within 1e−10 of 0 or 1.
                    var eta = Enumerable.Range(0, n).Select(i => i % 23 == 5 ? 31 + 10 * rng.NextDouble() : i % 29 == 7 ? -31 - 10 * rng.NextDouble()
                        : i % 13 == 2 ? (rng.NextDouble() < 0.5 ? -1 : 1) * (24 + 5 * rng.NextDouble()) : 8 * rng.NextDouble() - 4).ToArray();
                    var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.4 ? 1.0 : 0.0).ToArray();
                    double[] w = new double[n], wz = new double[n], q = new double[n];
                    var args = new FamilyArgs { Eta = eta, Prepared = new double[n], Y = y, W = w, Wz = wz, Q = q, Meat = meat, Extreme = 2 };
                    BinomialFamilyKernel<LogitOperator>.RunAt<W, V>(ref args);
                    int extreme = 2;
                    for (int i = 0; i < n; i++)
                    {
                        // R's binomial()$linkinv, mu.eta and variance, and glm.fit's working weight and response. Unclamped,
                        // the variance μ(1 − μ) equals mu.eta = t/(1 + t)² (written so, as 1 − μ would cancel near μ = 1).
                        double e = eta[i];
                        bool clamped = Math.Abs(e) > 30;
                        double t = e < -30 ? eps : e > 30 ? 1 / eps : Math.Exp(e);
                        double mu = t / (1 + t);
                        double muEta = clamped ? eps : t / ((1 + t) * (1 + t));
                        double variance = clamped ? mu * (1 - mu) : muEta;
                        double weight = muEta * muEta / variance;
                        double z = e + (y[i] - mu) / muEta;
                        double residual = (y[i] - mu) * muEta / variance;
                        double wantW = meat ? residual * residual : weight;
                        double wantWz = meat ? 0 : weight * z;
                        double wantQ = y[i] == 1 ? mu : 1 / (1 + t);
                        if (mu < 1e-10 || mu > 1 - 1e-10) extreme++;
                        // y − μ rounds relative to its terms y and μ, not to itself (it cancels where μ is near y).
                        double residualTerms = (y[i] + mu) * muEta / variance;
                        Close(w[i], wantW, meat ? residualTerms * residualTerms : weight, $"w[{i}] eta={e:R} meat={meat}");
                        Close(wz[i], wantWz, Math.Abs(weight * e) + residualTerms, $"wz[{i}] eta={e:R} meat={meat}");
                        Close(q[i], wantQ, Math.Abs(wantQ), $"q[{i}] eta={e:R}");
                    }
                    Assert.Equal(extreme, args.Extreme);
                }
        }
    }
}

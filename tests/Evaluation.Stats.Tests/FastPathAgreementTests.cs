using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The fast and reference logistic paths agree on random data (FsCheck), including sizes around the vector width,
/// ragged tails and block and chunk boundaries, and the fast path gives bit-identical results for any thread count.
/// CI runs this class again at every vector width: AVX-512, DOTNET_EnableAVX512=0 (AVX2), DOTNET_EnableAVX2=0
/// (Vector128 only) and DOTNET_EnableHWIntrinsic=0 (scalar); see .ci/run.
/// </summary>
[Trait("Category", "FastPath")]
public class FastPathAgreementTests
{
    private const double Relative = 1e-10;

    /// <summary>
    /// Guards CI's AVX2 pass, which sets EVALSTATS_EXPECT_NO_AVX512=1: .NET 10 ignores DOTNET_EnableAVX512F (the
    /// .NET 8/9 name), and a pass run with a switch that does nothing would test the AVX-512 kernels twice and the
    /// AVX2 kernels never. Outside that pass there is no expectation to check.
    /// </summary>
    [Fact]
    public void Ci_Avx2Pass_RunsWithoutAvx512()
    {
        bool expectNoAvx512 = Environment.GetEnvironmentVariable("EVALSTATS_EXPECT_NO_AVX512") == "1";
        Assert.False(expectNoAvx512 && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            "EVALSTATS_EXPECT_NO_AVX512=1 but Vector512 is still accelerated: the instruction-set switch did not take effect.");
    }

    /// <summary>A random model: n rows, some numeric columns, some categoricals with blanks, an interaction.</summary>
    public sealed record Case(int Seed, int Rows, int Numeric, int Categorical, int MaxLevels = 5)
    {
        public (ModelData Data, ModelSpec Spec, double[] Y) Build()
        {
            var rng = new Random(Seed);
            var data = new ModelData(Rows);
            var numeric = new List<string>();
            double[] eta = new double[Rows];
            for (int j = 0; j < Numeric; j++)
            {
                var v = Enumerable.Range(0, Rows).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
                data.AddNumeric($"x{j}", v);
                numeric.Add($"x{j}");
                double b = rng.NextDouble() - 0.5;
                for (int i = 0; i < Rows; i++) eta[i] += b * v[i];
            }
            var cats = AddCategoricals(rng, data, eta, Categorical, MaxLevels);
            var y = Outcome(rng, eta);
            var interactions = Numeric >= 2 ? new[] { ("x0", "x1") } : Array.Empty<(string, string)>();
            return (data, new ModelSpec(numeric, cats, interactions), y);
        }
    }

    /// <summary>Adds <paramref name="count"/> categoricals g0, g1, … of 2 to <paramref name="maxLevels"/> letters and 10% blanks, each with an effect on η.</summary>
    private static List<string> AddCategoricals(Random rng, ModelData data, double[] eta, int count, int maxLevels)
    {
        var names = new List<string>();
        for (int c = 0; c < count; c++)
        {
            int levels = 2 + rng.Next(maxLevels - 1);
            var v = Enumerable.Range(0, eta.Length).Select(_ => rng.NextDouble() < 0.1 ? null : ((char)('a' + rng.Next(levels))).ToString()).ToArray();
            data.AddCategorical($"g{c}", v);
            names.Add($"g{c}");
            for (int i = 0; i < eta.Length; i++) eta[i] += v[i] is null ? 0.3 : (v[i]![0] - 'a') * 0.2;
        }
        return names;
    }

    /// <summary>A 0/1 outcome drawn at the probabilities 1/(1 + e^−η); the first row is 1 and the last 0, so both outcomes occur and the fit is finite.</summary>
    private static double[] Outcome(Random rng, double[] eta)
    {
        var y = eta.Select(e => rng.NextDouble() < 1 / (1 + Math.Exp(-e)) ? 1.0 : 0.0).ToArray();
        y[0] = 1; y[^1] = 0;
        return y;
    }

    private static Arbitrary<Case> Cases() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.OneOf(Gen.Choose(40, 70), Gen.Elements(63, 64, 65, 127, 128, 129, 511, 512, 513, 1023, 1025), Gen.Choose(500, 3000))
         from numeric in Gen.Choose(1, 9)
         from categorical in Gen.Choose(0, 3)
         select Bounded(new Case(seed, rows, numeric, categorical))).ToArbitrary();

    /// <summary>
    /// Keeps small samples well posed (about 15 rows or more per parameter): with fewer, the fit is near separation,
    /// its condition number amplifies rounding differences past 1e-10, and agreement is not a meaningful test.
    /// </summary>
    internal static Case Bounded(Case c) => c.Rows >= 200 ? c : c with { Numeric = Math.Min(c.Numeric, 2), Categorical = Math.Min(c.Categorical, 1) };

    private static LogisticResult Fit(Case c, Implementation impl, int threads = 0)
    {
        var (data, spec, y) = c.Build();
        return LogisticRegression.Fit(data, spec, y, new LogisticOptions { Implementation = impl, MaxDegreeOfParallelism = threads });
    }

    private static bool Agree(LogisticResult a, LogisticResult b)
    {
        if (!a.Coefficients.Select(c => c.Term).SequenceEqual(b.Coefficients.Select(c => c.Term))) return false;
        if (!a.Aliased.SequenceEqual(b.Aliased)) return false;
        // Under separation the MLE is infinite: the estimates are wherever the iterations stopped, and which terms
        // drift past the probe's threshold is a borderline call. Both paths must detect it; the numbers are not compared.
        if (a.Separation.Count > 0 || b.Separation.Count > 0) return a.Separation.Count > 0 && b.Separation.Count > 0;
        if (a.Converged != b.Converged || a.Iterations != b.Iterations) return false;
        foreach (var (x, y) in a.Coefficients.Zip(b.Coefficients))
        {
            if (x.IsAliased != y.IsAliased) return false;
            if (x.IsAliased) continue;
            if (Math.Abs(x.Estimate!.Value - y.Estimate!.Value) > Relative * Math.Max(1, Math.Abs(x.Estimate.Value))) return false;
            if (Math.Abs(x.StdError!.Value - y.StdError!.Value) > 1e-8 * x.StdError.Value) return false;
        }
        return Math.Abs(a.Deviance - b.Deviance) <= 1e-10 * a.Deviance;
    }

    [Property(MaxTest = 60)]
    public Property FastAndReference_Agree() => Prop.ForAll(Cases(), c =>
        Agree(Fit(c, Implementation.Reference), Fit(c, Implementation.Fast)).Label($"{c}"));

    [Property(MaxTest = 20)]
    public Property Fast_IsBitIdentical_AcrossThreadCounts() => Prop.ForAll(Cases(), c =>
    {
        var one = Fit(c, Implementation.Fast, threads: 1);
        var two = Fit(c, Implementation.Fast, threads: 2);
        var four = Fit(c, Implementation.Fast, threads: 4);
        return one.Coefficients.SequenceEqual(two.Coefficients) && one.Coefficients.SequenceEqual(four.Coefficients) && one.Deviance == two.Deviance;
    });

    [Fact]
    public void Fast_SpansManyChunks_AndAgreesWithReference()
    {
        // 40,000 rows: several 16,384-row chunks, a ragged last block, parallel reduction in chunk order.
        var c = new Case(42, 40_000, 6, 3);
        var fast = Fit(c, Implementation.Fast);
        Assert.True(Agree(Fit(c, Implementation.Reference), fast));
        Assert.Equal(fast.Coefficients, Fit(c, Implementation.Fast, threads: 1).Coefficients);
    }

    /// <summary>
    /// Many categoricals with many levels: their joint codes exceed <see cref="CategoricalGroups.MaxJoint"/>, so the
    /// fast pass uses several groups and the between-group tables; with up to 9 numeric columns plus the intercept and
    /// an interaction, a row's lanes can span two vectors.
    /// </summary>
    private static Arbitrary<Case> ManyGroups() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.Choose(2_000, 4_000)
         from numeric in Gen.Choose(1, 9)
         from categorical in Gen.Choose(4, 6)
         select new Case(seed, rows, numeric, categorical, MaxLevels: 8)).ToArbitrary();

    [Property(MaxTest = 25)]
    public Property FastAndReference_Agree_WithSeveralCategoricalGroups() => Prop.ForAll(ManyGroups(), c =>
    {
        var (data, spec, _) = c.Build();
        int groups = FastDesign.Build(data, spec).Groups.Count;
        return Agree(Fit(c, Implementation.Reference), Fit(c, Implementation.Fast)).Label($"{c}, {groups} groups");
    });

    /// <summary>
    /// Categoricals of exactly 8 levels (7 letters and a blank) pair up into groups of 64 joint levels, so k of them make
    /// ⌈k/2⌉ groups. A last group of one categorical (8 levels) is a satellite, folded into the other groups' histograms,
    /// so it has no between-group tables: 3, 5 and 7 categoricals leave 1, 2 and 3 groups with tables, 8 and 10 leave 4
    /// and 5. Three and four take the row-by-row tables written for those counts, two and five the general one pair at a time.
    /// </summary>
    [Theory]
    [InlineData(3, 2, 1)]
    [InlineData(5, 3, 2)]
    [InlineData(7, 4, 3)]
    [InlineData(8, 4, 4)]
    [InlineData(10, 5, 5)]
    public void FastAndReference_Agree_ForEachCountOfCategoricalGroups(int categoricals, int groups, int crossGroups)
    {
        const int rows = 12_000;
        var rng = new Random(categoricals);
        var data = new ModelData(rows);
        var x = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        data.AddNumeric("x", x);
        var eta = x.Select(v => 0.5 * v).ToArray();
        var names = new List<string>();
        for (int c = 0; c < categoricals; c++)
        {
            var v = Enumerable.Range(0, rows).Select(i => i % 8 == c % 8 ? null : ((char)('a' + rng.Next(7))).ToString()).ToArray();
            data.AddCategorical($"g{c}", v);
            names.Add($"g{c}");
            for (int i = 0; i < rows; i++) eta[i] += v[i] is null ? -0.2 : (v[i]![0] - 'a') * 0.1 - 0.3;
        }
        var y = eta.Select(e => rng.NextDouble() < 1 / (1 + Math.Exp(-e)) ? 1.0 : 0.0).ToArray();
        var spec = new ModelSpec(["x"], names, []);
        Assert.Equal(groups, FastDesign.Build(data, spec).Groups.Count);
        Assert.Equal(crossGroups, FastDesign.Build(data, spec).Groups.CrossGroups);
        var fast = LogisticRegression.Fit(data, spec, y, new LogisticOptions { Implementation = Implementation.Fast });
        var reference = LogisticRegression.Fit(data, spec, y, new LogisticOptions { Implementation = Implementation.Reference });
        Assert.DoesNotContain(fast.Warnings, w => w.Contains("reference path"));
        Assert.True(Agree(reference, fast));
    }

    [Theory]
    [InlineData(CovarianceType.HC1)]
    [InlineData(CovarianceType.HC0)]
    public void Fast_RobustCovariance_WithSeveralCategoricalGroups_AgreesWithReference(CovarianceType type)
    {
        var c = new Case(7, 30_000, 8, 6, MaxLevels: 8);
        var (data, spec, y) = c.Build();
        Assert.True(FastDesign.Build(data, spec).Groups.Count >= 2);
        var options = new LogisticOptions { Covariance = type };
        var fast = LogisticRegression.Fit(data, spec, y, options with { Implementation = Implementation.Fast });
        var reference = LogisticRegression.Fit(data, spec, y, options with { Implementation = Implementation.Reference });
        Assert.Empty(fast.Separation);
        Assert.DoesNotContain(fast.Warnings, w => w.Contains("reference path")); // fitted by the fast path itself, not its fall-back
        foreach (var (x, r) in fast.Coefficients.Zip(reference.Coefficients))
        {
            Assert.Equal(r.Term, x.Term);
            Assert.Equal(r.Estimate!.Value, x.Estimate!.Value, 1e-10 * Math.Max(1, Math.Abs(r.Estimate.Value)));
            Assert.Equal(r.StdError!.Value, x.StdError!.Value, 1e-8 * r.StdError.Value);
        }
    }

    [Fact]
    public void CategoricalGroups_CombineConsecutiveCategoricals_UpToTheJointLimit()
    {
        // Levels 4, 5, 6, 4, 5, 6, 30, 300: 4·5·6 = 120 fits, ×4 would not; 30 alone; 300 alone (over the limit on its own).
        int[] levels = [4, 5, 6, 4, 5, 6, 30, 300];
        int rows = 1000;
        var rng = new Random(3);
        var codes = levels.Select(l => Enumerable.Range(0, rows).Select(_ => rng.Next(l)).ToArray()).ToArray();
        var g = CategoricalGroups.Build(rows, codes, levels);
        Assert.Equal(new[] { new[] { 0, 1, 2 }, new[] { 3, 4, 5 }, new[] { 6 }, new[] { 7 } }, g.Members);
        Assert.Equal(new[] { 120, 120, 30, 300 }, g.Joint);
        for (int k = 0; k < g.Count; k++)
        {
            int m = g.Members[k].Length;
            for (int i = 0; i < rows; i++)
                for (int q = 0; q < m; q++)
                    Assert.Equal(codes[g.Members[k][q]][i], g.LevelOf[k][g.Codes[k][i] * m + q]);
        }
    }

    /// <summary>
    /// A DiD-like model: 0/1 numeric terms (the first two also as their interaction), which the fast path stores as codes
    /// of their 0/1 patterns (up to <see cref="FastDesign.MaxBinary"/>; more stay dense), a few continuous covariates and
    /// categoricals. <paramref name="Degenerate"/>: 0 none; 1 the last 0/1 column copies the first (aliased); 2 it is all 0;
    /// 3 it is all 1 (aliased with the intercept).
    /// </summary>
    public sealed record BinaryCase(int Seed, int Rows, int Binary, int Continuous, int Categorical, int MaxLevels, int Degenerate)
    {
        public (ModelData Data, ModelSpec Spec, double[] Y) Build()
        {
            var rng = new Random(Seed);
            var data = new ModelData(Rows);
            var eta = new double[Rows];
            var numeric = new List<string>();
            for (int j = 0; j < Binary; j++)
            {
                double share = 0.1 + 0.8 * rng.NextDouble();
                var v = Enumerable.Range(0, Rows).Select(_ => rng.NextDouble() < share ? 1.0 : 0.0).ToArray();
                if (j == Binary - 1 && j > 0 && Degenerate == 1) v = (double[])data.Numeric("b0").Clone();
                if (j == Binary - 1 && Degenerate == 2) Array.Fill(v, 0.0);
                if (j == Binary - 1 && Degenerate == 3) Array.Fill(v, 1.0);
                data.AddNumeric($"b{j}", v);
                numeric.Add($"b{j}");
                double b = rng.NextDouble() - 0.5;
                for (int i = 0; i < Rows; i++) eta[i] += b * v[i];
            }
            for (int j = 0; j < Continuous; j++)
            {
                var v = Enumerable.Range(0, Rows).Select(_ => 18 + rng.Next(50) + 0.0).ToArray();
                data.AddNumeric($"x{j}", v);
                numeric.Add($"x{j}");
                for (int i = 0; i < Rows; i++) eta[i] += 0.02 * (v[i] - 40);
            }
            var cats = AddCategoricals(rng, data, eta, Categorical, MaxLevels);
            var y = Outcome(rng, eta);
            var interactions = Binary >= 2 ? new[] { ("b0", "b1") } : Array.Empty<(string, string)>();
            return (data, new ModelSpec(numeric, cats, interactions), y);
        }
    }

    private static Arbitrary<BinaryCase> BinaryCases() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.OneOf(Gen.Choose(60, 90), Gen.Elements(63, 64, 65, 127, 128, 129, 511, 512, 513, 1023, 1025), Gen.Choose(800, 4000))
         from binary in Gen.Choose(1, 8)
         from continuous in Gen.Choose(0, 2)
         from categorical in Gen.Choose(0, 5)
         from degenerate in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
         select rows >= 600
             ? new BinaryCase(seed, rows, binary, continuous, categorical, 6, degenerate)
             : new BinaryCase(seed, rows, Math.Min(binary, 3), Math.Min(continuous, 1), Math.Min(categorical, 1), 3, degenerate)).ToArbitrary();

    private static LogisticResult Fit(BinaryCase c, Implementation impl, int threads = 0)
    {
        var (data, spec, y) = c.Build();
        return LogisticRegression.Fit(data, spec, y, new LogisticOptions { Implementation = impl, MaxDegreeOfParallelism = threads });
    }

    [Property(MaxTest = 60)]
    public Property FastAndReference_Agree_WithZeroOneTermsStoredAsCodes() => Prop.ForAll(BinaryCases(), c =>
    {
        var reference = Fit(c, Implementation.Reference);
        var fast = Fit(c, Implementation.Fast);
        return (Agree(reference, fast) && !fast.Warnings.Any(w => w.Contains("reference path"))).Label($"{c}");
    });

    [Property(MaxTest = 15)]
    public Property Fast_WithZeroOneTermsStoredAsCodes_IsBitIdentical_AcrossThreadCounts() => Prop.ForAll(BinaryCases(), c =>
    {
        var one = Fit(c, Implementation.Fast, threads: 1);
        var two = Fit(c, Implementation.Fast, threads: 2);
        return one.Coefficients.SequenceEqual(two.Coefficients) && one.Deviance == two.Deviance;
    });

    [Fact]
    public void FastDesign_StoresZeroOneTermsAsPatternCodes_WithTheSameRowsAsTheDesignMatrix()
    {
        // 8 0/1 terms and their first interaction: the first 6 of the 9 become codes, the last 3 stay dense with the
        // intercept and one covariate.
        var c = new BinaryCase(5, 700, 8, 1, 2, 4, 0);
        var (data, spec, _) = c.Build();
        var fast = FastDesign.Build(data, spec);
        var matrix = DesignMatrix.Build(data, spec);
        Assert.Equal(matrix.TermNames, fast.TermNames);
        Assert.Equal(1 + 1 + 3, fast.DenseCount);
        Assert.Equal(3, fast.Codes.Length); // two categoricals and the 0/1 patterns
        Assert.Equal(6, fast.Parameters.Count(p => p.Cat == 2));
        var a = new double[fast.TermNames.Count];
        var b = new double[fast.TermNames.Count];
        for (int i = 0; i < c.Rows; i++)
        {
            fast.FillRow(i, a);
            matrix.FillRow(i, b);
            Assert.Equal(b, a);
        }
    }

    /// <summary>
    /// Seven 5-level categoricals and 0/1 group, period and interaction terms: groups of 125, 125 and 20 (the last
    /// categorical with the 4 observed 0/1 patterns), the last folded into the other two histograms as a satellite.
    /// </summary>
    [Theory]
    [InlineData(CovarianceType.Model)]
    [InlineData(CovarianceType.HC1)]
    public void Fast_WithASatelliteGroup_AgreesWithReference_AndAcrossThreadCounts(CovarianceType type)
    {
        const int rows = 20_000;
        var rng = new Random(11);
        var data = new ModelData(rows);
        var pilot = Enumerable.Range(0, rows).Select(_ => (double)rng.Next(2)).ToArray();
        var post = Enumerable.Range(0, rows).Select(_ => (double)rng.Next(2)).ToArray();
        var age = Enumerable.Range(0, rows).Select(_ => 18.0 + rng.Next(50)).ToArray();
        data.AddNumeric("pilot", pilot).AddNumeric("post", post).AddNumeric("age", age);
        var eta = Enumerable.Range(0, rows).Select(i => 0.2 * pilot[i] + 0.1 * post[i] + 0.3 * pilot[i] * post[i] - 0.01 * (age[i] - 40)).ToArray();
        var names = new List<string>();
        for (int c = 0; c < 7; c++)
        {
            var v = Enumerable.Range(0, rows).Select(_ => rng.Next(5)).Select(l => l == 0 ? null : ((char)('a' + l)).ToString()).ToArray();
            data.AddCategorical($"c{c}", v);
            names.Add($"c{c}");
            for (int i = 0; i < rows; i++) eta[i] += v[i] is null ? -0.1 : (v[i]![0] - 'a') * 0.1 - 0.2;
        }
        var y = eta.Select(e => rng.NextDouble() < 1 / (1 + Math.Exp(-e)) ? 1.0 : 0.0).ToArray();
        var spec = new ModelSpec(["pilot", "post", "age"], names, [("pilot", "post")]);
        var design = FastDesign.Build(data, spec);
        Assert.Equal(new[] { 125, 125, 20 }, design.Groups.Joint);
        Assert.Equal(2, design.Groups.Satellite);
        Assert.Equal(2, design.Groups.CrossGroups);
        Assert.Equal(new[] { 2500, 2500 }, design.Groups.HistJoint);
        var options = new LogisticOptions { Covariance = type };
        var fast = LogisticRegression.Fit(data, spec, y, options with { Implementation = Implementation.Fast });
        var reference = LogisticRegression.Fit(data, spec, y, options with { Implementation = Implementation.Reference });
        Assert.DoesNotContain(fast.Warnings, w => w.Contains("reference path"));
        Assert.True(Agree(reference, fast));
        var one = LogisticRegression.Fit(data, spec, y, options with { MaxDegreeOfParallelism = 1 });
        var two = LogisticRegression.Fit(data, spec, y, options with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Coefficients, two.Coefficients);
        Assert.Equal(one.Deviance, two.Deviance);
    }

    [Fact]
    public void Fast_HonoursTheEnvironmentSwitch()
    {
        Assert.Equal(Environment.GetEnvironmentVariable("EVALSTATS_IMPLEMENTATION") == "reference" ? Implementation.Reference : Implementation.Fast,
            LogisticOptions.DefaultImplementation);
    }
}

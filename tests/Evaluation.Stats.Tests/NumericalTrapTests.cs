using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Numerical traps give a documented result, never a silent NaN, on both implementations (a start on issue 6's list:
/// an outcome that is all 0 or all 1, n ≤ p).
/// </summary>
public class NumericalTrapTests
{
    private static readonly double[] X = Enumerable.Range(0, 50).Select(i => (i * 37 % 50) / 50.0).ToArray();

    private static void NoNaN(LogisticResult f)
    {
        foreach (var c in f.Coefficients.Where(c => !c.IsAliased))
            Assert.True(double.IsFinite(c.Estimate!.Value) && double.IsFinite(c.StdError!.Value) && c.PValue is >= 0 and <= 1, c.Term);
        Assert.True(double.IsFinite(f.Deviance) && double.IsFinite(f.Aic));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(double.NaN)]
    [InlineData(0.5)]
    [InlineData(-1.0)]
    public void OutcomeOtherThan0Or1_IsAnErrorNamingTheRow(double bad)
    {
        var y = X.Select(v => v > 0.5 ? 1.0 : 0.0).ToArray();
        y[37] = bad;
        var e = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(new ModelData(50).AddNumeric("x", X), new ModelSpec(["x"], [], []), y));
        Assert.Contains("Outcome in row 38 is", e.Message);
    }

    /// <summary>The vectorised outcome scan finds the same first bad row as a plain loop, for lengths around the vector widths and any bad value.</summary>
    [Property(MaxTest = 400)]
    [Trait("Category", "FastPath")]
    public FsCheck.Property OutcomeScan_FindsTheFirstBadRow()
    {
        var bads = Gen.Elements(2.0, double.NaN, 0.5, -1.0, double.PositiveInfinity, 1e-300, -0.0);
        var gen =
            from n in Gen.Choose(0, 40)
            from bits in Gen.ArrayOf(Gen.Elements(0.0, 1.0), n)
            from count in Gen.Choose(0, 3)
            from at in Gen.ArrayOf(Gen.Choose(0, Math.Max(0, n - 1)), count)
            from values in Gen.ArrayOf(bads, count)
            select (bits, at, values);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var y = (double[])t.bits.Clone();
            for (int k = 0; k < t.at.Length && y.Length > 0; k++) y[t.at[k]] = t.values[k];
            int expected = Array.FindIndex(y, v => v != 0.0 && v != 1.0); // -0 == 0, NaN is never equal
            return LogisticRegression.FirstNotZeroOrOne(y) == expected;
        });
    }

    [Fact]
    public void NegativeZeroOutcome_IsZero_AndTheNullDevianceCountsTheEvents()
    {
        var y = X.Select((v, i) => i % 3 == 0 ? 1.0 : 0.0).ToArray();
        var withNegativeZero = y.Select(v => v == 0 ? -0.0 : v).ToArray();
        var data = new ModelData(50).AddNumeric("x", X);
        var spec = new ModelSpec(["x"], [], []);
        var a = LogisticRegression.Fit(data, spec, y);
        var b = LogisticRegression.Fit(data, spec, withNegativeZero);
        Assert.Equal(a.Coefficients, b.Coefficients);
        // 17 events in 50 rows: the null deviance is −2 Σ log of the fitted mean.
        double m = 17 / 50.0;
        Assert.Equal(-2 * (17 * Math.Log(m) + 33 * Math.Log(1 - m)), b.NullDeviance, 1e-12);
    }

    [Theory]
    [InlineData(Implementation.Reference, 0.0)]
    [InlineData(Implementation.Fast, 0.0)]
    [InlineData(Implementation.Reference, 1.0)]
    [InlineData(Implementation.Fast, 1.0)]
    public void OutcomeAllTheSame_IsReportedAsSeparationOfTheIntercept(Implementation impl, double value)
    {
        var f = LogisticRegression.Fit(new ModelData(50).AddNumeric("x", X), new ModelSpec(["x"], [], []), Enumerable.Repeat(value, 50).ToArray(),
            new LogisticOptions { Implementation = impl });
        Assert.Contains("(Intercept)", f.Separation);
        Assert.Contains(f.Warnings, w => w.StartsWith("separation: 50 fitted probabilities", StringComparison.Ordinal));
        NoNaN(f);
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void MoreTermsThanRows_AliasesTheExtraTerms_AndSaysSo(Implementation impl)
    {
        var data = new ModelData(4);
        // x_j = (i + 1)^(j + 1): with the intercept, x0 to x2 span the 4 rows (a Vandermonde matrix); x3 and x4 cannot add to it.
        for (int j = 0; j < 5; j++) data.AddNumeric($"x{j}", Enumerable.Range(0, 4).Select(i => Math.Pow(i + 1, j + 1)).ToArray());
        var f = LogisticRegression.Fit(data, new ModelSpec(Enumerable.Range(0, 5).Select(j => $"x{j}").ToArray(), [], []), [1, 0, 1, 0],
            new LogisticOptions { Implementation = impl });
        Assert.Equal(["x3", "x4"], f.Aliased);
        Assert.Contains(f.Warnings, w => w.Contains("4 estimated terms for 4 rows"));
        NoNaN(f);
    }
}

/// <summary>Scales, near-singularity, a single-level categorical and rare events.</summary>
public class NumericalTrapTests2
{
    private static (double[] X1, double[] X2, double[] Y) Data(int n, int seed = 3)
    {
        var rng = new Random(seed);
        var x1 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var x2 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, n).Select(i => rng.NextDouble() < 1 / (1 + Math.Exp(-(0.3 + x1[i] - 0.5 * x2[i]))) ? 1.0 : 0.0).ToArray();
        return (x1, x2, y);
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void ColumnsOnScales1eMinus8And1e8_GiveScaledCoefficients(Implementation impl)
    {
        var (x1, x2, y) = Data(2000);
        var o = new LogisticOptions { Implementation = impl };
        var a = LogisticRegression.Fit(new ModelData(2000).AddNumeric("x1", x1).AddNumeric("x2", x2), new ModelSpec(["x1", "x2"], [], []), y, o);
        var b = LogisticRegression.Fit(new ModelData(2000).AddNumeric("x1", x1.Select(v => v * 1e-8).ToArray()).AddNumeric("x2", x2.Select(v => v * 1e8).ToArray()),
            new ModelSpec(["x1", "x2"], [], []), y, o);
        Assert.Empty(b.Aliased);
        Assert.Empty(b.Separation);
        Assert.Equal(a["x1"].Estimate!.Value * 1e8, b["x1"].Estimate!.Value, a["x1"].Estimate!.Value * 1e8 * 1e-8);
        Assert.Equal(a["x2"].Estimate!.Value * 1e-8, b["x2"].Estimate!.Value, Math.Abs(a["x2"].Estimate!.Value) * 1e-8 * 1e-8);
        Assert.Equal(a["x1"].PValue!.Value, b["x1"].PValue!.Value, 1e-9);
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void NearSingularDesign_ConditionNumber1e12_IsAliasedNotCrashed_AndNotCalledSeparation(Implementation impl)
    {
        // x3 = x1 + 1e-6·x2: with x1 and x3 in the model, x2 adds (almost) nothing; X'X has a condition number near 1e12.
        var (x1, x2, y) = Data(2000);
        var x3 = x1.Select((v, i) => v + 1e-6 * x2[i]).ToArray();
        var fit = LogisticRegression.Fit(new ModelData(2000).AddNumeric("x1", x1).AddNumeric("x3", x3).AddNumeric("x2", x2),
            new ModelSpec(["x1", "x3", "x2"], [], []), y, new LogisticOptions { Implementation = impl });
        Assert.Equal(["x2"], fit.Aliased);
        Assert.Empty(fit.Separation);
        Assert.True(fit.Converged);
        Assert.All(fit.Coefficients.Where(c => !c.IsAliased), c => Assert.True(double.IsFinite(c.StdError!.Value)));
        // Through the CLI the same data exits 0 and lists x2.
        var csv = "y,x1,x3,x2\n" + string.Join("\n", y.Select((v, i) => FormattableString.Invariant($"{v},{x1[i]:R},{x3[i]:R},{x2[i]:R}")));
        var (code, output, err) = CliTests.Run("logit", "--data", CliTests.Temp("d.csv", csv), "--outcome", "y", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"x2\"", output);
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void SingleLevelCategorical_AddsNoTerm(Implementation impl)
    {
        var (x1, _, y) = Data(500);
        var fit = LogisticRegression.Fit(new ModelData(500).AddNumeric("x1", x1).AddCategorical("g", Enumerable.Repeat("a", 500).ToArray()),
            new ModelSpec(["x1"], ["g"], []), y, new LogisticOptions { Implementation = impl });
        Assert.Equal(["(Intercept)", "x1"], fit.Coefficients.Select(c => c.Term));
        var without = LogisticRegression.Fit(new ModelData(500).AddNumeric("x1", x1), new ModelSpec(["x1"], [], []), y, new LogisticOptions { Implementation = impl });
        Assert.Equal(without["x1"].Estimate!.Value, fit["x1"].Estimate!.Value, 1e-12);
    }

    [Fact]
    public void RareEvents_OnePerThousandAtOneMillionRows_FitCleanly()
    {
        var rng = new Random(9);
        int n = 1_000_000;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextDouble() * 2 - 1;
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(-6.9 + 0.5 * x[i]))) ? 1 : 0;
        }
        var fit = LogisticRegression.Fit(new ModelData(n).AddNumeric("x", x), new ModelSpec(["x"], [], []), y);
        Assert.True(fit.Converged);
        Assert.Empty(fit.Separation);
        Assert.Empty(fit.Warnings);
        Assert.InRange(fit["(Intercept)"].Estimate!.Value, -6.9 - 4 * fit["(Intercept)"].StdError!.Value, -6.9 + 4 * fit["(Intercept)"].StdError!.Value);
        Assert.InRange(fit["x"].Estimate!.Value, 0.5 - 4 * fit["x"].StdError!.Value, 0.5 + 4 * fit["x"].StdError!.Value);
    }
}

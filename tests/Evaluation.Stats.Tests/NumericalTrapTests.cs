using Evaluation.Stats.Regression;

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

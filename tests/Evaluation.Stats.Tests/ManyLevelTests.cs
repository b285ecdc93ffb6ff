using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Many-level categoricals: the fast engine absorbs a categorical of at least
/// <see cref="IrlsLoop.DefaultAbsorbMinimumLevels"/> levels (a Schur-complement solve, its block of X'WX being diagonal);
/// it must agree with the reference engine's dense fit to 1e-10, be identical for any thread count, report aliasing,
/// and fail with a clear error (not an out-of-memory crash) where the dense matrix cannot be held.
/// </summary>
[Trait("Category", "FastPath")]
public class ManyLevelTests
{
    private static (ModelData Data, ModelSpec Spec, double[] Y) Design(int n, int levels, int seed, bool levelConstant = false)
    {
        var rng = new Random(seed);
        var effect = Enumerable.Range(0, levels).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var perLevel = Enumerable.Range(0, levels).Select(_ => rng.NextDouble()).ToArray();
        var x1 = new double[n];
        var z = new double[n];
        var area = new string?[n];
        var sex = new string?[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int l = i < levels ? i : rng.Next(levels); // every level occurs
            x1[i] = rng.NextDouble() * 2 - 1;
            z[i] = perLevel[l];
            area[i] = $"a{l:D4}";
            sex[i] = rng.Next(3) switch { 0 => "F", 1 => "M", _ => null };
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.3 + 0.8 * x1[i] + effect[l]))) ? 1 : 0;
        }
        var data = new ModelData(n).AddNumeric("x1", x1).AddCategorical("area", area).AddCategorical("sex", sex);
        if (levelConstant) data.AddNumeric("z", z);
        return (data, new ModelSpec(levelConstant ? ["x1", "z"] : ["x1"], ["area", "sex"], []), y);
    }

    private static void Agree(LogisticResult fast, LogisticResult reference, double tolerance)
    {
        Assert.Equal(reference.EstimableTerms.Count, fast.EstimableTerms.Count);
        Assert.True(Math.Abs(fast.Deviance - reference.Deviance) <= tolerance * reference.Deviance, $"deviance {fast.Deviance:R} vs {reference.Deviance:R}");
        // Separated terms (a level whose rows all have one outcome) have no finite estimate: both fits must name the
        // same ones; the comparison is over the well-posed terms.
        Assert.Equal(reference.Separation.Order(), fast.Separation.Order());
        foreach (var c in reference.Coefficients.Where(c => !c.IsAliased && !reference.Separation.Contains(c.Term)))
        {
            var f = fast[c.Term];
            Assert.True(Math.Abs(f.Estimate!.Value - c.Estimate!.Value) <= tolerance * (1 + Math.Abs(c.Estimate.Value)), $"{c.Term}: {f.Estimate:R} vs {c.Estimate:R}");
            Assert.True(Math.Abs(f.StdError!.Value - c.StdError!.Value) <= tolerance * c.StdError.Value, $"{c.Term} SE: {f.StdError:R} vs {c.StdError:R}");
        }
    }

    [Theory]
    [InlineData(1500, 80, 1)]
    [InlineData(3000, 300, 2)]
    public void AbsorbedCategorical_AgreesWithTheReferenceEngine_AndAcrossThreadCounts(int n, int levels, int seed)
    {
        var (data, spec, y) = Design(n, levels, seed);
        var model = new LogisticModel(data, spec, y);
        var fast = model.Fit(new LogisticOptions { Implementation = Implementation.Fast, MaxDegreeOfParallelism = 1 });
        var reference = model.Fit(new LogisticOptions { Implementation = Implementation.Reference });
        Agree(fast, reference, 1e-10);
        // The whole covariance, including entries between two levels and between a level and another term.
        var (l1, l2) = (WellPosed(reference, 1), WellPosed(reference, 2));
        foreach (var (a, b) in new[] { (l1, l2), (l1, l1), ("x1", l2), ("sex[M]", "x1") })
            Assert.True(Math.Abs(fast.CovarianceOf(a, b) - reference.CovarianceOf(a, b)) <= 1e-10 * Math.Sqrt(reference.CovarianceOf(a, a) * reference.CovarianceOf(b, b)), $"{a},{b}");
        var two = model.Fit(new LogisticOptions { Implementation = Implementation.Fast, MaxDegreeOfParallelism = 2 });
        Assert.Equal(fast.Coefficients.Select(c => c.Estimate), two.Coefficients.Select(c => c.Estimate));
        Assert.Equal(fast.Coefficients.Select(c => c.StdError), two.Coefficients.Select(c => c.StdError));
        Assert.Equal(fast.Deviance, two.Deviance);
    }

    private static string WellPosed(LogisticResult fit, int k) =>
        fit.EstimableTerms.Where(term => term.StartsWith("area[", StringComparison.Ordinal) && !fit.Separation.Contains(term)).ElementAt(k);

    [Fact]
    public void AbsorbedCategorical_ReportsALevelConstantCovariateAsAliased()
    {
        // z is constant within each area: z, the intercept and the area dummies are collinear. The reference (design
        // order, as R) keeps z and aliases a level; the absorbed fit keeps every level and aliases z. Either way one
        // term is aliased, it is reported, and the fitted model (its deviance) is the same.
        var (data, spec, y) = Design(1500, 80, 3, levelConstant: true);
        var model = new LogisticModel(data, spec, y);
        var fast = model.Fit(new LogisticOptions { Implementation = Implementation.Fast });
        var reference = model.Fit(new LogisticOptions { Implementation = Implementation.Reference });
        Assert.Equal(["z"], fast.Aliased);
        Assert.Single(reference.Aliased);
        Assert.Contains(fast.Warnings, w => w.Contains("aliased") && w.Contains('z'));
        Assert.True(Math.Abs(fast.Deviance - reference.Deviance) <= 1e-10 * reference.Deviance);
        Assert.True(Math.Abs(fast["x1"].Estimate!.Value - reference["x1"].Estimate!.Value) <= 1e-9);
    }

    [Fact]
    public void ADenseMatrixThatCannotBeHeld_IsAClearError()
    {
        // 9,000 levels: the fast engine absorbs them, but a robust covariance needs the dense 9,000² inverse, and the
        // reference engine a dense 9,000² information matrix: both refuse at once with a message, instead of running
        // out of memory (or for hours).
        var (data, spec, y) = Design(20_000, 9_000, 4);
        var model = new LogisticModel(data, spec, y);
        var fit = model.Fit(new LogisticOptions { Implementation = Implementation.Fast });
        Assert.True(fit.Converged || fit.Warnings.Count > 0);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(new LogisticOptions { Implementation = Implementation.Fast, Covariance = CovarianceType.HC1 }));
        Assert.Contains("cannot be held", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Fit(new LogisticOptions { Implementation = Implementation.Reference }));
        Assert.Contains("cannot be held", e.Message);
        Assert.Throws<InvalidOperationException>(() => fit.Covariance.ToArray());
    }
}

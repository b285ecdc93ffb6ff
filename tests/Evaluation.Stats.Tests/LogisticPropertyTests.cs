using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Invariances of the logistic fit under FsCheck (a start on issue 6's list): permuting rows changes nothing,
/// rescaling a numeric column by c scales its coefficient by 1/c, and duplicating every row keeps the coefficients
/// and divides the SEs by √2. Cases are kept well posed (see <see cref="FastPathAgreementTests.Bounded"/>).
/// </summary>
public class LogisticPropertyTests
{
    private static Arbitrary<FastPathAgreementTests.Case> Cases() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.Choose(300, 1500)
         from numeric in Gen.Choose(1, 5)
         from categorical in Gen.Choose(0, 2)
         select new FastPathAgreementTests.Case(seed, rows, numeric, categorical)).ToArbitrary();

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(1e-8, Math.Abs(a));

    private static ModelData Rebuild(ModelData data, ModelSpec spec, int[] rows, Func<string, double, double>? numeric = null)
    {
        var d = new ModelData(rows.Length);
        foreach (var n in spec.Numeric) d.AddNumeric(n, rows.Select(i => numeric is null ? data.Numeric(n)[i] : numeric(n, data.Numeric(n)[i])).ToArray());
        foreach (var c in spec.Categorical) d.AddCategorical(c, rows.Select(i => data.Categorical(c)[i]).ToArray());
        return d;
    }

    [Property(MaxTest = 25)]
    public Property PermutingRows_ChangesNothing() => Prop.ForAll(Cases(), c =>
    {
        var (data, spec, y) = c.Build();
        var order = Enumerable.Range(0, c.Rows).OrderBy(i => (i * 7919L + c.Seed) % c.Rows).ToArray();
        var a = LogisticRegression.Fit(data, spec, y);
        var b = LogisticRegression.Fit(Rebuild(data, spec, order), spec, order.Select(i => y[i]).ToArray());
        if (a.Separation.Count > 0) return true; // infinite MLE: nothing to compare
        return a.Coefficients.Zip(b.Coefficients).All(p => p.First.IsAliased == p.Second.IsAliased &&
            (p.First.IsAliased || Close(p.First.Estimate!.Value, p.Second.Estimate!.Value, 1e-9) && Close(p.First.StdError!.Value, p.Second.StdError!.Value, 1e-8)));
    });

    [Property(MaxTest = 25)]
    public Property RescalingAColumn_ScalesItsCoefficientInversely() => Prop.ForAll(Cases(), Gen.Elements(1e-3, 0.5, 7.0, 1e4).ToArbitrary(), (c, scale) =>
    {
        var (data, spec, y) = c.Build();
        var all = Enumerable.Range(0, c.Rows).ToArray();
        var a = LogisticRegression.Fit(data, spec, y);
        // x0 is rescaled; the interaction x0:x1 (when present) is rescaled with it.
        var b = LogisticRegression.Fit(Rebuild(data, spec, all, (n, v) => n == "x0" ? v * scale : v), spec, y);
        if (a.Separation.Count > 0) return true;
        return a.Coefficients.Zip(b.Coefficients).All(p =>
        {
            if (p.First.IsAliased || p.Second.IsAliased) return p.First.IsAliased == p.Second.IsAliased;
            double factor = p.First.Term is "x0" or "x0:x1" ? 1 / scale : 1;
            return Close(p.First.Estimate!.Value * factor, p.Second.Estimate!.Value, 1e-7) && Close(p.First.StdError!.Value * factor, p.Second.StdError!.Value, 1e-7);
        });
    });

    [Property(MaxTest = 25)]
    public Property DuplicatingEveryRow_KeepsCoefficients_AndShrinksSEsBySqrt2() => Prop.ForAll(Cases(), c =>
    {
        var (data, spec, y) = c.Build();
        var twice = Enumerable.Range(0, c.Rows).Concat(Enumerable.Range(0, c.Rows)).ToArray();
        var a = LogisticRegression.Fit(data, spec, y);
        var b = LogisticRegression.Fit(Rebuild(data, spec, twice), spec, twice.Select(i => y[i]).ToArray());
        if (a.Separation.Count > 0) return true;
        return a.Coefficients.Zip(b.Coefficients).All(p => p.First.IsAliased == p.Second.IsAliased &&
            (p.First.IsAliased || Close(p.First.Estimate!.Value, p.Second.Estimate!.Value, 1e-8) && Close(p.First.StdError!.Value / Math.Sqrt(2), p.Second.StdError!.Value, 1e-8)));
    });
}

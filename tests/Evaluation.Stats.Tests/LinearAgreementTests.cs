using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using Evaluation.Stats.Regression.Linear;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The fast OLS path (blocked parallel SIMD Gram, Cholesky, refinement; columnar sandwiches) and the reference
/// (Householder QR; MathNet sandwiches) agree on random formulas and data (FsCheck): sizes around the vector width
/// and the block and segment boundaries, categoricals with interactions, aliased columns, every covariance; and the
/// fast path is bit-identical for any thread count. CI runs this category again under AVX2 only and scalar.
/// </summary>
[Trait("Category", "FastPath")]
public class LinearAgreementTests
{
    private const double Relative = 1e-9;

    public sealed record Case(int Seed, int Rows, int Numeric, int Covariance, bool Alias)
    {
        public (FormulaDesign Design, double[] Y, CovarianceOptions Covariance) Build()
        {
            var rng = new Random(Seed);
            var data = new ModelData(Rows);
            var y = new double[Rows];
            var terms = new List<string>();
            for (int j = 0; j < Numeric; j++)
            {
                var v = Enumerable.Range(0, Rows).Select(_ => rng.NextDouble() * 6 - 1).ToArray();
                data.AddNumeric($"x{j}", v);
                terms.Add($"x{j}");
                for (int i = 0; i < Rows; i++) y[i] += (rng.NextDouble() - 0.5) * v[i];
            }
            if (Alias) { data.AddNumeric("dup", Enumerable.Range(0, Rows).Select(i => 2 * data.Numeric("x0")[i] + 1).ToArray()); terms.Add("dup"); }
            var f = Enumerable.Range(0, Rows).Select(_ => ((char)('a' + rng.Next(3))).ToString()).ToArray();
            var site = Enumerable.Range(0, Rows).Select(_ => $"s{rng.Next(7)}").ToArray();
            var week = Enumerable.Range(0, Rows).Select(_ => $"w{rng.Next(5)}").ToArray();
            data.AddCategorical("f", f).AddCategorical("site", site).AddCategorical("week", week);
            for (int i = 0; i < Rows; i++) y[i] += (f[i] == "b" ? 0.5 : 0) + rng.NextDouble() * (1 + Math.Abs(y[i]));
            var formula = $"y ~ {string.Join(" + ", terms)} + x0*C(f, ref='c')";
            var covariance = Covariance switch
            {
                0 => CovarianceOptions.Model,
                1 => CovarianceOptions.Robust(CovarianceType.HC0),
                2 => CovarianceOptions.Robust(CovarianceType.HC1),
                3 => CovarianceOptions.Robust(CovarianceType.HC2),
                4 => CovarianceOptions.Robust(CovarianceType.HC3),
                5 => CovarianceOptions.Cluster(site),
                _ => CovarianceOptions.Cluster(site, week),
            };
            return (ModelFormula.Parse(formula).Expand(data), y, covariance);
        }
    }

    private static Arbitrary<Case> Cases() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.OneOf(Gen.Choose(30, 70), Gen.Elements(63, 64, 65, 511, 512, 513, 16_383, 16_384, 16_385), Gen.Choose(500, 3000))
         from numeric in Gen.Choose(1, 8)
         from covariance in Gen.Choose(0, 6)
         from alias in Gen.Elements(false, true)
         select new Case(seed, rows, numeric, covariance, alias)).ToArbitrary();

    private static LinearResult Fit(Case c, Implementation implementation, int threads = 0)
    {
        var (design, y, covariance) = c.Build();
        return LinearModel.Fit(design, y, new LinearOptions { Covariance = covariance, Implementation = implementation, MaxDegreeOfParallelism = threads });
    }

    private static bool Close(double? a, double? b) =>
        a.HasValue == b.HasValue && (a is not double x || (double.IsNaN(x) && double.IsNaN(b!.Value)) || Math.Abs(x - b!.Value) <= Relative * Math.Max(1, Math.Abs(x)));

    [Property(MaxTest = 60)]
    public Property FastAndReference_Agree() => Prop.ForAll(Cases(), c =>
    {
        var fast = Fit(c, Implementation.Fast);
        var reference = Fit(c, Implementation.Reference);
        bool same = fast.Coefficients.Zip(reference.Coefficients).All(p =>
            p.First.Term == p.Second.Term && Close(p.First.Estimate, p.Second.Estimate) && Close(p.First.StdError, p.Second.StdError)
            && Close(p.First.PValue, p.Second.PValue) && Close(p.First.CiLower, p.Second.CiLower));
        return (same && fast.Aliased.SequenceEqual(reference.Aliased) && Close(fast.Sigma, reference.Sigma) && Close(fast.RSquared, reference.RSquared))
            .Label($"{c}: fast {string.Join(", ", fast.Coefficients.Select(x => $"{x.Estimate}±{x.StdError}"))}; reference {string.Join(", ", reference.Coefficients.Select(x => $"{x.Estimate}±{x.StdError}"))}");
    });

    [Property(MaxTest = 15)]
    public Property Fast_IsBitIdentical_AcrossThreadCounts() => Prop.ForAll(Cases(), c =>
    {
        var one = Fit(c, Implementation.Fast, 1); // NaN (a two-way variance below 0) equals itself in a record's Equals
        var all = Fit(c, Implementation.Fast, 0);
        return one.Coefficients.SequenceEqual(all.Coefficients).Label(c.ToString());
    });
}

using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// The readable sandwich estimators on MathNet dense matrices, written to be read against R's
/// <c>sandwich::meatHC</c> and <c>meatCL</c>: V = B M B with B = (X'WX)⁻¹ and M the meat.
/// </summary>
internal static class ReferenceSandwich
{
    /// <param name="x">The n × k design of the estimated terms.</param>
    /// <param name="e">The score residuals (OLS residuals; y − μ for the logit).</param>
    /// <param name="w">The working weights (<c>null</c>: all 1), used for the leverage of HC2 and HC3.</param>
    /// <param name="bread">(X'WX)⁻¹.</param>
    /// <param name="o">The estimator (not <see cref="CovarianceType.Model"/>).</param>
    internal static Matrix<double> Compute(Matrix<double> x, Vector<double> e, Vector<double>? w, Matrix<double> bread, CovarianceOptions o)
    {
        int n = x.RowCount, k = x.ColumnCount;
        if (o.Type == CovarianceType.Cluster)
        {
            var v = Matrix<double>.Build.Dense(k, k);
            foreach (var term in ClusterTerms.Build(o, n))
            {
                var scores = ClusterLeverage.Applies(o)
                    ? Vector<double>.Build.Dense(ClusterLeverage.Adjusted(x.ToColumnArrays(), e.ToArray(), w?.ToArray(), bread.ToRowMajorArray(), term.Codes, term.Clusters, o.ClusterType))
                    : e;
                var sums = Matrix<double>.Build.Dense(term.Clusters, k);
                for (int i = 0; i < n; i++) sums.SetRow(term.Codes[i], sums.Row(term.Codes[i]) + x.Row(i) * scores[i]);
                v += bread * sums.TransposeThisAndMultiply(sums) * bread * (term.Sign * term.Adjustment * ClusterLeverage.TermFactor(o, term.Clusters));
            }
            return v * ClusterTerms.Final(o, n, k);
        }
        var omega = Vector<double>.Build.Dense(n, i =>
        {
            double h = 0;
            if (o.Type is CovarianceType.HC2 or CovarianceType.HC3)
            {
                var xi = x.Row(i);
                h = (w?[i] ?? 1.0) * (xi * bread * xi);
            }
            return ClusterTerms.Omega(o.Type, e[i], h);
        });
        var xw = x.Clone();
        xw.MapIndexedInplace((i, _, value) => value * omega[i]);
        var meat = xw.TransposeThisAndMultiply(x);
        return bread * meat * bread * ClusterTerms.HcFactor(o.Type, n, k);
    }
}

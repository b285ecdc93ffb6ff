using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// The sandwich estimators of <see cref="ReferenceSandwich"/> on columnar data: the meat X'ΩX by the parallel,
/// blocked SIMD Gram pass, leverages by one pass, and cluster score sums by one sequential pass per clustering
/// (then the Gram of the G × k sums).
/// </summary>
internal static class FastSandwich
{
    /// <param name="x">The k columns of the estimated terms, each of length n.</param>
    /// <param name="e">The score residuals.</param>
    /// <param name="w">The working weights (<c>null</c>: all 1), for the leverages of HC2 and HC3.</param>
    /// <param name="bread">(X'WX)⁻¹, k × k row-major.</param>
    /// <param name="o">The estimator (not <see cref="CovarianceType.Model"/>).</param>
    /// <param name="threads">Threads (0: every processor).</param>
    /// <returns>The covariance, k × k row-major.</returns>
    internal static double[] Compute(double[][] x, double[] e, double[]? w, double[] bread, CovarianceOptions o, int threads)
    {
        int k = x.Length, n = e.Length;
        var meat = new double[k * k];
        double factor;
        if (o.Type == CovarianceType.Cluster)
        {
            foreach (var term in ClusterTerms.Build(o, n))
            {
                var scores = ClusterLeverage.Applies(o) ? ClusterLeverage.Adjusted(x, e, w, bread, term.Codes, term.Clusters, o.ClusterType) : e;
                var sums = new double[k][];
                for (int j = 0; j < k; j++)
                {
                    var s = sums[j] = new double[term.Clusters];
                    var xj = x[j];
                    var codes = term.Codes;
                    for (int i = 0; i < n; i++) s[codes[i]] += xj[i] * scores[i];
                }
                var g = ColumnGram.Gram(sums, null, threads);
                double scale = term.Sign * term.Adjustment * ClusterLeverage.TermFactor(o, term.Clusters);
                for (int q = 0; q < meat.Length; q++) meat[q] += scale * g[q];
            }
            factor = ClusterTerms.Final(o, n, k);
        }
        else
        {
            var h = o.Type is CovarianceType.HC2 or CovarianceType.HC3 ? ColumnGram.Leverages(x, bread, w, threads) : null;
            var omega = new double[n];
            for (int i = 0; i < n; i++) omega[i] = ClusterTerms.Omega(o.Type, e[i], h?[i] ?? 0);
            meat = ColumnGram.Gram(x, omega, threads);
            factor = ClusterTerms.HcFactor(o.Type, n, k);
        }
        var v = Multiply(Multiply(bread, meat, k), bread, k);
        for (int q = 0; q < v.Length; q++) v[q] *= factor;
        return v;
    }

    private static double[] Multiply(double[] a, double[] b, int k)
    {
        var c = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int m = 0; m < k; m++)
            {
                double aim = a[i * k + m];
                for (int j = 0; j < k; j++) c[i * k + j] += aim * b[m * k + j];
            }
        return c;
    }
}

using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// The clustered HC2 and HC3 of Bell and McCaffrey (2002), as <c>sandwich::meatCL(type = "HC2"/"HC3")</c> computes
/// them for <c>lm</c> and <c>glm</c>: each cluster g's score residuals e_g become M_g e_g, with H_gg = X_g B X_g' W_g the
/// cluster's block of the hat matrix (B = (X'WX)⁻¹, W the working weights, 1 for OLS) and M_g = (I − H_gg)^(−1/2)
/// for HC2 (the principal power, by eigendecomposition) or (I − H_gg)⁻¹ for HC3. The cluster's score sum is then
/// X_g' M_g e_g and its outer products are scaled by (G − 1)/G, which cancels the usual G/(G − 1): sandwich's
/// convention with <c>cadjust = TRUE</c>. A singleton cluster gets 1/√(1 − h_i) or 1/(1 − h_i), the unclustered HC2/HC3.
/// </summary>
internal static class ClusterLeverage
{
    /// <summary>The most rows one cluster may have: its block of the hat matrix is dense, m × m, and decomposed in O(m³).</summary>
    internal const int MaxClusterRows = 2_000;

    /// <summary>Eigenvalues of I − H_gg below this count as 0, as sandwich's <c>matrixpower</c> (ε^(1/1.3)).</summary>
    private static readonly double EigenTolerance = Math.Pow(2.220446049250313e-16, 1 / 1.3);

    /// <summary>True when the options ask for a clustered HC2 or HC3.</summary>
    internal static bool Applies(CovarianceOptions o) =>
        o.Type == CovarianceType.Cluster && o.ClusterType is CovarianceType.HC2 or CovarianceType.HC3;

    /// <summary>The factor of one clustering term's outer products: (G − 1)/G for HC2 and HC3, else 1.</summary>
    internal static double TermFactor(CovarianceOptions o, int clusters) => Applies(o) ? (clusters - 1.0) / clusters : 1.0;

    /// <summary>The adjusted score residuals M_g e_g of every row, for one clustering (its rows' codes 0 to G − 1).</summary>
    /// <param name="x">The k columns of the estimated terms.</param>
    /// <param name="e">The score residuals.</param>
    /// <param name="w">The working weights (<c>null</c>: all 1, and H_gg is symmetric).</param>
    /// <param name="bread">(X'WX)⁻¹, k × k row-major.</param>
    /// <param name="codes">Each row's cluster.</param>
    /// <param name="clusters">G.</param>
    /// <param name="type">HC2 or HC3.</param>
    /// <exception cref="ArgumentException">When a cluster has more than <see cref="MaxClusterRows"/> rows.</exception>
    internal static double[] Adjusted(double[][] x, double[] e, double[]? w, double[] bread, int[] codes, int clusters, CovarianceType type)
    {
        int n = e.Length, k = x.Length;
        var start = new int[clusters + 1];
        foreach (int c in codes) start[c + 1]++;
        for (int g = 0; g < clusters; g++) start[g + 1] += start[g];
        var rows = new int[n];
        var next = (int[])start.Clone();
        for (int i = 0; i < n; i++) rows[next[codes[i]]++] = i;
        var b = Matrix<double>.Build.Dense(k, k, (r, c) => bread[r * k + c]);
        var adjusted = new double[n];
        for (int g = 0; g < clusters; g++)
        {
            int s = start[g], m = start[g + 1] - s;
            if (m > MaxClusterRows)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Clustered {type} needs each cluster's {m} × {m} block of the hat matrix, and a cluster has {m:N0} rows (at most {MaxClusterRows:N0}); use HC0 or HC1 clustering for clusters this large."));
            var xg = Matrix<double>.Build.Dense(m, k, (a, j) => x[j][rows[s + a]]);
            var h = xg * b * xg.Transpose();
            if (w is not null) h.MapIndexedInplace((_, c, v) => v * w[rows[s + c]]);
            var identityMinusH = Matrix<double>.Build.DenseIdentity(m) - h;
            var eg = Vector<double>.Build.Dense(m, a => e[rows[s + a]]);
            var result = type == CovarianceType.HC3 ? identityMinusH.Solve(eg) : InverseSquareRoot(identityMinusH, symmetric: w is null) * eg;
            for (int a = 0; a < m; a++) adjusted[rows[s + a]] = result[a];
        }
        return adjusted;
    }

    /// <summary>
    /// A^(−1/2) by eigendecomposition, as sandwich's <c>matrixpower</c>: for the weighted (glm) case A = I − X B X' W
    /// is not symmetric but is similar to a symmetric positive definite matrix, so its eigenvalues are real and positive.
    /// </summary>
    private static Matrix<double> InverseSquareRoot(Matrix<double> a, bool symmetric)
    {
        if (a.RowCount == 1) return Matrix<double>.Build.Dense(1, 1, Math.Pow(a[0, 0], -0.5));
        var evd = a.Evd(symmetric ? Symmetricity.Symmetric : Symmetricity.Asymmetric);
        var powers = Vector<double>.Build.Dense(a.RowCount, i =>
        {
            double lambda = evd.EigenValues[i].Real;
            return Math.Pow(lambda < EigenTolerance ? 0 : lambda, -0.5);
        });
        var v = evd.EigenVectors;
        var scaled = v.Clone();
        scaled.MapIndexedInplace((_, c, value) => value * powers[c]);
        return symmetric ? scaled * v.Transpose() : scaled * v.Inverse();
    }
}

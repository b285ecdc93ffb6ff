using Evaluation.Stats.Numerics;
using Evaluation.Stats.Regression.Linear;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// Any <see cref="CovarianceOptions"/> estimator (HC0–HC3, one- or two-way cluster) for a logistic fit, computed at its
/// converged coefficients: bread (X'WX)⁻¹ with R's working weights, score residuals y − μ, leverages
/// w_i x_i' (X'WX)⁻¹ x_i (R's <c>hatvalues(glm)</c>), exactly as <c>sandwich</c> treats a <c>glm</c>.
/// </summary>
public static class LogisticCovariance
{
    /// <summary>
    /// The fit <paramref name="fit"/> of <paramref name="y"/> on <paramref name="design"/>, with its covariance, standard
    /// errors, z, p and intervals replaced by those of <paramref name="covariance"/> (at the fit's confidence level).
    /// </summary>
    /// <exception cref="ArgumentException">When the design, outcomes and fit disagree in size, or the covariance options do not fit the data.</exception>
    public static LogisticResult Apply(LogisticResult fit, IDesignRows design, IReadOnlyList<double> y, CovarianceOptions covariance)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(covariance);
        int n = design.Rows, k = fit.Kept.Length;
        if (y.Count != n || fit.N != n) throw new ArgumentException($"The fit has {fit.N} rows, the design {n} and the outcome {y.Count}.");
        if (!design.TermNames.SequenceEqual(fit.Coefficients.Select(c => c.Term))) throw new ArgumentException("The design's terms are not the fit's.", nameof(design));
        covariance.Validate(n);

        // The estimated columns, the fitted μ, the score residuals and R's working weights.
        var x = new double[k][];
        for (int m = 0; m < k; m++) x[m] = new double[n];
        var row = new double[design.TermNames.Count];
        var e = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            design.FillRow(i, row);
            double eta = 0;
            for (int m = 0; m < k; m++) { x[m][i] = row[fit.Kept[m]]; eta += x[m][i] * fit.Beta[m]; }
            double mu = LogisticRegression.LinkInverse(eta), d = LogisticRegression.MuEta(eta);
            e[i] = y[i] - mu;
            w[i] = d * d / (mu * (1 - mu));
        }
        var bread = SmallDense.Inverse(ColumnGram.Gram(x, w, fit.Options.MaxDegreeOfParallelism), k);
        double[] v;
        if (covariance.Type == CovarianceType.Model) v = bread;
        else if (fit.Options.Implementation == Implementation.Reference)
            v = ReferenceSandwich.Compute(Matrix<double>.Build.DenseOfColumnArrays(x), Vector<double>.Build.Dense(e), Vector<double>.Build.Dense(w),
                Matrix<double>.Build.Dense(k, k, (r, c) => bread[r * k + c]), covariance).ToRowMajorArray();
        else v = FastSandwich.Compute(x, e, w, bread, covariance, fit.Options.MaxDegreeOfParallelism);

        var options = fit.Options with { Covariance = covariance.Type, Clusters = covariance.Type == CovarianceType.Cluster ? (IReadOnlyList<string>)covariance.Clusters[0] : null };
        var warnings = fit.Warnings.ToList();
        if (covariance.Type == CovarianceType.Cluster && covariance.Clusters.Count > 1)
            warnings.Add($"standard errors: {covariance.Describe()}, two-way cluster-robust (Cameron, Gelbach and Miller)");
        return LogisticRegression.Result(fit.Coefficients.Select(c => c.Term).ToArray(), fit.Kept, fit.Beta, v, fit.Deviance, fit.NullDeviance,
            fit.Iterations, fit.Converged, n, fit.Separation, warnings, options);
    }
}

using Evaluation.Stats.Numerics;
using Evaluation.Stats.Regression.Linear;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// Any <see cref="CovarianceOptions"/> estimator (HC0–HC3, one- or two-way cluster) for a binomial fit, computed at its
/// converged coefficients exactly as <c>sandwich</c> treats a <c>glm</c>: bread (X'WX)⁻¹ with R's working weights
/// w = m μ'²/(μ(1 − μ)) (m the prior weight, μ' = dμ/dη), score residuals m (y − μ) μ'/(μ(1 − μ)) (<c>estfun.glm</c>;
/// y − μ for 0/1 records and the logit), leverages w_i x_i' (X'WX)⁻¹ x_i (<c>hatvalues(glm)</c>). Any link, prior
/// weights and offsets of the model are used.
/// </summary>
public static class LogisticCovariance
{
    /// <summary>
    /// <paramref name="fit"/> (a fit of <paramref name="model"/>) with its covariance, standard errors, z, p and
    /// intervals replaced by those of <paramref name="covariance"/>, at the fit's confidence level.
    /// </summary>
    /// <exception cref="ArgumentException">When the fit is not of this model, or the covariance options do not fit the data.</exception>
    public static LogisticResult Apply(LogisticModel model, LogisticResult fit, CovarianceOptions covariance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(covariance);
        var design = model.DesignRows();
        var outcome = model.Response;
        int n = design.Rows, k = fit.Kept.Length;
        if (fit.N != n || !design.TermNames.SequenceEqual(fit.Coefficients.Select(c => c.Term)))
            throw new ArgumentException("The fit is not a fit of this model (its rows or terms differ).", nameof(fit));
        covariance.Validate(n);
        var link = Links.Of(fit.Options.Link);

        var x = new double[k][];
        for (int m = 0; m < k; m++) x[m] = new double[n];
        var row = new double[design.TermNames.Count];
        var e = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            design.FillRow(i, row);
            double eta = outcome.OffsetOf(i);
            for (int m = 0; m < k; m++) { x[m][i] = row[fit.Kept[m]]; eta += x[m][i] * fit.Beta[m]; }
            double mu = link.Inverse(eta), d = link.Derivative(eta), variance = mu * (1 - mu), prior = outcome.WeightOf(i);
            e[i] = prior * (outcome.Y[i] - mu) * d / variance;
            w[i] = prior * d * d / variance;
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
        return LogisticResult.Create(fit.Coefficients.Select(c => c.Term).ToArray(), fit.Kept, fit.Beta, new DenseCovariance(v, k), fit.LogLikelihood, fit.Deviance, fit.NullDeviance,
            fit.Iterations, fit.Converged, n, fit.Separation, warnings, options).WithCovarianceText(covariance.Describe());
    }
}

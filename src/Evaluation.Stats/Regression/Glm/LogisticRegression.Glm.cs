using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

// Binomial GLMs beyond the 0/1 logit: frequency weights, trials, offsets and the probit and cloglog links.
public static partial class LogisticRegression
{
    /// <summary>
    /// Fits a binomial GLM: R's <c>glm(y ~ x + offset(o), binomial(link), weights = w)</c>, or with trials
    /// <c>glm(cbind(y, t − y) ~ …)</c>. The link is <see cref="LogisticOptions.Link"/>. Estimates, model and robust
    /// standard errors (at the converged coefficients), deviance, null deviance (with an offset: of the intercept-only
    /// fit with that offset, as R) and log-likelihood (with the binomial coefficients of grouped rows) are R's. Without
    /// weights, trials or offset and with the logit link this is <see cref="Fit(Matrix{double}, IReadOnlyList{string}, IReadOnlyList{double}, LogisticOptions?)"/>
    /// (either engine); otherwise the reference engine fits it (the fast engine's kernels are the 0/1 logit's).
    /// </summary>
    /// <param name="x">The design, with an intercept column named <c>(Intercept)</c> if wanted.</param>
    /// <param name="names">The column names.</param>
    /// <param name="y">The outcome: 0/1, or events with trials.</param>
    /// <param name="inputs">Weights, trials and offset, each optional.</param>
    /// <param name="options">Tolerance, link, Firth, covariance (model, HC0, HC1, cluster: per row) and confidence level.</param>
    /// <exception cref="ArgumentException">When sizes disagree or a value is out of range (the message names the row).</exception>
    public static LogisticResult Fit(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, BinomialInputs inputs, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= LogisticOptions.Default;
        if (inputs.IsDefault && options.Link == LinkKind.Logit) return Fit(x, names, y, options);
        if (names.Count != x.ColumnCount) throw new ArgumentException($"{names.Count} names for {x.ColumnCount} columns.", nameof(names));
        if (y.Count != x.RowCount) throw new ArgumentException($"{y.Count} outcomes for {x.RowCount} rows.", nameof(y));
        if (x.RowCount == 0) throw new ArgumentException("There are no rows to fit.", nameof(y));
        if (names.Count == 0) throw new ArgumentException("The model has no terms.", nameof(names));
        if (options.Covariance == CovarianceType.Cluster && (options.Clusters is null || options.Clusters.Count != x.RowCount))
            throw new ArgumentException("Cluster-robust standard errors need one cluster label per row.", nameof(options));
        inputs.Validate(y);
        for (int i = 0; i < x.RowCount; i++)
            for (int j = 0; j < x.ColumnCount; j++)
                if (!double.IsFinite(x[i, j])) throw new ArgumentException($"Design value in row {i + 1}, column '{names[j]}' is not finite.", nameof(x));
        return FitGlm(x, names, y, inputs, options);
    }

    /// <summary>The reference binomial GLM after validation.</summary>
    private static LogisticResult FitGlm(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, BinomialInputs inputs, LogisticOptions options)
    {
        int n = x.RowCount;
        var link = BinomialLink.Of(options.Link);
        var weights = Enumerable.Range(0, n).Select(i => inputs.Weights?[i] ?? 1).ToArray();
        var trials = Enumerable.Range(0, n).Select(i => inputs.Trials?[i] ?? 1).ToArray();
        var offset = Enumerable.Range(0, n).Select(i => inputs.Offset?[i] ?? 0).ToArray();

        var warnings = new List<string>();
        int[] kept = NonAliasedColumns(x, options.AliasTolerance);
        var aliased = Enumerable.Range(0, x.ColumnCount).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        var rows = new BinomialGlm.Rows(Matrix<double>.Build.Dense(n, kept.Length, (i, j) => x[i, kept[j]]),
            Enumerable.Range(0, n).Select(i => y[i] / trials[i]).ToArray(), weights.Zip(trials, (w, t) => w * t).ToArray(), offset, link);
        int p = kept.Length;

        var (beta, iterations, converged) = options.Firth
            ? BinomialGlm.AdjustedScore(rows, Math.Max(options.MaxIterations, 200))
            : BinomialGlm.Irls(rows, options.Tolerance, options.MaxIterations);
        if (!converged) warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
        var eta = rows.Eta(beta);
        int extreme = Enumerable.Range(0, n).Count(i => rows.M[i] > 0 && link.Mu(eta[i]) is < 1e-10 or > 1 - 1e-10);
        if (options.Firth)
            warnings.Add("Firth's bias-reduced fit (mean-bias-reducing adjusted score): the deviance and log-likelihood are the ordinary ones at these estimates");
        else if (extreme > 0)
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10; the estimates of the terms involved diverge (their maximum-likelihood estimates are infinite); consider Firth's bias-reduced fit");

        var bread = BinomialGlm.Bread(rows, beta);
        var covariance = options.Covariance switch
        {
            CovarianceType.Model => bread,
            CovarianceType.HC0 or CovarianceType.HC1 => Meat(bread, BinomialGlm.Scores(rows, beta)) * (options.Covariance == CovarianceType.HC1 ? (double)n / (n - p) : 1),
            CovarianceType.Cluster => ClusterOf(bread, BinomialGlm.Scores(rows, beta), options.Clusters!, n),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        var cov = new double[p * p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) cov[a * p + b] = covariance[a, b];

        double deviance = BinomialGlm.Deviance(rows.Y, rows.M, i => link.Mu(eta[i]));
        double nullDeviance = NullDevianceGlm(x, names, rows, options);
        double logLikelihood = BinomialGlm.LogLikelihood(rows, weights, trials, eta);
        return GlmResult(Result(names, kept, beta.ToArray(), cov, deviance, nullDeviance, iterations, converged, n, [], warnings, options), logLikelihood);
    }

    /// <summary>The deviance of the intercept-only fit (with the same offset and weights), or of μ = μ(offset) without an intercept.</summary>
    private static double NullDevianceGlm(Matrix<double> x, IReadOnlyList<string> names, BinomialGlm.Rows rows, LogisticOptions options)
    {
        bool intercept = names[0] == "(Intercept)" && x.Column(0).All(v => v == 1);
        if (!intercept) return BinomialGlm.Deviance(rows.Y, rows.M, i => rows.Link.Mu(rows.Offset[i]));
        if (rows.Offset.All(o => o == 0))
        {
            double pooled = rows.M.Zip(rows.Y, (m, y) => m * y).Sum() / rows.M.Sum();
            return BinomialGlm.Deviance(rows.Y, rows.M, _ => pooled);
        }
        var ones = rows with { X = Matrix<double>.Build.Dense(rows.N, 1, 1.0) };
        var (b, _, _) = BinomialGlm.Irls(ones, options.Tolerance, options.MaxIterations);
        var eta = ones.Eta(b);
        return BinomialGlm.Deviance(rows.Y, rows.M, i => rows.Link.Mu(eta[i]));
    }

    private static Matrix<double> Meat(Matrix<double> bread, Matrix<double> scores) => bread * scores.TransposeThisAndMultiply(scores) * bread;

    private static Matrix<double> ClusterOf(Matrix<double> bread, Matrix<double> scores, IReadOnlyList<string> clusters, double n)
    {
        var (codes, count) = BinomialGlm.ClusterCodes(clusters);
        return BinomialGlm.ClusterSandwich(bread, scores, codes, count, n);
    }

    /// <summary>The result with the binomial log-likelihood, and without odds ratios unless the link is the logit.</summary>
    internal static LogisticResult GlmResult(LogisticResult r, double logLikelihood)
    {
        var coefficients = r.Options.Link == LinkKind.Logit ? r.Coefficients : r.Coefficients.Select(c => c with { OddsRatio = null }).ToArray();
        return new LogisticResult(coefficients, r.EstimableTerms.ToArray(), r.Covariance, logLikelihood, r.Deviance, r.NullDeviance, r.Iterations,
            r.Converged, r.N, r.Separation, r.Warnings, r.Options, r.Beta, r.Kept);
    }
}

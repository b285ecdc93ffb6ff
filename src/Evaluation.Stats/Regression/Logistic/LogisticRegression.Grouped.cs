using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

// Grouped-binomial fitting (events of n trials per row), kept in its own file so that the 0/1 engine is untouched.
public static partial class LogisticRegression
{
    /// <summary>
    /// Fits a grouped binomial logistic regression: row i has <paramref name="events"/>[i] events in
    /// <paramref name="trials"/>[i] trials. This is R's <c>glm(cbind(events, trials − events) ~ x, binomial)</c>: the
    /// response is the proportion <c>y = events/trials</c> with prior weights <c>trials</c>, so the estimates, standard
    /// errors, deviance, null deviance, log-likelihood (with its binomial coefficients) and AIC are R's. A row of
    /// cells fits in the time of a few rows, so it is also the route to fast fits of records compressed to their
    /// distinct covariate patterns: the coefficients and standard errors equal those of the 0/1 fit of the records.
    /// </summary>
    /// <param name="x">The design, one row per group, with an intercept column named <c>(Intercept)</c> if wanted.</param>
    /// <param name="names">The column names.</param>
    /// <param name="events">Events per row, 0 to its trials.</param>
    /// <param name="trials">Trials per row, at least 1 (drop empty groups: they carry no information).</param>
    /// <param name="options">Tolerance, iterations, alias tolerance and confidence level. The reference IRLS always fits it
    /// (a grouped design is small); only the model covariance is offered, and not Firth's fit.</param>
    /// <exception cref="ArgumentException">When sizes disagree, a count is out of range, a value is not finite, or an
    /// unsupported option (robust covariance, Firth) is asked for.</exception>
    public static LogisticResult FitGrouped(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(trials);
        options ??= LogisticOptions.Default;
        int n = x.RowCount;
        if (names.Count != x.ColumnCount) throw new ArgumentException($"{names.Count} names for {x.ColumnCount} columns.", nameof(names));
        if (events.Count != n || trials.Count != n) throw new ArgumentException($"{events.Count} event counts and {trials.Count} trial counts for {n} rows.", nameof(events));
        if (n == 0) throw new ArgumentException("There are no rows to fit.", nameof(x));
        if (names.Count == 0) throw new ArgumentException("The model has no terms.", nameof(names));
        if (options.Firth) throw new ArgumentException("Firth's fit is not offered for grouped data; expand the groups to 0/1 rows.", nameof(options));
        if (options.Covariance != CovarianceType.Model) throw new ArgumentException("Grouped fits offer the model covariance only.", nameof(options));
        for (int i = 0; i < n; i++)
        {
            if (trials[i] < 1) throw new ArgumentException($"Row {i + 1} has {trials[i]} trials; a group needs at least 1 (drop empty groups).", nameof(trials));
            if (events[i] < 0 || events[i] > trials[i]) throw new ArgumentException($"Row {i + 1} has {events[i]} events in {trials[i]} trials; events must lie in 0..trials.", nameof(events));
            for (int j = 0; j < x.ColumnCount; j++)
                if (!double.IsFinite(x[i, j])) throw new ArgumentException($"Design value in row {i + 1}, column '{names[j]}' is not finite.", nameof(x));
        }

        var warnings = new List<string>();
        int[] kept = NonAliasedColumns(x, options.AliasTolerance);
        var aliased = Enumerable.Range(0, x.ColumnCount).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        var xk = Matrix<double>.Build.Dense(n, kept.Length, (i, j) => x[i, kept[j]]);
        var m = Vector<double>.Build.Dense(n, i => trials[i]);
        var y = Vector<double>.Build.Dense(n, i => (double)events[i] / trials[i]);

        // R's glm.fit: mustart = (m y + 1/2)/(m + 1); IRLS with working weights m μ'(η)²/(μ(1−μ)); step-halving when the
        // deviance is not finite; converged when |dev − dev_old|/(|dev| + 0.1) < tolerance.
        var mu = Vector<double>.Build.Dense(n, i => (m[i] * y[i] + 0.5) / (m[i] + 1));
        var eta = mu.Map(v => Math.Log(v / (1 - v)));
        double devOld = GroupedDeviance(y, m, mu);
        Vector<double>? beta = null;
        int iterations = 0;
        bool converged = false;
        while (iterations < options.MaxIterations && !converged)
        {
            iterations++;
            var next = GroupedStep(xk, y, m, eta);
            var etaNew = xk * next;
            double dev = GroupedDeviance(y, m, etaNew.Map(LinkInverse));
            for (int h = 0; beta is not null && !double.IsFinite(dev) && h < 30; h++)
            {
                next = (next + beta) / 2;
                etaNew = xk * next;
                dev = GroupedDeviance(y, m, etaNew.Map(LinkInverse));
            }
            beta = next;
            eta = etaNew;
            converged = Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < options.Tolerance;
            devOld = dev;
        }
        if (!converged) warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
        mu = eta.Map(LinkInverse);
        int extreme = mu.Count(v => v < 1e-10 || v > 1 - 1e-10);
        if (extreme > 0)
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10; the estimates of the terms involved diverge (their maximum-likelihood estimates are infinite)");

        // The covariance (X'WX)⁻¹ at the estimates, with the prior weights in W.
        var w = eta.Map(e => { double p = LinkInverse(e), d = MuEta(e); return d * d / (p * (1 - p)); });
        var xw = xk.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i] * m[i]);
        var bread = xw.TransposeThisAndMultiply(xk).Cholesky().Solve(Matrix<double>.Build.DenseIdentity(kept.Length));
        int p = kept.Length;
        var cov = new double[p * p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) cov[a * p + b] = bread[a, b];

        bool intercept = names[0] == "(Intercept)" && x.Column(0).All(v => v == 1);
        double pooled = intercept ? events.Sum() / (double)trials.Sum() : 0.5;
        double nullDeviance = GroupedDeviance(y, m, Vector<double>.Build.Dense(n, pooled));
        double deviance = GroupedDeviance(y, m, mu);
        double logLikelihood = 0;
        for (int i = 0; i < n; i++)
        {
            double e = events[i], t = trials[i];
            logLikelihood += SpecialFunctions.GammaLn(t + 1) - SpecialFunctions.GammaLn(e + 1) - SpecialFunctions.GammaLn(t - e + 1)
                             + (e > 0 ? e * Math.Log(mu[i]) : 0) + (t - e > 0 ? (t - e) * Math.Log(1 - mu[i]) : 0);
        }
        var r = Result(names, kept, (beta ?? Vector<double>.Build.Dense(p)).ToArray(), cov, deviance, nullDeviance, iterations, converged, n, [], warnings, options);
        return new LogisticResult(r.Coefficients, r.EstimableTerms.ToArray(), r.Covariance, logLikelihood, deviance, nullDeviance, iterations, converged, n,
            r.Separation, r.Warnings, options, r.Beta, r.Kept);
    }

    /// <summary>One IRLS step from η with prior weights m: solve (X'WX) b = X'Wz.</summary>
    private static Vector<double> GroupedStep(Matrix<double> x, Vector<double> y, Vector<double> m, Vector<double> eta)
    {
        int n = x.RowCount;
        var xw = x.Clone();
        var z = Vector<double>.Build.Dense(n);
        var w = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            double p = LinkInverse(eta[i]), d = MuEta(eta[i]);
            w[i] = m[i] * d * d / (p * (1 - p));
            z[i] = eta[i] + (y[i] - p) / d;
        }
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        return xw.TransposeThisAndMultiply(x).Cholesky().Solve(xw.TransposeThisAndMultiply(z));
    }

    /// <summary>R's binomial deviance with prior weights: 2 Σ m [y log(y/μ) + (1−y) log((1−y)/(1−μ))], with 0 log 0 = 0.</summary>
    private static double GroupedDeviance(Vector<double> y, Vector<double> m, Vector<double> mu)
    {
        static double YLogY(double a, double b) => a > 0 ? a * Math.Log(a / b) : 0;
        double d = 0;
        for (int i = 0; i < y.Count; i++) d += 2 * m[i] * (YLogY(y[i], mu[i]) + YLogY(1 - y[i], 1 - mu[i]));
        return d;
    }
}

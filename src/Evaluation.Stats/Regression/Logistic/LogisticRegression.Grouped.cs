using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

// Grouped-binomial fitting (events of n trials per row): a LogisticModel with the trials as prior weights.
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
    /// <param name="options">The fit's options. The reference engine fits it (a grouped design is small); Firth's fit is not offered.</param>
    /// <exception cref="ArgumentException">When sizes disagree, a count is out of range, a value is not finite, or Firth's fit is asked for.</exception>
    public static LogisticResult FitGrouped(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != x.ColumnCount) throw new ArgumentException($"{names.Count} names for {x.ColumnCount} columns.", nameof(names));
        if (names.Count == 0) throw new ArgumentException("The model has no terms.", nameof(names));
        return LogisticModel.Grouped(x, names, events, trials).Fit(options);
    }
}

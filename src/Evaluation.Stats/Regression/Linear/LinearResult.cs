using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Regression.Covariance;

namespace Evaluation.Stats.Regression.Linear;

/// <summary>Options of a linear (OLS) fit. Immutable; every default is named, and every value is checked when set.</summary>
public sealed record LinearOptions
{
    /// <summary>The defaults.</summary>
    public static LinearOptions Default { get; } = new();

    /// <summary>The covariance estimator (model-based by default, as R's <c>vcov(lm)</c>).</summary>
    /// <exception cref="ArgumentNullException">When null.</exception>
    public CovarianceOptions Covariance
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Covariance), "Covariance is required; CovarianceOptions.Model is the model-based covariance.");
    } = CovarianceOptions.Model;

    /// <summary>The level of the confidence intervals, 0.95 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not strictly between 0 and 1.</exception>
    public double ConfidenceLevel
    {
        get;
        init => field = value > 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), value, "ConfidenceLevel must lie strictly between 0 and 1, for example 0.95.");
    } = DidEstimator.DefaultConfidenceLevel;

    /// <summary>A column whose residual, after projecting out the earlier kept columns, is below this fraction of its norm is aliased (1e-7, R's <c>lm</c> tolerance).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not strictly between 0 and 1.</exception>
    public double AliasTolerance
    {
        get;
        init => field = value > 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(AliasTolerance), value, "AliasTolerance must lie in (0, 1) (the default is 1e-7).");
    } = LogisticOptions.DefaultAliasTolerance;

    /// <summary>The implementation (<see cref="LogisticOptions.DefaultImplementation"/>: fast unless <c>EVALSTATS_IMPLEMENTATION=reference</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not Fast or Reference.</exception>
    public Implementation Implementation
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Implementation), value, "Implementation must be Fast or Reference.");
    } = LogisticOptions.DefaultImplementation;

    /// <summary>Threads for the fast path; 0 (the default) uses every processor. Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When negative.</exception>
    public int MaxDegreeOfParallelism
    {
        get;
        init => field = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "MaxDegreeOfParallelism must be 0 (every processor) or a positive number of threads.");
    }
}

/// <summary>One coefficient of a linear model; every number is <c>null</c> for an aliased term.</summary>
/// <param name="Term">The term's name.</param>
/// <param name="Estimate">The coefficient.</param>
/// <param name="StdError">Its standard error (by the chosen covariance).</param>
/// <param name="TValue">Estimate ÷ standard error.</param>
/// <param name="PValue">Two-sided, from Student's t with the residual degrees of freedom n − k (as R's <c>summary.lm</c> and <c>lmtest::coeftest</c> with a sandwich covariance).</param>
/// <param name="CiLower">The lower limit, estimate − t(n − k) × SE (R's <c>confint</c>/<c>coefci</c>).</param>
/// <param name="CiUpper">The upper limit.</param>
public sealed record LinearCoefficient(string Term, double? Estimate, double? StdError, double? TValue, double? PValue, double? CiLower, double? CiUpper)
{
    /// <summary>True when the term is aliased and was not estimated.</summary>
    public bool IsAliased => Estimate is null;
}

/// <summary>
/// An immutable OLS result, in the shape of <see cref="LogisticResult"/>: coefficients with SE, t, p and CI; the
/// covariance of the estimated terms; fit statistics; and what went wrong (aliasing).
/// </summary>
public sealed class LinearResult
{
    internal LinearResult(IReadOnlyList<LinearCoefficient> coefficients, string[] estimable, double[,] covariance, int n,
        double rss, double tss, bool intercept, IReadOnlyList<string> warnings, LinearOptions options)
    {
        Coefficients = coefficients;
        EstimableTerms = estimable;
        Covariance = new TermMatrix(DenseCovariance.Of(covariance), estimable);
        N = n;
        ResidualSumOfSquares = rss;
        int k = estimable.Length;
        ResidualDegreesOfFreedom = n - k;
        Sigma = n > k ? Math.Sqrt(rss / (n - k)) : double.NaN;
        RSquared = tss > 0 ? 1 - rss / tss : double.NaN;
        AdjustedRSquared = n > k ? 1 - (1 - RSquared) * (n - (intercept ? 1 : 0)) / (n - k) : double.NaN;
        Warnings = warnings;
        Options = options;
    }

    /// <summary>Every term of the design, in order, aliased ones included.</summary>
    public IReadOnlyList<LinearCoefficient> Coefficients { get; }

    /// <summary>The estimated (not aliased) terms, in the order of <see cref="Covariance"/>.</summary>
    public IReadOnlyList<string> EstimableTerms { get; }

    /// <summary>The covariance of the estimated terms, by the chosen covariance: read-only, by position or term name.</summary>
    public TermMatrix Covariance { get; }

    /// <summary>The aliased terms.</summary>
    public IReadOnlyList<string> Aliased => Coefficients.Where(c => c.IsAliased).Select(c => c.Term).ToArray();

    /// <summary>What the reader must know (aliasing, a saturated model).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Rows used.</summary>
    public int N { get; }

    /// <summary>n − k.</summary>
    public int ResidualDegreesOfFreedom { get; }

    /// <summary>The residual sum of squares.</summary>
    public double ResidualSumOfSquares { get; }

    /// <summary>The residual standard error √(RSS/(n − k)) (R's <c>sigma</c>).</summary>
    public double Sigma { get; }

    /// <summary>R²: 1 − RSS/TSS, TSS about the mean with an intercept and about 0 without (as R).</summary>
    public double RSquared { get; }

    /// <summary>Adjusted R², as R's <c>summary.lm</c>.</summary>
    public double AdjustedRSquared { get; }

    /// <summary>The options of the fit.</summary>
    public LinearOptions Options { get; }

    /// <summary>The coefficient of <paramref name="term"/>.</summary>
    public LinearCoefficient this[string term] => Coefficients.FirstOrDefault(c => c.Term == term) ?? throw new KeyNotFoundException($"No term '{term}'.");

    /// <summary>The covariance of two estimated terms.</summary>
    public double CovarianceOf(string a, string b) => Covariance[a, b];

    /// <summary>A summary in the manner of R's <c>summary(lm)</c>, in the invariant culture.</summary>
    public override string ToString() => Formatting.RegressionText.Format(this);
}

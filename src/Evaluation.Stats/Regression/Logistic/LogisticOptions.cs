using Evaluation.Stats.DiffInDiff;

namespace Evaluation.Stats.Regression;

/// <summary>How the coefficients' covariance is estimated.</summary>
public enum CovarianceType
{
    /// <summary>The inverse Fisher information (R's <c>vcov(glm)</c>); the default.</summary>
    Model,
    /// <summary>White's heteroskedasticity-consistent sandwich, no small-sample factor (<c>sandwich::vcovHC(type = "HC0")</c>).</summary>
    HC0,
    /// <summary>HC0 × n/(n − k) (<c>sandwich::vcovHC(type = "HC1")</c>).</summary>
    HC1,
    /// <summary>Cluster-robust CR1: G/(G − 1) × (n − 1)/(n − k) (<c>sandwich::vcovCL(type = "HC1")</c>).</summary>
    Cluster,
}

/// <summary>Which implementation fits the model.</summary>
public enum Implementation
{
    /// <summary>The vectorised, multi-threaded, columnar path (the default).</summary>
    Fast,
    /// <summary>The readable reference path on MathNet dense matrices.</summary>
    Reference,
}

/// <summary>Options of a logistic fit. Immutable; every default is named.</summary>
public sealed record LogisticOptions
{
    /// <summary>The default: 1e-10 relative change in deviance (methodology §6).</summary>
    public const double DefaultTolerance = 1e-10;

    /// <summary>The default maximum number of IRLS iterations, 50.</summary>
    public const int DefaultMaxIterations = 50;

    /// <summary>The default relative tolerance below which a column is aliased, 1e-7 (as R's <c>lm</c>; <c>glm</c> uses min(1e-7, epsilon/1000)).</summary>
    public const double DefaultAliasTolerance = 1e-7;

    /// <summary>The defaults.</summary>
    public static LogisticOptions Default { get; } = new();

    /// <summary>Converged when <c>|dev − dev_old| / (|dev| + 0.1)</c> falls below this (R's criterion).</summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>At most this many iterations; a fit that has not converged by then says so in its result.</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>A column whose residual norm, after projecting out the earlier kept columns, is below this fraction of its own norm is aliased.</summary>
    public double AliasTolerance { get; init; } = DefaultAliasTolerance;

    /// <summary>Fit by Firth's bias-reduced (penalized) likelihood instead of maximum likelihood.</summary>
    public bool Firth { get; init; }

    /// <summary>The covariance estimator.</summary>
    public CovarianceType Covariance { get; init; } = CovarianceType.Model;

    /// <summary>For <see cref="CovarianceType.Cluster"/>, the cluster of each row.</summary>
    public IReadOnlyList<string>? Clusters { get; init; }

    /// <summary>The level of the confidence intervals, 0.95 by default.</summary>
    public double ConfidenceLevel { get; init; } = DidEstimator.DefaultConfidenceLevel;

    /// <summary>
    /// The implementation: <see cref="Implementation.Fast"/> unless the environment variable
    /// <c>EVALSTATS_IMPLEMENTATION</c> is <c>reference</c>. Firth fits always use the reference path.
    /// </summary>
    public Implementation Implementation { get; init; } = DefaultImplementation;

    /// <summary>Threads for the fast path; 0 (the default) uses every processor. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>The link: logit (the default; coefficients are log odds ratios), probit or cloglog. A probit or cloglog fit is
    /// fitted by the reference binomial GLM, and its coefficients have no odds ratio.</summary>
    public LinkKind Link { get; init; } = LinkKind.Logit;

    /// <summary>The implementation chosen by the environment: <c>EVALSTATS_IMPLEMENTATION=reference</c> selects the reference path.</summary>
    public static Implementation DefaultImplementation =>
        string.Equals(Environment.GetEnvironmentVariable("EVALSTATS_IMPLEMENTATION"), "reference", StringComparison.OrdinalIgnoreCase)
            ? Implementation.Reference : Implementation.Fast;
}

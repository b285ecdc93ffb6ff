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

    /// <summary>
    /// The implementation chosen by the environment, read once per process (the one switch, like MathNet's control
    /// point): <c>EVALSTATS_IMPLEMENTATION=reference</c> selects the reference engine, anything else the fast one.
    /// </summary>
    public static Implementation DefaultImplementation { get; } =
        string.Equals(Environment.GetEnvironmentVariable("EVALSTATS_IMPLEMENTATION"), "reference", StringComparison.OrdinalIgnoreCase)
            ? Implementation.Reference : Implementation.Fast;

    /// <summary>The defaults.</summary>
    public static LogisticOptions Default { get; } = new();

    private readonly double _tolerance = DefaultTolerance;
    private readonly int _maxIterations = DefaultMaxIterations;
    private readonly double _aliasTolerance = DefaultAliasTolerance;
    private readonly double _confidenceLevel = DidEstimator.DefaultConfidenceLevel;
    private readonly int _maxDegreeOfParallelism;
    private readonly CovarianceType _covariance = CovarianceType.Model;
    private readonly Implementation _implementation = DefaultImplementation;
    private readonly BinomialLink _link = BinomialLink.Logit;

    /// <summary>Converged when <c>|dev − dev_old| / (|dev| + 0.1)</c> falls below this (R's criterion); positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not positive and finite.</exception>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "Tolerance must be positive and finite (the default is 1e-10).");
    }

    /// <summary>At most this many iterations (at least 1); a fit that has not converged by then says so in its result.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When below 1.</exception>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, "MaxIterations must be at least 1 (the default is 50).");
    }

    /// <summary>A column whose residual norm, after projecting out the earlier kept columns, is below this fraction of its own norm is aliased; in (0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not in (0, 1).</exception>
    public double AliasTolerance
    {
        get => _aliasTolerance;
        init => _aliasTolerance = value > 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(AliasTolerance), value, "AliasTolerance must lie in (0, 1) (the default is 1e-7).");
    }

    /// <summary>Fit by Firth's bias-reduced (penalized) likelihood instead of maximum likelihood.</summary>
    public bool Firth { get; init; }

    /// <summary>The covariance estimator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not a defined <see cref="CovarianceType"/>.</exception>
    public CovarianceType Covariance
    {
        get => _covariance;
        init => _covariance = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Covariance), value, "Covariance must be a defined CovarianceType.");
    }

    /// <summary>For <see cref="CovarianceType.Cluster"/>, the cluster of each row.</summary>
    public IReadOnlyList<string>? Clusters { get; init; }

    /// <summary>The level of the confidence intervals, in (0, 1); 0.95 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not in (0, 1).</exception>
    public double ConfidenceLevel
    {
        get => _confidenceLevel;
        init => _confidenceLevel = value > 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), value, "ConfidenceLevel must lie strictly between 0 and 1, for example 0.95.");
    }

    /// <summary>
    /// The engine: <see cref="DefaultImplementation"/> unless set. Firth fits, and models with weights, an offset or
    /// a link other than the logit, always use the reference engine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When not a defined <see cref="Regression.Implementation"/>.</exception>
    public Implementation Implementation
    {
        get => _implementation;
        init => _implementation = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Implementation), value, "Implementation must be Fast or Reference.");
    }

    /// <summary>The link of the binomial model; the logit by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not a defined <see cref="BinomialLink"/>.</exception>
    public BinomialLink Link
    {
        get => _link;
        init => _link = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Link), value, "Link must be a defined BinomialLink.");
    }

    /// <summary>Threads for the fast engine; 0 (the default) uses every processor. Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When negative.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        init => _maxDegreeOfParallelism = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "MaxDegreeOfParallelism must be 0 (every processor) or a positive number of threads.");
    }
}

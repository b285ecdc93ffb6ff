using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

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

/// <summary>One coefficient. Every number is <c>null</c> for an aliased term.</summary>
/// <param name="Term">The term's name.</param>
/// <param name="Estimate">The coefficient (log-odds scale).</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="ZValue">The Wald z.</param>
/// <param name="PValue">The two-sided normal p-value.</param>
/// <param name="CiLower">The lower Wald confidence limit (log-odds).</param>
/// <param name="CiUpper">The upper Wald confidence limit (log-odds).</param>
/// <param name="OddsRatio"><c>exp(Estimate)</c>.</param>
public sealed record Coefficient(string Term, double? Estimate, double? StdError, double? ZValue, double? PValue,
    double? CiLower, double? CiUpper, double? OddsRatio)
{
    /// <summary>True when the term is aliased (a linear combination of earlier columns) and was not estimated.</summary>
    public bool IsAliased => Estimate is null;
}

/// <summary>
/// An immutable logistic regression result: coefficients with SE, z, p, CI and odds ratios; the covariance of the
/// estimated terms; fit statistics; and everything that went wrong (aliasing, separation, non-convergence).
/// </summary>
public sealed class LogisticResult
{
    internal LogisticResult(IReadOnlyList<Coefficient> coefficients, string[] estimable, double[,] covariance,
        double logLikelihood, double deviance, double nullDeviance, int iterations, bool converged, int n,
        IReadOnlyList<string> separation, IReadOnlyList<string> warnings, LogisticOptions options, double[] beta, int[] kept)
    {
        Coefficients = coefficients;
        EstimableTerms = estimable;
        _covariance = covariance;
        LogLikelihood = logLikelihood;
        Deviance = deviance;
        NullDeviance = nullDeviance;
        Iterations = iterations;
        Converged = converged;
        N = n;
        Separation = separation;
        Warnings = warnings;
        Options = options;
        Beta = beta;
        Kept = kept;
    }

    private readonly double[,] _covariance;

    /// <summary>Every term of the design, in order, aliased ones included.</summary>
    public IReadOnlyList<Coefficient> Coefficients { get; }

    /// <summary>The terms that were estimated (not aliased), in the order of <see cref="Covariance"/>.</summary>
    public IReadOnlyList<string> EstimableTerms { get; }

    /// <summary>The covariance matrix of the estimated terms (a copy), by the chosen <see cref="CovarianceType"/>.</summary>
    public double[,] Covariance => (double[,])_covariance.Clone();

    /// <summary>The aliased terms.</summary>
    public IReadOnlyList<string> Aliased => Coefficients.Where(c => c.IsAliased).Select(c => c.Term).ToArray();

    /// <summary>The terms implicated in separation (their estimates diverge); empty when there is none.</summary>
    public IReadOnlyList<string> Separation { get; }

    /// <summary>What the reader must know: aliasing, separation, non-convergence, Firth.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The log-likelihood at the estimates (the ordinary one, also for Firth fits).</summary>
    public double LogLikelihood { get; }

    /// <summary>The residual deviance, −2 × log-likelihood for 0/1 outcomes.</summary>
    public double Deviance { get; }

    /// <summary>The deviance of the intercept-only model (or of μ = 0.5 without an intercept).</summary>
    public double NullDeviance { get; }

    /// <summary>AIC: −2 × log-likelihood + 2 × the number of estimated terms (for 0/1 outcomes, deviance + 2k).</summary>
    public double Aic => -2 * LogLikelihood + 2 * EstimableTerms.Count;

    /// <summary>IRLS iterations used.</summary>
    public int Iterations { get; }

    /// <summary>True when the deviance criterion was met within the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>Rows used.</summary>
    public int N { get; }

    /// <summary>The options of the fit.</summary>
    public LogisticOptions Options { get; }

    internal double[] Beta { get; }
    internal int[] Kept { get; }

    /// <summary>The coefficient of <paramref name="term"/>.</summary>
    public Coefficient this[string term] => Coefficients.FirstOrDefault(c => c.Term == term) ?? throw new KeyNotFoundException($"No term '{term}'.");

    /// <summary>The covariance of two estimated terms.</summary>
    public double CovarianceOf(string a, string b)
    {
        int i = IndexOf(a), j = IndexOf(b);
        return _covariance[i, j];
    }

    internal int IndexOf(string term)
    {
        for (int i = 0; i < EstimableTerms.Count; i++) if (EstimableTerms[i] == term) return i;
        throw new KeyNotFoundException($"Term '{term}' was not estimated (aliased or absent).");
    }

    /// <summary>A summary in the manner of R's <c>summary(glm)</c>.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string link = Options.Link.ToString().ToLowerInvariant();
        sb.AppendLine(Options.Link == LinkKind.Logit
            ? Options.Firth ? "Logistic regression, Firth's bias-reduced likelihood" : "Logistic regression (binomial, logit link)"
            : $"Binomial regression, {link} link{(Options.Firth ? ", Firth's bias-reduced fit (mean-bias-reducing adjusted score)" : "")}");
        sb.AppendLine($"Coefficients{(Options.Covariance == CovarianceType.Model ? "" : $" (standard errors: {Options.Covariance})")}:");
        int w = Math.Max(12, Coefficients.Max(c => c.Term.Length));
        sb.AppendLine($"{"".PadRight(w)} {"Estimate",12} {"Std. Error",12} {"z value",9} {"Pr(>|z|)",10} {"Odds ratio",11}");
        foreach (var c in Coefficients)
            sb.AppendLine(c.IsAliased
                ? $"{c.Term.PadRight(w)} {"NA",12} {"NA",12} {"NA",9} {"NA",10} {"NA",11}"
                : $"{c.Term.PadRight(w)} {c.Estimate!.Value.ToString("0.000000", inv),12} {c.StdError!.Value.ToString("0.000000", inv),12} {c.ZValue!.Value.ToString("0.000", inv),9} {FormatP(c.PValue!.Value),10} {(c.OddsRatio is double or ? or.ToString("0.0000", inv) : "NA"),11}");
        if (Aliased.Count > 0) sb.AppendLine($"({Aliased.Count} not defined because of singularities: {string.Join(", ", Aliased)})");
        sb.AppendLine();
        sb.AppendLine($"    Null deviance: {NullDeviance.ToString("0.000", inv)}  on {N - 1} degrees of freedom");
        sb.AppendLine($"Residual deviance: {Deviance.ToString("0.000", inv)}  on {N - EstimableTerms.Count} degrees of freedom");
        sb.AppendLine($"AIC: {Aic.ToString("0.000", inv)};  log-likelihood: {LogLikelihood.ToString("0.000", inv)}");
        sb.AppendLine($"Iterations: {Iterations}{(Converged ? "" : " (did NOT converge)")}");
        foreach (var warning in Warnings) sb.AppendLine($"Warning: {warning}");
        return sb.ToString();
    }

    private static string FormatP(double p) => PValueText.Format(p);
}

/// <summary>The result of a likelihood-ratio test of nested fits.</summary>
/// <param name="Statistic">2 × (log-likelihood of the larger model − that of the smaller).</param>
/// <param name="DegreesOfFreedom">The difference in the number of estimated terms.</param>
/// <param name="PValue">The upper tail of the χ² distribution.</param>
public sealed record LikelihoodRatioTest(double Statistic, int DegreesOfFreedom, double PValue);

/// <summary>The probability-scale treatment effect on the treated (Puhani 2012), with its delta-method SE.</summary>
/// <param name="Estimate">The mean over treated rows of <c>Λ(η) − Λ(η − b)</c>.</param>
/// <param name="StdError">Its delta-method standard error.</param>
/// <param name="Rows">The treated rows it averages over.</param>
public sealed record TreatmentEffect(double Estimate, double StdError, int Rows);

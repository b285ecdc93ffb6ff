using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Regression;

/// <summary>One coefficient. Every number is <c>null</c> for an aliased term.</summary>
/// <param name="Term">The term's name.</param>
/// <param name="Estimate">The coefficient (log-odds scale).</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="ZValue">The Wald z.</param>
/// <param name="PValue">The two-sided normal p-value.</param>
/// <param name="CiLower">The lower Wald confidence limit (log-odds).</param>
/// <param name="CiUpper">The upper Wald confidence limit (log-odds).</param>
/// <param name="OddsRatio"><c>exp(Estimate)</c> for the logit link; null for probit and cloglog.</param>
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
    /// <summary>Builds a result; <paramref name="covariance"/> is p × p row-major over the kept terms, <paramref name="beta"/> their estimates.</summary>
    internal static LogisticResult Create(IReadOnlyList<string> names, int[] kept, double[] beta, CovarianceMatrix covariance, double logLikelihood, double deviance,
        double nullDeviance, int iterations, bool converged, int n, IReadOnlyList<string> separation, IReadOnlyList<string> warnings, LogisticOptions options)
    {
        int p = kept.Length;
        double z = Normal.InvCDF(0, 1, 0.5 + options.ConfidenceLevel / 2);
        var coefficients = new Coefficient[names.Count];
        for (int j = 0; j < names.Count; j++) coefficients[j] = new Coefficient(names[j], null, null, null, null, null, null, null);
        for (int k = 0; k < p; k++)
        {
            double b = beta[k], se = Math.Sqrt(covariance[k, k]);
            double zv = b / se;
            coefficients[kept[k]] = new Coefficient(names[kept[k]], b, se, zv, DiffInDiff.WaldEstimate.TwoSidedP(zv), b - z * se, b + z * se,
                options.Link == BinomialLink.Logit ? Math.Exp(b) : null);
        }
        return new LogisticResult(coefficients, kept.Select(j => names[j]).ToArray(), covariance,
            logLikelihood, deviance, nullDeviance, iterations, converged, n, separation, warnings, options, beta, kept);
    }

    /// <summary>A copy with other warnings.</summary>
    internal LogisticResult WithWarnings(IReadOnlyList<string> warnings) =>
        new(Coefficients, EstimableTerms.ToArray(), _covariance, LogLikelihood, Deviance, NullDeviance, Iterations, Converged, N,
            Separation, warnings, Options, Beta, Kept);

    private LogisticResult(IReadOnlyList<Coefficient> coefficients, string[] estimable, CovarianceMatrix covariance,
        double logLikelihood, double deviance, double nullDeviance, int iterations, bool converged, int n,
        IReadOnlyList<string> separation, IReadOnlyList<string> warnings, LogisticOptions options, double[] beta, int[] kept)
    {
        Coefficients = coefficients;
        EstimableTerms = estimable;
        _covariance = covariance;
        Covariance = new TermMatrix(covariance, estimable);
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

    private readonly CovarianceMatrix _covariance;

    /// <summary>Every term of the design, in order, aliased ones included.</summary>
    public IReadOnlyList<Coefficient> Coefficients { get; }

    /// <summary>The terms that were estimated (not aliased), in the order of <see cref="Covariance"/>.</summary>
    public IReadOnlyList<string> EstimableTerms { get; }

    /// <summary>The covariance of the estimated terms, by the chosen <see cref="CovarianceType"/>: read-only, by position or term name.</summary>
    public TermMatrix Covariance { get; }

    /// <summary>Entry (a, b) of the covariance, by position among the estimated terms.</summary>
    internal double CovarianceAt(int a, int b) => _covariance[a, b];

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

    /// <summary>
    /// When the fit was made on the distinct covariate patterns of the rows (a compressed fit, see
    /// <see cref="CompressedFit"/>: the same estimates and standard errors as the row-level fit), their number; otherwise null.
    /// </summary>
    public int? Patterns { get; private init; }

    /// <summary>
    /// How the standard errors were computed when <see cref="Covariance.LogisticCovariance.Apply"/> replaced them (for example
    /// <c>cluster(area; HC2)</c>); null when they are those of <see cref="LogisticOptions.Covariance"/>, which cannot
    /// name a cluster column or an HC type within clusters.
    /// </summary>
    internal string? CovarianceText { get; private init; }

    /// <summary>A copy of this result whose standard errors are described as <paramref name="text"/>.</summary>
    internal LogisticResult WithCovarianceText(string text) =>
        new(Coefficients, EstimableTerms.ToArray(), _covariance, LogLikelihood, Deviance, NullDeviance, Iterations, Converged, N,
            Separation, Warnings, Options, Beta, Kept) { Patterns = Patterns, CovarianceText = text };

    /// <summary>A copy of this result marked as fitted on <paramref name="patterns"/> covariate patterns.</summary>
    internal LogisticResult WithPatterns(int patterns) =>
        new(Coefficients, EstimableTerms.ToArray(), _covariance, LogLikelihood, Deviance, NullDeviance, Iterations, Converged, N,
            Separation, Warnings, Options, Beta, Kept) { Patterns = patterns, CovarianceText = CovarianceText };

    /// <summary>The coefficient of <paramref name="term"/>.</summary>
    public Coefficient this[string term] => Coefficients.FirstOrDefault(c => c.Term == term) ?? throw new KeyNotFoundException($"No term '{term}'.");

    /// <summary>The covariance of two estimated terms.</summary>
    public double CovarianceOf(string a, string b) => Covariance[a, b];

    internal int IndexOf(string term) => Covariance.IndexOf(term);

    /// <summary>A summary in the manner of R's <c>summary(glm)</c>, in the invariant culture.</summary>
    public override string ToString() => Formatting.RegressionText.Format(this);
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

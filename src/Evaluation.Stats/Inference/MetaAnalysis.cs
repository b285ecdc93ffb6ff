using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Inference;

/// <summary>One study's (here: one pair's) estimate and its standard error, the input to pooling.</summary>
/// <param name="Name">The pair's name, used in warnings.</param>
/// <param name="Estimate">The estimate.</param>
/// <param name="StdError">Its standard error, finite and positive.</param>
public sealed record PairEstimate(string Name, double Estimate, double StdError);

/// <summary>
/// A DerSimonian–Laird random-effects estimate with its heterogeneity statistics (methodology §10), as
/// <c>metafor::rma(method = "DL")</c> reports them.
/// </summary>
/// <param name="Pooled">The pooled estimate, its SE, normal CI and two-sided p.</param>
/// <param name="Tau2">The between-pair variance τ² (method of moments, truncated at 0).</param>
/// <param name="I2">I², the share of total variability due to heterogeneity, as a percentage (0 to 100), as metafor prints it.</param>
/// <param name="Q">Cochran's Q, the weighted sum of squares about the fixed-effect estimate.</param>
/// <param name="QDegreesOfFreedom">Its degrees of freedom, K − 1.</param>
/// <param name="QPValue">The upper χ² tail of Q on K − 1 degrees of freedom.</param>
/// <param name="KnappHartung">
/// The same estimate with the Hartung–Knapp–Sidik–Jonkman SE and a t distribution on K − 1 degrees of freedom
/// (<c>rma(method = "DL", test = "knha")</c>): <c>SE² = Σwᵢ*(yᵢ − μ̂)² / ((K − 1)·Σwᵢ*)</c>. With few pairs this is the
/// interval that keeps its level under area-level shocks (docs/validation.md).
/// </param>
public sealed record RandomEffectsEstimate(WaldEstimate Pooled, double Tau2, double I2, double Q, int QDegreesOfFreedom, double QPValue,
    WaldEstimate KnappHartung)
{
    /// <summary>The pooled estimate with τ², I², Q and its p.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Pooled}; tau2 {Tau2:0.######}, I2 {I2:0.0}%, Q {Q:0.000} on {QDegreesOfFreedom} df (p {PValueText.Format(QPValue)}); Knapp-Hartung SE {KnappHartung.StdError:0.0000}, CI {KnappHartung.CiLower:0.0000} to {KnappHartung.CiUpper:0.0000}, p {PValueText.Format(KnappHartung.PValue)}");
}

/// <summary>
/// Inverse-variance pooling of pair estimates (methodology §10): the fixed-effect (common-effect) estimate and
/// the DerSimonian–Laird random-effects estimate. Both match <c>metafor::rma</c> with <c>method = "FE"</c> and
/// <c>"DL"</c> and the default normal (z) test.
/// </summary>
public static class MetaAnalysis
{
    /// <summary>The fixed-effect estimate <c>Σwᵢyᵢ / Σwᵢ</c> with <c>wᵢ = 1/SEᵢ²</c> and SE <c>1/√Σwᵢ</c>.</summary>
    /// <param name="pairs">At least one estimate, each with a finite positive SE.</param>
    /// <param name="confidenceLevel">The CI level, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentException">When there are no estimates, an estimate is not finite or an SE is not finite and positive.</exception>
    public static WaldEstimate FixedEffect(IReadOnlyList<PairEstimate> pairs, double confidenceLevel = DidEstimator.DefaultConfidenceLevel)
    {
        Validate(pairs, confidenceLevel);
        var (estimate, sumW) = Weighted(pairs, 0);
        return WaldEstimate.FromNormal(estimate, Math.Sqrt(1 / sumW), confidenceLevel);
    }

    /// <summary>
    /// The DerSimonian–Laird estimate: <c>τ² = max(0, (Q − (K − 1)) / (Σw − Σw²/Σw))</c>, then inverse-variance
    /// pooling with weights <c>1/(SEᵢ² + τ²)</c>. <c>I² = 100·τ²/(τ² + s²)</c> with the "typical" within-pair variance
    /// <c>s² = (K − 1)·Σw / ((Σw)² − Σw²)</c> (Higgins and Thompson 2002), as metafor computes it.
    /// </summary>
    /// <param name="pairs">At least two estimates (τ² is undefined for one), each with a finite positive SE.</param>
    /// <param name="confidenceLevel">The CI level, strictly between 0 and 1.</param>
    public static RandomEffectsEstimate RandomEffects(IReadOnlyList<PairEstimate> pairs, double confidenceLevel = DidEstimator.DefaultConfidenceLevel)
    {
        Validate(pairs, confidenceLevel);
        if (pairs.Count < 2) throw new ArgumentException("Random-effects pooling needs at least two estimates.", nameof(pairs));
        int k = pairs.Count;
        double q = CochranQ(pairs);
        double sumW = 0, sumW2 = 0;
        foreach (var p in pairs)
        {
            double w = 1 / (p.StdError * p.StdError);
            sumW += w;
            sumW2 += w * w;
        }
        double c = sumW - sumW2 / sumW;
        double tau2 = Math.Max(0, (q - (k - 1)) / c);
        double typical = (k - 1) * sumW / (sumW * sumW - sumW2);
        double i2 = 100 * tau2 / (tau2 + typical);
        var (estimate, sumWStar) = Weighted(pairs, tau2);
        var pooled = WaldEstimate.FromNormal(estimate, Math.Sqrt(1 / sumWStar), confidenceLevel);
        double spread = 0;
        foreach (var p in pairs) spread += (p.Estimate - estimate) * (p.Estimate - estimate) / (p.StdError * p.StdError + tau2);
        double seHk = Math.Sqrt(spread / ((k - 1) * sumWStar));
        double t = StudentT.InvCDF(0, 1, k - 1, 0.5 + confidenceLevel / 2);
        double? pHk = seHk > 0 ? 2 * StudentT.CDF(0, 1, k - 1, -Math.Abs(estimate / seHk)) : null;
        var hk = new WaldEstimate(estimate, seHk, estimate - t * seHk, estimate + t * seHk, pHk, confidenceLevel);
        return new RandomEffectsEstimate(pooled, tau2, i2, q, k - 1, UpperChiSquared(k - 1, q), hk);
    }

    /// <summary>Cochran's Q, <c>Σwᵢ(yᵢ − ŷ_FE)²</c>.</summary>
    public static double CochranQ(IReadOnlyList<PairEstimate> pairs)
    {
        Validate(pairs, DidEstimator.DefaultConfidenceLevel);
        var (fe, _) = Weighted(pairs, 0);
        double q = 0;
        foreach (var p in pairs) q += (p.Estimate - fe) * (p.Estimate - fe) / (p.StdError * p.StdError);
        return q;
    }

    // Σ wᵢ yᵢ / Σ wᵢ with wᵢ = 1/(SEᵢ² + τ²), and Σ wᵢ.
    private static (double Estimate, double SumW) Weighted(IReadOnlyList<PairEstimate> pairs, double tau2)
    {
        double sumW = 0, sumWy = 0;
        foreach (var p in pairs)
        {
            double w = 1 / (p.StdError * p.StdError + tau2);
            sumW += w;
            sumWy += w * p.Estimate;
        }
        return (sumWy / sumW, sumW);
    }

    // The upper tail by the regularized upper incomplete gamma, Q(df/2, x/2), accurate where 1 − CDF would cancel.
    private static double UpperChiSquared(int df, double x) => MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(df / 2.0, x / 2);

    private static void Validate(IReadOnlyList<PairEstimate> pairs, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("There are no estimates to pool.", nameof(pairs));
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie strictly between 0 and 1.");
        foreach (var p in pairs)
        {
            if (!double.IsFinite(p.Estimate)) throw new ArgumentException($"Pair '{p.Name}': the estimate {p.Estimate} is not finite.", nameof(pairs));
            if (!(double.IsFinite(p.StdError) && p.StdError > 0))
                throw new ArgumentException($"Pair '{p.Name}': the standard error {p.StdError} must be finite and positive to weight the pair.", nameof(pairs));
        }
    }
}

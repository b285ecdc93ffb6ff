using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Regression;

/// <summary>The link functions offered for binomial models (R's <c>binomial(link = ...)</c>).</summary>
public enum LinkKind
{
    /// <summary>log(μ/(1−μ)): coefficients are log odds ratios.</summary>
    Logit,

    /// <summary>Φ⁻¹(μ), the standard normal quantile.</summary>
    Probit,

    /// <summary>log(−log(1−μ)), the complementary log-log.</summary>
    Cloglog,
}

/// <summary>
/// A binomial link as R's <c>make.link</c> writes it, including R's clamping, so that fits agree with <c>glm</c> to
/// rounding: the inverse link μ(η), its derivative dμ/dη, its second derivative (for Firth's adjusted score) and the
/// link η(μ) (for the starting values).
/// </summary>
internal abstract class BinomialLink
{
    protected const double Eps = 2.220446049250313e-16; // DBL_EPSILON

    internal abstract LinkKind Kind { get; }
    internal abstract double Mu(double eta);
    internal abstract double MuEta(double eta);

    /// <summary>d²μ/dη² (brglm2's <c>d2mu.deta</c>), without R's clamping: it only enters Firth's adjustment.</summary>
    internal abstract double MuEta2(double eta);
    internal abstract double Eta(double mu);

    internal static BinomialLink Of(LinkKind kind) => kind switch
    {
        LinkKind.Logit => LogitLink.Instance,
        LinkKind.Probit => ProbitLink.Instance,
        LinkKind.Cloglog => CloglogLink.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown link."),
    };

    private sealed class LogitLink : BinomialLink
    {
        internal static readonly LogitLink Instance = new();
        internal override LinkKind Kind => LinkKind.Logit;
        internal override double Mu(double eta) => LogisticRegression.LinkInverse(eta);
        internal override double MuEta(double eta) => LogisticRegression.MuEta(eta);
        internal override double MuEta2(double eta) { double m = LogisticRegression.Logistic(eta); return m * (1 - m) * (1 - 2 * m); }
        internal override double Eta(double mu) => Math.Log(mu / (1 - mu));
    }

    // R: thresh <- -qnorm(.Machine$double.eps); eta <- pmin(pmax(eta, -thresh), thresh); pnorm(eta)
    private sealed class ProbitLink : BinomialLink
    {
        internal static readonly ProbitLink Instance = new();
        private static readonly double Thresh = -Normal.InvCDF(0, 1, Eps);
        internal override LinkKind Kind => LinkKind.Probit;
        internal override double Mu(double eta) => Normal.CDF(0, 1, Math.Clamp(eta, -Thresh, Thresh));
        internal override double MuEta(double eta) => Math.Max(Normal.PDF(0, 1, eta), Eps);
        internal override double MuEta2(double eta) => -eta * Normal.PDF(0, 1, eta);
        internal override double Eta(double mu) => Normal.InvCDF(0, 1, mu);
    }

    // R: pmax(pmin(-expm1(-exp(eta)), 1 - eps), eps); mu.eta: eta <- pmin(eta, 700); pmax(exp(eta) * exp(-exp(eta)), eps)
    private sealed class CloglogLink : BinomialLink
    {
        internal static readonly CloglogLink Instance = new();
        internal override LinkKind Kind => LinkKind.Cloglog;
        internal override double Mu(double eta) => Math.Max(Math.Min(-ExpM1(-Math.Exp(eta)), 1 - Eps), Eps);
        internal override double MuEta(double eta) { double e = Math.Min(eta, 700); return Math.Max(Math.Exp(e) * Math.Exp(-Math.Exp(e)), Eps); }
        internal override double MuEta2(double eta) { double e = Math.Exp(Math.Min(eta, 700)); return e * Math.Exp(-e) * (1 - e); }
        internal override double Eta(double mu) => Math.Log(-Math.Log(1 - mu));

        // exp(x) − 1 without cancellation for small |x| (R's expm1).
        private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;
    }
}

using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Regression;

/// <summary>
/// R's <c>binomial(link = "probit")</c>: μ = Φ(η) with η clamped to ±(−Φ⁻¹(ε)), and dμ/dη = max(φ(η), ε).
/// </summary>
internal sealed class ProbitLink : ILink
{
    internal static readonly ProbitLink Instance = new();
    private static readonly double Thresh = -Normal.InvCDF(0, 1, LogitLink.Eps);

    public bool IsCanonical => false;
    public double Inverse(double eta) => Normal.CDF(0, 1, Math.Clamp(eta, -Thresh, Thresh));
    public double Derivative(double eta) => Math.Max(Normal.PDF(0, 1, eta), LogitLink.Eps);
    public double Apply(double mu) => Normal.InvCDF(0, 1, mu);
}

/// <summary>
/// R's <c>binomial(link = "cloglog")</c>: μ = 1 − exp(−exp(η)) clamped to [ε, 1 − ε], and dμ/dη = max(exp(η) exp(−exp(η)), ε)
/// with η capped at 700.
/// </summary>
internal sealed class CloglogLink : ILink
{
    internal static readonly CloglogLink Instance = new();

    public bool IsCanonical => false;
    public double Inverse(double eta) => Math.Max(Math.Min(-ExpM1(-Math.Exp(eta)), 1 - LogitLink.Eps), LogitLink.Eps);

    public double Derivative(double eta)
    {
        double e = Math.Min(eta, 700);
        return Math.Max(Math.Exp(e) * Math.Exp(-Math.Exp(e)), LogitLink.Eps);
    }

    public double Apply(double mu) => Math.Log(-Math.Log(1 - mu));

    /// <summary>exp(x) − 1 without cancellation for small |x| (R's <c>expm1</c>).</summary>
    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;
}

/// <summary>d²μ/dη² of each link (brglm2's <c>d2mu.deta</c>), which only Firth's adjusted score needs.</summary>
internal static class LinkCurvature
{
    internal static double Of(BinomialLink link, double eta)
    {
        switch (link)
        {
            case BinomialLink.Logit:
                double m = LogisticRegression.Logistic(eta);
                return m * (1 - m) * (1 - 2 * m);
            case BinomialLink.Probit:
                return -eta * Normal.PDF(0, 1, eta);
            case BinomialLink.Cloglog:
                double e = Math.Exp(Math.Min(eta, 700));
                return e * Math.Exp(-e) * (1 - e);
            default:
                throw new ArgumentOutOfRangeException(nameof(link), link, "Unknown link.");
        }
    }
}

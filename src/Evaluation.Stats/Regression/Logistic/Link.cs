namespace Evaluation.Stats.Regression;

/// <summary>The link of a binomial model: how the linear predictor η maps to the probability μ.</summary>
public enum BinomialLink
{
    /// <summary>The logit, log(μ/(1 − μ)) (logistic regression; R's <c>binomial()</c>); the default.</summary>
    Logit,

    /// <summary>The probit, Φ⁻¹(μ) (R's <c>binomial(link = "probit")</c>); coefficients have no odds ratio.</summary>
    Probit,

    /// <summary>The complementary log-log, log(−log(1 − μ)) (R's <c>binomial(link = "cloglog")</c>); coefficients have no odds ratio.</summary>
    Cloglog,
}

/// <summary>
/// A binomial link as the IRLS loop and the reference engine use it, with R's numerical conventions (R's
/// <c>make.link</c>). The binomial variance μ(1 − μ) is the family's, not the link's.
/// </summary>
internal interface ILink
{
    /// <summary>μ = g⁻¹(η).</summary>
    double Inverse(double eta);

    /// <summary>dμ/dη at η (R's <c>mu.eta</c>).</summary>
    double Derivative(double eta);

    /// <summary>η = g(μ), for the starting values.</summary>
    double Apply(double mu);

    /// <summary>True for the canonical link (the logit): the fast engine implements only it.</summary>
    bool IsCanonical { get; }
}

/// <summary>The links by <see cref="BinomialLink"/>.</summary>
internal static class Links
{
    internal static ILink Of(BinomialLink link) => link switch
    {
        BinomialLink.Logit => LogitLink.Instance,
        BinomialLink.Probit => ProbitLink.Instance,
        BinomialLink.Cloglog => CloglogLink.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(link), link, "Unknown link."),
    };
}

/// <summary>R's <c>binomial()$linkinv</c> and <c>mu.eta</c>: exp(η) clamped to [ε, 1/ε] beyond |η| > 30.</summary>
internal sealed class LogitLink : ILink
{
    internal static readonly LogitLink Instance = new();
    internal const double Eps = 2.220446049250313e-16; // DBL_EPSILON
    internal const double Thresh = 30;

    public bool IsCanonical => true;

    public double Inverse(double eta)
    {
        double t = eta < -Thresh ? Eps : eta > Thresh ? 1 / Eps : Math.Exp(eta);
        return t / (1 + t);
    }

    public double Derivative(double eta)
    {
        if (eta > Thresh || eta < -Thresh) return Eps;
        double e = Math.Exp(eta), o = 1 + e;
        return e / (o * o);
    }

    public double Apply(double mu) => Math.Log(mu / (1 - mu));
}

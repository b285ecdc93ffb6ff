using System.Globalization;
using System.Text;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Formatting;

/// <summary>
/// The printed summaries of the regression results, in the manner of R's <c>summary(glm)</c> and <c>summary(lm)</c>.
/// Every number goes through the invariant culture, whatever the current one, so a summary reads the same on every machine.
/// </summary>
internal static class RegressionText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A logistic (binomial) fit: the coefficient table, deviances, AIC, iterations, compression and warnings.</summary>
    internal static string Format(LogisticResult fit)
    {
        var sb = new StringBuilder();
        var options = fit.Options;
        string link = options.Link.ToString().ToLowerInvariant();
        sb.AppendLine(options.Link == BinomialLink.Logit
            ? options.Firth ? "Logistic regression, Firth's bias-reduced likelihood" : "Logistic regression (binomial, logit link)"
            : $"Binomial regression, {link} link{(options.Firth ? ", Firth's bias-reduced fit (mean-bias-reducing adjusted score)" : "")}");
        string? covariance = fit.CovarianceText ?? (options.Covariance == CovarianceType.Model ? null : options.Covariance.ToString());
        sb.AppendLine($"Coefficients{(covariance is null ? "" : $" (standard errors: {covariance})")}:");
        int w = TermWidth(fit.Coefficients.Select(c => c.Term));
        sb.AppendLine($"{"".PadRight(w)} {"Estimate",12} {"Std. Error",12} {"z value",9} {"Pr(>|z|)",10} {"Odds ratio",11}");
        foreach (var c in fit.Coefficients)
            sb.AppendLine(c.IsAliased
                ? $"{c.Term.PadRight(w)} {"NA",12} {"NA",12} {"NA",9} {"NA",10} {"NA",11}"
                : $"{c.Term.PadRight(w)} {Fixed(c.Estimate!.Value, 6),12} {Fixed(c.StdError!.Value, 6),12} {Fixed(c.ZValue!.Value, 3),9} {PValueText.Format(c.PValue!.Value),10} {(c.OddsRatio is double or ? Fixed(or, 4) : "NA"),11}");
        Aliased(sb, fit.Aliased);
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"    Null deviance: {Fixed(fit.NullDeviance, 3)}  on {fit.N - 1} degrees of freedom"));
        sb.AppendLine(string.Create(Inv, $"Residual deviance: {Fixed(fit.Deviance, 3)}  on {fit.N - fit.EstimableTerms.Count} degrees of freedom"));
        sb.AppendLine($"AIC: {Fixed(fit.Aic, 3)};  log-likelihood: {Fixed(fit.LogLikelihood, 3)}");
        sb.AppendLine(string.Create(Inv, $"Iterations: {fit.Iterations}{(fit.Converged ? "" : " (did NOT converge)")}"));
        if (fit.Patterns is int patterns)
            sb.AppendLine(string.Create(Inv, $"Compressed fit: {fit.N:N0} rows fitted as {patterns:N0} covariate patterns (events of trials); the estimates and standard errors are the row-level ones"));
        Warnings(sb, fit.Warnings);
        return sb.ToString();
    }

    /// <summary>A linear fit: the coefficient table with intervals, σ, R² and warnings.</summary>
    internal static string Format(LinearResult fit)
    {
        var sb = new StringBuilder();
        var options = fit.Options;
        sb.AppendLine("Linear regression (OLS)");
        sb.AppendLine($"Coefficients (standard errors: {(options.Covariance.Type == CovarianceType.Model ? "model" : options.Covariance.Describe())}; {options.ConfidenceLevel.ToString("0.###", Inv)} intervals):");
        int w = TermWidth(fit.Coefficients.Select(c => c.Term));
        sb.AppendLine($"{"".PadRight(w)} {"Estimate",12} {"Std. Error",12} {"t value",9} {"Pr(>|t|)",10} {"CI lower",12} {"CI upper",12}");
        foreach (var c in fit.Coefficients)
            sb.AppendLine(c.IsAliased
                ? $"{c.Term.PadRight(w)} {"NA",12} {"NA",12} {"NA",9} {"NA",10} {"NA",12} {"NA",12}"
                : $"{c.Term.PadRight(w)} {Fixed(c.Estimate!.Value, 6),12} {Fixed(c.StdError!.Value, 6),12} {Fixed(c.TValue!.Value, 3),9} {PValueText.Format(c.PValue!.Value),10} {Fixed(c.CiLower!.Value, 6),12} {Fixed(c.CiUpper!.Value, 6),12}");
        Aliased(sb, fit.Aliased);
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv, $"Residual standard error: {Fixed(fit.Sigma, 4)} on {fit.ResidualDegreesOfFreedom} degrees of freedom"));
        sb.AppendLine($"Multiple R-squared: {Fixed(fit.RSquared, 4)},  Adjusted R-squared: {Fixed(fit.AdjustedRSquared, 4)}");
        Warnings(sb, fit.Warnings);
        return sb.ToString();
    }

    /// <summary>An adjusted DiD on one line: log-odds, SE, p, odds ratio with CI, ATT with SE, n and the fit's warnings.</summary>
    internal static string Format(AdjustedDid adjusted)
    {
        var warnings = adjusted.Model.Warnings;
        if (adjusted.LogOdds is null)
            return string.Create(Inv, $"adjusted interaction not estimable (n = {adjusted.N}): {string.Join("; ", warnings)}");
        return string.Create(Inv, $"log-odds {adjusted.LogOdds:0.0000} (SE {adjusted.StdError:0.0000}, p {PValueText.Format(adjusted.PValue)}); OR {adjusted.OddsRatio:0.000} ({adjusted.OddsRatioCiLower:0.000} to {adjusted.OddsRatioCiUpper:0.000}); ATT {adjusted.Att:+0.0000;-0.0000} (SE {adjusted.AttStdError:0.0000}); n {adjusted.N}")
            + (warnings.Count > 0 ? $" [{string.Join("; ", warnings)}]" : "");
    }

    private static string Fixed(double value, int decimals) => value.ToString(decimals switch
    {
        3 => "0.000",
        4 => "0.0000",
        _ => "0.000000",
    }, Inv);

    private static int TermWidth(IEnumerable<string> terms) => Math.Max(12, terms.Max(t => t.Length));

    private static void Aliased(StringBuilder sb, IReadOnlyList<string> aliased)
    {
        if (aliased.Count > 0) sb.AppendLine(string.Create(Inv, $"({aliased.Count} not defined because of singularities: {string.Join(", ", aliased)})"));
    }

    private static void Warnings(StringBuilder sb, IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings) sb.AppendLine($"Warning: {warning}");
    }
}

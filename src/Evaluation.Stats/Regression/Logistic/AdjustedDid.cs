using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The covariate-adjusted DiD of one pair and outcome (methodology §6): the record-level logistic model
/// <c>logit P(y) = b0 + b1·pilot + b2·post + b3·pilot·post + covariates</c> with both windows pooled.
/// Every number is <c>null</c> when the interaction could not be estimated (for example, it is aliased).
/// </summary>
/// <param name="LogOdds">b3, the interaction on the log-odds scale.</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="PValue">Its two-sided Wald p-value.</param>
/// <param name="OddsRatio">exp(b3).</param>
/// <param name="OddsRatioCiLower">The lower confidence limit of the odds ratio.</param>
/// <param name="OddsRatioCiUpper">The upper confidence limit of the odds ratio.</param>
/// <param name="Att">Puhani's treatment effect on the treated, on the probability scale (a fraction).</param>
/// <param name="AttStdError">Its delta-method standard error.</param>
/// <param name="N">Rows in the model (the four cells' n).</param>
/// <param name="Model">The full fit, with every coefficient, warnings and convergence.</param>
public sealed record AdjustedDid(double? LogOdds, double? StdError, double? PValue, double? OddsRatio, double? OddsRatioCiLower,
    double? OddsRatioCiUpper, double? Att, double? AttStdError, int N, LogisticResult Model)
{
    /// <summary>The interaction's term name.</summary>
    public const string InteractionTerm = "pilot:post";

    /// <summary>Fits the model and extracts the interaction and the ATT.</summary>
    /// <param name="data">The rows: numeric columns <c>pilot</c> and <c>post</c> (0/1) and the covariates.</param>
    /// <param name="y">The outcome, 0 or 1.</param>
    /// <param name="numeric">Numeric covariates, entered linearly.</param>
    /// <param name="categorical">Categorical covariates, as treatment contrasts with a <c>(missing)</c> level.</param>
    /// <param name="options">Fit options.</param>
    public static AdjustedDid Fit(ModelData data, IReadOnlyList<double> y, IReadOnlyList<string> numeric, IReadOnlyList<string> categorical, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(numeric);
        ArgumentNullException.ThrowIfNull(categorical);
        options ??= LogisticOptions.Default;
        var spec = new ModelSpec(["pilot", "post", .. numeric], categorical, [("pilot", "post")]);
        var model = new LogisticModel(data, spec, y);
        var fit = model.Fit(options);
        var b = fit[InteractionTerm];
        if (b.IsAliased) return new AdjustedDid(null, null, null, null, null, null, null, null, data.Rows, fit);
        var pilot = data.Numeric("pilot");
        var post = data.Numeric("post");
        var treated = Enumerable.Range(0, data.Rows).Select(i => pilot[i] == 1 && post[i] == 1).ToArray();
        var att = model.TreatmentEffectOnTreated(fit, InteractionTerm, treated);
        return new AdjustedDid(b.Estimate, b.StdError, b.PValue, b.OddsRatio, Math.Exp(b.CiLower!.Value), Math.Exp(b.CiUpper!.Value),
            att?.Estimate, att?.StdError, data.Rows, fit);
    }

    /// <summary>One line: log-odds, SE, p, odds ratio with CI, ATT with SE, in the invariant culture.</summary>
    public override string ToString() => Formatting.RegressionText.Format(this);
}

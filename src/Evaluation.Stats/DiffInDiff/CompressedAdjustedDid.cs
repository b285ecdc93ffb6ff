using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.DiffInDiff;

/// <summary>
/// The adjusted DiD of a pair without covariates, fitted compressed (docs/methodology.md, "Compressed fits"): the
/// model <c>pilot + post + pilot:post</c> on 0/1 rows has at most four covariate patterns (pilot × post, with the
/// outcome summed), and the grouped fit on them has the row-level likelihood, so the estimates, standard errors,
/// deviance and log-likelihood are those of <see cref="AdjustedDid.Fit"/> on the rows; the result's
/// <see cref="LogisticResult.Patterns"/> says it was compressed. With cluster-robust errors the cluster joins the key.
/// </summary>
internal static class CompressedAdjustedDid
{
    /// <summary>
    /// The compressed fit, or null when the row-level fit must be run instead: the rows do not compress well (too
    /// many patterns), or the fit is one whose row-level probe names diverging terms (separation, no convergence, an
    /// information matrix driven singular).
    /// </summary>
    /// <param name="data">The rows: 0/1 columns <c>pilot</c> and <c>post</c> and nothing else.</param>
    /// <param name="y">The outcome, 0 or 1.</param>
    /// <param name="options">Fit options.</param>
    public static AdjustedDid? TryFit(ModelData data, double[] y, LogisticOptions options)
    {
        var spec = new ModelSpec(["pilot", "post"], [], [("pilot", "post")]);
        LogisticResult? fit;
        try
        {
            fit = CompressedFit.TryFit(data, spec, y, null, options);
        }
        catch (Numerics.NotPositiveDefiniteException)
        {
            // Separated cells can drive the pattern fit's information matrix singular; the row-level fit reports them.
            return null;
        }
        if (fit is null) return null;
        var b = fit[AdjustedDid.InteractionTerm];
        if (b.IsAliased) return new AdjustedDid(null, null, null, null, null, null, null, null, data.Rows, fit);
        // Every treated row (pilot = post = 1) has the same design row, all ones, so Puhani's mean over the treated
        // rows is its value at that one row, and so is the gradient of the delta method.
        var terms = fit.Coefficients.Select(c => c.Term).ToArray();
        var treatedRow = new LogisticModel(Matrix<double>.Build.Dense(1, terms.Length, 1.0), terms, [1.0]);
        var att = treatedRow.TreatmentEffectOnTreated(fit, AdjustedDid.InteractionTerm, [true]);
        return new AdjustedDid(b.Estimate, b.StdError, b.PValue, b.OddsRatio, Math.Exp(b.CiLower!.Value), Math.Exp(b.CiUpper!.Value),
            att?.Estimate, att?.StdError, data.Rows, fit);
    }
}

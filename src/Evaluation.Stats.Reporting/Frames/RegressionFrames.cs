using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Linear;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary><c>ToDataFrame()</c> for logistic and linear fits, their covariance matrices and adjusted DiDs. Undefined numbers (an aliased term's) are missing values.</summary>
public static class RegressionFrames
{
    /// <summary>
    /// The coefficient table, one row per term in design order (aliased terms included, with missing numbers and
    /// <c>aliased</c> true): <c>term</c>, <c>estimate</c>, <c>stdError</c>, <c>zValue</c>, <c>pValue</c>,
    /// <c>ciLower</c>, <c>ciUpper</c> (log-odds), <c>oddsRatio</c>, <c>aliased</c>, <c>separation</c>.
    /// </summary>
    public static DataFrame ToDataFrame(this LogisticResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var separated = new HashSet<string>(fit.Separation, StringComparer.Ordinal);
        return FrameBuilder.Of(fit.Coefficients)
            .Text("term", c => c.Term)
            .Number("estimate", c => c.Estimate).Number("stdError", c => c.StdError).Number("zValue", c => c.ZValue)
            .Number("pValue", c => c.PValue).Number("ciLower", c => c.CiLower).Number("ciUpper", c => c.CiUpper)
            .Number("oddsRatio", c => c.OddsRatio)
            .Flag("aliased", c => c.IsAliased).Flag("separation", c => separated.Contains(c.Term))
            .Build();
    }

    /// <summary>
    /// The coefficient table of a linear fit, one row per term in design order (aliased terms included, with missing
    /// numbers and <c>aliased</c> true): <c>term</c>, <c>estimate</c>, <c>stdError</c>, <c>tValue</c>, <c>pValue</c>,
    /// <c>ciLower</c>, <c>ciUpper</c>, <c>aliased</c>.
    /// </summary>
    public static DataFrame ToDataFrame(this LinearResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return FrameBuilder.Of(fit.Coefficients)
            .Text("term", c => c.Term)
            .Number("estimate", c => c.Estimate).Number("stdError", c => c.StdError).Number("tValue", c => c.TValue)
            .Number("pValue", c => c.PValue).Number("ciLower", c => c.CiLower).Number("ciUpper", c => c.CiUpper)
            .Flag("aliased", c => c.IsAliased)
            .Build();
    }

    /// <summary>A covariance matrix as a frame: a <c>term</c> column, then one column per term, named for it.</summary>
    public static DataFrame ToDataFrame(this TermMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var b = FrameBuilder.Of(Enumerable.Range(0, matrix.RowCount).ToArray()).Text("term", a => matrix.Terms[a]);
        for (int column = 0; column < matrix.ColumnCount; column++)
        {
            int c = column;
            b = b.Number(matrix.Terms[c], a => matrix[a, c]);
        }
        return b.Build();
    }

    /// <summary>The adjusted DiD as a one-row frame (the columns of <see cref="ToAdjustedDataFrame"/> without pair and outcome).</summary>
    public static DataFrame ToDataFrame(this AdjustedDid adjusted)
    {
        ArgumentNullException.ThrowIfNull(adjusted);
        return AddAdjusted(FrameBuilder.Of(new[] { adjusted }), a => a, prefix: null).Build();
    }

    /// <summary>
    /// The adjusted models of an evaluation, one row per pair and record-level outcome: <c>pair</c>, <c>outcome</c>,
    /// <c>logOdds</c>, <c>stdError</c>, <c>pValue</c>, <c>oddsRatio</c> with its CI, <c>att</c> (a fraction) and
    /// <c>attStdError</c>, <c>n</c>, <c>covariates</c> (the model's terms beyond the three DiD terms and the intercept;
    /// empty when the model has none, so it is the saturated 2×2 logit), <c>converged</c>, <c>iterations</c> and <c>warnings</c>.
    /// </summary>
    public static DataFrame ToAdjustedDataFrame(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return AdjustedFrame(result.Pairs.SelectMany(p => p.Outcomes.Values.Where(o => o.Adjusted is not null).Select(o => (p.Name, o.Outcome, o.Adjusted!))));
    }

    internal static DataFrame AdjustedFrame(IEnumerable<(string Pair, string Outcome, AdjustedDid Adjusted)> rows) =>
        AddAdjusted(FrameBuilder.Of(rows).Text("pair", r => r.Pair).Text("outcome", r => r.Outcome), r => r.Adjusted, prefix: null).Build();

    /// <summary>The terms of an adjusted model other than the intercept and the three DiD terms.</summary>
    public static IReadOnlyList<string> CovariateTerms(this AdjustedDid adjusted)
    {
        ArgumentNullException.ThrowIfNull(adjusted);
        return adjusted.Model.Coefficients.Select(c => c.Term)
            .Where(t => t is not ("(Intercept)" or "pilot" or "post" or AdjustedDid.InteractionTerm)).ToArray();
    }

    internal static FrameBuilder<T> AddAdjusted<T>(FrameBuilder<T> b, Func<T, AdjustedDid?> adjusted, string? prefix)
    {
        string N(string name) => prefix is null ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
        return b
            .Number(N("logOdds"), r => adjusted(r)?.LogOdds).Number(N("stdError"), r => adjusted(r)?.StdError).Number(N("pValue"), r => adjusted(r)?.PValue)
            .Number(N("oddsRatio"), r => adjusted(r)?.OddsRatio)
            .Number(N("oddsRatioCiLower"), r => adjusted(r)?.OddsRatioCiLower).Number(N("oddsRatioCiUpper"), r => adjusted(r)?.OddsRatioCiUpper)
            .Number(N("att"), r => adjusted(r)?.Att).Number(N("attStdError"), r => adjusted(r)?.AttStdError)
            .Long(N("n"), r => adjusted(r)?.N)
            .Text(N("covariates"), r => adjusted(r) is { } a ? string.Join(", ", a.CovariateTerms()) : null)
            .Text(N("converged"), r => adjusted(r) is { } a ? (a.Model.Converged ? "true" : "false") : null)
            .Long(N("iterations"), r => adjusted(r)?.Model.Iterations)
            .Text(N("warnings"), r => adjusted(r) is { } a ? string.Join("; ", a.Model.Warnings) : null);
    }
}

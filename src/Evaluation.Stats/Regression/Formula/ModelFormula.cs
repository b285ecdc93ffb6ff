namespace Evaluation.Stats.Regression.Formula;

/// <summary>
/// A parsed R-style model formula, <c>y ~ pilot*post + age + C(sex, ref='M')</c>: its response, its variables in
/// order of first mention, its terms in R's order (by number of variables, then as written) and whether it has an
/// intercept. <see cref="Expand"/> turns it into a design on a data set, with R's <c>model.matrix</c> columns.
/// </summary>
/// <remarks>
/// Supported: <c>+</c>, <c>*</c>, <c>:</c>, <c>-</c> (removing a term), parentheses, <c>-1</c>/<c>+0</c> (no
/// intercept), <c>C(col)</c> (treat a column as categorical) and <c>C(col, ref='level')</c> (its reference
/// level; R's <c>relevel</c>). Column names that are not plain identifiers go in backticks. Anything else
/// (<c>/</c>, <c>^</c>, <c>%in%</c>, <c>.</c>, functions such as <c>log()</c>) is refused with its position.
/// </remarks>
public sealed class ModelFormula
{
    private ModelFormula(string text, string? response, int responsePosition, IReadOnlyList<FormulaVariable> variables,
        IReadOnlyList<IReadOnlyList<int>> terms, bool intercept)
    {
        Text = text;
        Response = response;
        ResponsePosition = responsePosition;
        Variables = variables;
        Terms = terms;
        HasIntercept = intercept;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>The response column, or <c>null</c> for a right-hand side only.</summary>
    public string? Response { get; }

    /// <summary>The 0-based position of the response in <see cref="Text"/>, or −1.</summary>
    public int ResponsePosition { get; }

    /// <summary>The right-hand side's columns in order of first mention (R's variable order).</summary>
    public IReadOnlyList<FormulaVariable> Variables { get; }

    /// <summary>The terms in design order; each is the indices into <see cref="Variables"/> of its columns, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Terms { get; }

    /// <summary>Whether the design has an intercept.</summary>
    public bool HasIntercept { get; }

    /// <summary>The terms' labels as R writes them (<c>pilot:post</c>; variables in order of first mention).</summary>
    public IReadOnlyList<string> TermLabels => Terms.Select(t => string.Join(":", t.Select(v => Variables[v].Name))).ToArray();

    /// <summary>Every column the formula reads: the response (if any) and the right-hand side's variables.</summary>
    public IReadOnlyList<string> Columns => (Response is null ? [] : new[] { Response }).Concat(Variables.Select(v => v.Name)).ToArray();

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormulaException">When the formula is malformed; the message gives the character position.</exception>
    public static ModelFormula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new FormulaException(text, 0, "the formula is empty");
        var (response, position, variables, terms, intercept) = FormulaParser.Parse(text);
        return new ModelFormula(text, response, position, variables, terms.Select(t => (IReadOnlyList<int>)t).ToArray(), intercept);
    }

    /// <summary>
    /// Expands the formula on <paramref name="data"/> into its design: the intercept, then each term's columns, with
    /// R's rules for contrasts and indicators (see <see cref="TermExpansion"/> and docs/methodology.md).
    /// </summary>
    /// <exception cref="FormulaException">When a column is not in the data, a reference level is not one of the column's levels, or a categorical term has a single level.</exception>
    public FormulaDesign Expand(ModelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return TermExpansion.Expand(this, data);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

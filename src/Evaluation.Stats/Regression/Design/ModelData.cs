namespace Evaluation.Stats.Regression;

/// <summary>
/// The columns of a model's data: numeric columns as doubles (NaN for blank) and categorical columns as text
/// (null for blank). Every column has the same length, one entry per row.
/// </summary>
public sealed class ModelData
{
    private readonly Dictionary<string, double[]> _numeric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?[]> _categorical = new(StringComparer.Ordinal);

    /// <summary>Creates an empty data set of <paramref name="rows"/> rows.</summary>
    public ModelData(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Rows = rows;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>Adds a numeric column; NaN marks a blank value.</summary>
    public ModelData AddNumeric(string name, double[] values)
    {
        Check(name, values.Length);
        _numeric[name] = values;
        return this;
    }

    /// <summary>Adds a categorical column; <c>null</c> (or blank) is the <c>(missing)</c> level.</summary>
    public ModelData AddCategorical(string name, string?[] values)
    {
        Check(name, values.Length);
        _categorical[name] = values;
        return this;
    }

    /// <summary>The numeric column <paramref name="name"/>.</summary>
    public double[] Numeric(string name) => _numeric.TryGetValue(name, out var v) ? v : throw new ArgumentException($"No numeric column '{name}'.", nameof(name));

    /// <summary>The categorical column <paramref name="name"/>.</summary>
    public string?[] Categorical(string name) => _categorical.TryGetValue(name, out var v) ? v : throw new ArgumentException($"No categorical column '{name}'.", nameof(name));

    private void Check(string name, int length)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (length != Rows) throw new ArgumentException($"Column '{name}' has {length} values for {Rows} rows.", nameof(name));
        if (_numeric.ContainsKey(name) || _categorical.ContainsKey(name)) throw new ArgumentException($"Column '{name}' is added twice.", nameof(name));
    }
}

/// <summary>
/// What goes into a model: an intercept, numeric terms, categorical terms (treatment contrasts) and
/// products of numeric columns (interactions such as <c>pilot:post</c>), in that design order.
/// </summary>
/// <param name="Numeric">Numeric columns, entered linearly.</param>
/// <param name="Categorical">Categorical columns, coded as treatment contrasts against the first level in ordinal string order; a blank is its own <c>(missing)</c> level.</param>
/// <param name="Interactions">Products of two numeric columns, named <c>a:b</c>.</param>
/// <param name="Intercept">Whether the model has an intercept (first column).</param>
public sealed record ModelSpec(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical,
    IReadOnlyList<(string A, string B)> Interactions, bool Intercept = true)
{
    /// <summary>The label of the level for blank values.</summary>
    public const string MissingLevel = "(missing)";
}

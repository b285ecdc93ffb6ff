namespace Evaluation.Stats.Regression;

/// <summary>
/// The columns of a model's data: numeric columns as doubles (NaN for blank) and categorical columns as text
/// (null for blank), or as integer codes with one label per code (as a reader holds them after a load). Every
/// column has the same length, one entry per row.
/// </summary>
public sealed class ModelData
{
    private readonly Dictionary<string, double[]> _numeric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?[]> _categorical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int[] Codes, string?[] Labels)> _coded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?[]> _expanded = new(StringComparer.Ordinal); // coded columns as labels, made when asked for

    /// <summary>Creates an empty data set of <paramref name="rows"/> rows.</summary>
    public ModelData(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Rows = rows;
        // First-fit latency (issue 14): the fast engine's kernels compile on an idle core while the data are loaded,
        // rather than inside the first fit (once per process; a no-op without a JIT or when switched off).
        Numerics.KernelPrecompile.Start();
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

    /// <summary>
    /// Adds a categorical column as codes: row i has the label <paramref name="labels"/>[<paramref name="codes"/>[i]]
    /// (<c>null</c> or blank is the <c>(missing)</c> level). The model is the same as with the labels row by row; the
    /// fits code such a column without reading a string per row. Labels need not be sorted, distinct or all used.
    /// </summary>
    /// <exception cref="ArgumentException">When a code is outside 0..labels − 1 (the message names the row).</exception>
    public ModelData AddCategorical(string name, int[] codes, IReadOnlyList<string?> labels)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(labels);
        Check(name, codes.Length);
        if (codes.Length > 0 && (System.Numerics.Tensors.TensorPrimitives.Min<int>(codes) < 0 || System.Numerics.Tensors.TensorPrimitives.Max<int>(codes) >= labels.Count))
        {
            int bad = Array.FindIndex(codes, c => c < 0 || c >= labels.Count);
            throw new ArgumentException($"Column '{name}' has code {codes[bad]} in row {bad + 1}; codes must lie in 0..{labels.Count - 1} (one per label).", nameof(codes));
        }
        _coded[name] = (codes, labels.ToArray());
        return this;
    }

    /// <summary>The codes and labels of categorical column <paramref name="name"/> when it was added as codes.</summary>
    internal bool TryCodes(string name, out int[] codes, out string?[] labels)
    {
        bool found = _coded.TryGetValue(name, out var c);
        (codes, labels) = found ? c : ([], []);
        return found;
    }

    /// <summary>The numeric column <paramref name="name"/>.</summary>
    public double[] Numeric(string name) => _numeric.TryGetValue(name, out var v) ? v : throw new ArgumentException($"No numeric column '{name}'.", nameof(name));

    /// <summary>The categorical column <paramref name="name"/> (a column added as codes is expanded to its labels once, on first call).</summary>
    public string?[] Categorical(string name)
    {
        if (_categorical.TryGetValue(name, out var v)) return v;
        if (!_coded.TryGetValue(name, out var c)) throw new ArgumentException($"No categorical column '{name}'.", nameof(name));
        lock (_expanded)
        {
            if (_expanded.TryGetValue(name, out v)) return v;
            v = new string?[Rows];
            for (int i = 0; i < v.Length; i++) v[i] = c.Labels[c.Codes[i]];
            _expanded[name] = v;
            return v;
        }
    }

    private void Check(string name, int length)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (length != Rows) throw new ArgumentException($"Column '{name}' has {length} values for {Rows} rows.", nameof(name));
        if (_numeric.ContainsKey(name) || _categorical.ContainsKey(name) || _coded.ContainsKey(name)) throw new ArgumentException($"Column '{name}' is added twice.", nameof(name));
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

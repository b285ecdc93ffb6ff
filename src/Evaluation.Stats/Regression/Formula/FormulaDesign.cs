using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression.Formula;

/// <summary>
/// The design of a formula on a data set: its columns in R's <c>model.matrix</c> order, each named (as the
/// library names them: <c>(Intercept)</c>, <c>age</c>, <c>sex[M]</c>, <c>pilot:post</c>, <c>x:f[b]</c>; R writes
/// <c>sexM</c>, <c>x:fb</c>), with the term each column belongs to. It converts to the dense design of the
/// reference engines and to the columnar design of the fast ones.
/// </summary>
public sealed class FormulaDesign : IDesignRows
{
    internal FormulaDesign(ModelFormula formula, int rows, double[]?[] dense, (int Variable, int Level)[] coded, CategoricalCodes[] categoricals,
        string[] names, int[] assign, IReadOnlyDictionary<string, IReadOnlyList<string>> levels)
    {
        Formula = formula;
        Rows = rows;
        _dense = dense;
        _coded = coded;
        _categoricals = categoricals;
        TermNames = names;
        _assign = assign;
        Levels = levels;
    }

    /// <summary>A categorical variable's row codes (indices into its levels, the reference first) and its number of levels.</summary>
    internal sealed record CategoricalCodes(int[] Codes, int Count);

    private readonly int[] _assign;
    private readonly double[]?[] _dense;                 // per column, its values; null for a level indicator held as codes
    private readonly (int Variable, int Level)[] _coded; // per column held as codes: its variable (in _categoricals) and level
    private readonly CategoricalCodes[] _categoricals;
    private double[][]? _columns;

    /// <summary>
    /// The columns, each of length <see cref="Rows"/> (not copied: internal callers must not write). A categorical
    /// term's level indicators are held as codes and expanded here on first use (the fast design reads the codes).
    /// </summary>
    internal double[][] Columns => _columns ??= _dense.Select((d, j) => d ?? Indicator(_coded[j])).ToArray();

    private double[] Indicator((int Variable, int Level) c)
    {
        var codes = _categoricals[c.Variable].Codes;
        var col = new double[Rows];
        for (int i = 0; i < col.Length; i++) col[i] = codes[i] == c.Level ? 1.0 : 0.0;
        return col;
    }

    /// <summary>The formula.</summary>
    public ModelFormula Formula { get; }

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>For each column, the term it belongs to: 0 for the intercept, k for the formula's k-th term (R's <c>assign</c>).</summary>
    public IReadOnlyList<int> Assign => _assign;

    /// <summary>For each categorical variable, its levels in order; the first is the reference.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Levels { get; }

    /// <summary>The value of column <paramref name="j"/> in row <paramref name="i"/>.</summary>
    public double this[int i, int j] => _dense[j] is { } d ? d[i] : _categoricals[_coded[j].Variable].Codes[i] == _coded[j].Level ? 1.0 : 0.0;

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int j = 0; j < _dense.Length; j++) row[j] = this[i, j];
    }

    /// <summary>The dense design of the reference engines (a copy).</summary>
    internal DesignMatrix ToDesignMatrix() =>
        new(Matrix<double>.Build.DenseOfColumnArrays(Columns), TermNames.ToArray(), Levels);

    /// <summary>
    /// The columnar design of the fast engines: the level indicators of categorical terms as code columns (never
    /// expanded; their blocks of X'WX are sums per level), every other column dense (numeric terms, interactions,
    /// including a categorical's with a numeric or another categorical), sharing this design's arrays.
    /// </summary>
    internal FastDesign ToFastDesign()
    {
        var dense = new List<double[]>();
        var parameters = new DesignColumn[_dense.Length];
        for (int j = 0; j < _dense.Length; j++)
            if (_dense[j] is { } d) { parameters[j] = new DesignColumn(dense.Count); dense.Add(d); }
            else parameters[j] = new DesignColumn(_coded[j].Variable, [_coded[j].Level], _categoricals[_coded[j].Variable].Count);
        return FastDesign.FromParts(Rows, dense.ToArray(), _categoricals.Select(c => c.Codes).ToArray(), _categoricals.Select(c => c.Count).ToArray(),
            parameters, TermNames.ToArray(), Levels);
    }

    /// <summary>
    /// A logistic (binomial) model of <paramref name="outcome"/> on this design, on its columnar design (categorical
    /// terms as codes), with prior weights and an offset when given (see <see cref="LogisticModel"/>).
    /// </summary>
    public LogisticModel Logistic(IReadOnlyList<double> outcome, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? offset = null) =>
        new(ToFastDesign(), outcome, weights, offset);
}

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
    internal FormulaDesign(ModelFormula formula, double[][] columns, string[] names, int[] assign,
        IReadOnlyDictionary<string, IReadOnlyList<string>> levels)
    {
        Formula = formula;
        Columns = columns;
        TermNames = names;
        _assign = assign;
        Levels = levels;
        Rows = columns.Length == 0 ? 0 : columns[0].Length;
    }

    private readonly int[] _assign;

    /// <summary>The columns, each of length <see cref="Rows"/> (not copied: internal callers must not write).</summary>
    internal double[][] Columns { get; }

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
    public double this[int i, int j] => Columns[j][i];

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int j = 0; j < Columns.Length; j++) row[j] = Columns[j][i];
    }

    /// <summary>The dense design of the reference engines (a copy).</summary>
    internal DesignMatrix ToDesignMatrix() =>
        new(Matrix<double>.Build.DenseOfColumnArrays(Columns), TermNames.ToArray(), Levels);

    /// <summary>The columnar design of the fast engines (sharing this design's columns, which are never written).</summary>
    internal FastDesign ToFastDesign() => FastDesign.FromColumns(Columns, TermNames);

    /// <summary>
    /// A logistic (binomial) model of <paramref name="outcome"/> on this design: on the columnar design (fast engine)
    /// for 0/1 records, on the dense design with prior weights or an offset (see <see cref="LogisticModel"/>).
    /// </summary>
    public LogisticModel Logistic(IReadOnlyList<double> outcome, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? offset = null) =>
        weights is null && offset is null
            ? new LogisticModel(ToFastDesign(), outcome)
            : new LogisticModel(Matrix<double>.Build.DenseOfColumnArrays(Columns), TermNames, outcome, weights, offset);
}

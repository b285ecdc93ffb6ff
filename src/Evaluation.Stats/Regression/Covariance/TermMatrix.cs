using System.Globalization;
using Evaluation.Stats.Formatting;

namespace Evaluation.Stats.Regression;

/// <summary>
/// A read-only square matrix over named model terms: the covariance of a fit's estimated terms. Entries are read
/// by position or by term name; <see cref="ToArray"/> gives a copy the caller owns. Nothing can write to it.
/// </summary>
/// <remarks>
/// A fit with an absorbed many-level categorical holds its covariance in blocks and computes each entry on demand;
/// the indexers work for it, but <see cref="ToArray"/> refuses a matrix of more than 2^26 entries.
/// </remarks>
public sealed class TermMatrix
{
    private readonly CovarianceMatrix _values;

    internal TermMatrix(CovarianceMatrix values, IReadOnlyList<string> terms)
    {
        if (values.Size != terms.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A {values.Size} × {values.Size} matrix cannot be named by {terms.Count} terms."), nameof(terms));
        _values = values;
        Terms = terms;
    }

    /// <summary>The terms naming the rows and the columns, in order.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The number of rows.</summary>
    public int RowCount => Terms.Count;

    /// <summary>The number of columns (the same as <see cref="RowCount"/>).</summary>
    public int ColumnCount => Terms.Count;

    /// <summary>Entry (<paramref name="row"/>, <paramref name="column"/>), by position among <see cref="Terms"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a position is outside 0 to <see cref="RowCount"/> − 1.</exception>
    public double this[int row, int column]
    {
        get
        {
            CheckPosition(row, nameof(row));
            CheckPosition(column, nameof(column));
            return _values[row, column];
        }
    }

    /// <summary>Entry (<paramref name="row"/>, <paramref name="column"/>), by term name.</summary>
    /// <exception cref="KeyNotFoundException">When a term is not one of <see cref="Terms"/> (it was aliased or is absent).</exception>
    public double this[string row, string column] => _values[IndexOf(row), IndexOf(column)];

    /// <summary>The position of <paramref name="term"/> among <see cref="Terms"/>.</summary>
    /// <exception cref="KeyNotFoundException">When the term is not one of <see cref="Terms"/> (it was aliased or is absent).</exception>
    public int IndexOf(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        for (int i = 0; i < Terms.Count; i++) if (Terms[i] == term) return i;
        throw new KeyNotFoundException($"Term '{term}' was not estimated (aliased or absent).");
    }

    /// <summary>A copy of the whole matrix, which the caller may change freely.</summary>
    /// <exception cref="InvalidOperationException">When the matrix has more than 2^26 entries (a fit with an absorbed many-level categorical): read single entries instead.</exception>
    public double[,] ToArray()
    {
        int p = RowCount;
        var dense = _values.ToDense();
        var copy = new double[p, p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) copy[a, b] = dense[a * p + b];
        return copy;
    }

    /// <summary>The matrix as text, in the manner of R's <c>print(vcov(fit))</c>, with the invariant culture.</summary>
    public override string ToString() => MatrixFormatter.Format(this);

    internal CovarianceMatrix Values => _values;

    private void CheckPosition(int position, string name)
    {
        if ((uint)position >= (uint)Terms.Count)
            throw new ArgumentOutOfRangeException(name, position, string.Create(CultureInfo.InvariantCulture, $"A position among the {Terms.Count} terms is 0 to {Terms.Count - 1}."));
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>A model's design matrix, with a name for each column (as in R: <c>(Intercept)</c>, <c>age</c>, <c>sex[M]</c>, <c>pilot:post</c>).</summary>
internal sealed class DesignMatrix : IDesignRows
{
    internal DesignMatrix(Matrix<double> x, string[] names, IReadOnlyDictionary<string, IReadOnlyList<string>> levels)
    {
        X = x;
        TermNames = names;
        Levels = levels;
    }

    /// <summary>The n × p matrix.</summary>
    public Matrix<double> X { get; }

    /// <summary>The column names, in design order.</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>For each categorical column, its levels in order; the first is the reference.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Levels { get; }

    /// <inheritdoc />
    public int Rows => X.RowCount;

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int j = 0; j < X.ColumnCount; j++) row[j] = X[i, j];
    }

    /// <summary>Builds the design matrix of <paramref name="spec"/> on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">When a numeric value is blank (NaN) or infinite: blanks must be set aside before modelling.</exception>
    public static DesignMatrix Build(ModelData data, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        var columns = new List<(string Name, Func<int, double> Value)>();
        var levels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (spec.Intercept) columns.Add(("(Intercept)", _ => 1.0));
        foreach (var name in spec.Numeric)
        {
            var v = data.Numeric(name);
            for (int i = 0; i < v.Length; i++)
                if (!double.IsFinite(v[i])) throw new ArgumentException($"Numeric column '{name}' has a blank or non-finite value in row {i + 1}; such rows are data errors and must be excluded first.");
            columns.Add((name, i => v[i]));
        }
        foreach (var name in spec.Categorical)
        {
            var v = data.Categorical(name);
            var labels = v.Select(Label).ToArray();
            var lv = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            levels[name] = lv;
            foreach (var level in lv.Skip(spec.Intercept ? 1 : 0))
                columns.Add(($"{name}[{level}]", i => string.Equals(labels[i], level, StringComparison.Ordinal) ? 1.0 : 0.0));
        }
        foreach (var (a, b) in spec.Interactions)
        {
            var va = data.Numeric(a);
            var vb = data.Numeric(b);
            columns.Add(($"{a}:{b}", i => va[i] * vb[i]));
        }
        var x = Matrix<double>.Build.Dense(data.Rows, columns.Count, (i, j) => columns[j].Value(i));
        return new DesignMatrix(x, columns.Select(c => c.Name).ToArray(), levels);
    }

    private static string Label(string? value) => string.IsNullOrWhiteSpace(value) ? ModelSpec.MissingLevel : value.Trim();
}

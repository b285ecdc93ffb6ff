namespace Evaluation.Stats.Regression;

/// <summary>Rows of a design that can be expanded one at a time (for the ATT and robust scores).</summary>
public interface IDesignRows
{
    /// <summary>The number of rows.</summary>
    int Rows { get; }

    /// <summary>The column names, in design order.</summary>
    IReadOnlyList<string> TermNames { get; }

    /// <summary>Writes row <paramref name="i"/>, all columns in design order, into <paramref name="row"/>.</summary>
    void FillRow(int i, Span<double> row);
}

/// <summary>
/// The columnar design of the fast path: dense columns (the intercept, numeric terms and interactions) stored
/// column by column, and categorical terms kept as integer codes with a level dictionary instead of expanded
/// dummies. Its columns, names and order are exactly those of <see cref="DesignMatrix.Build"/>.
/// </summary>
public sealed class FastDesign : IDesignRows
{
    internal readonly double[][] Dense;        // dense columns, each of length Rows
    internal readonly int[][] Codes;           // per categorical, the level code of each row
    internal readonly int[] LevelCounts;       // per categorical, its number of levels
    internal readonly int[] FirstLevel;        // per categorical, 1 when the reference level is dropped, else 0
    internal readonly (int Dense, int Cat, int Level)[] Parameters; // each design column: a dense index, or a categorical and level

    private FastDesign(int rows, double[][] dense, int[][] codes, int[] levelCounts, int[] firstLevel,
        (int, int, int)[] parameters, string[] names, IReadOnlyDictionary<string, IReadOnlyList<string>> levels)
    {
        Rows = rows;
        Dense = dense;
        Codes = codes;
        LevelCounts = levelCounts;
        FirstLevel = firstLevel;
        Parameters = parameters;
        TermNames = names;
        Levels = levels;
        Groups = CategoricalGroups.Build(rows, codes, levelCounts);
        IsOne = dense.Select(col => col.AsSpan().IndexOfAnyExcept(1.0) < 0).ToArray();
    }

    /// <summary>Per dense column, whether every value is 1 (the intercept); the fast pass reads such a column from a small buffer.</summary>
    internal readonly bool[] IsOne;

    /// <summary>The categoricals grouped into joint codes for the fast pass (built once; codes never change).</summary>
    internal readonly CategoricalGroups Groups;

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>For each categorical column, its levels in order; the first is the reference.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Levels { get; }

    /// <summary>The number of dense columns.</summary>
    public int DenseCount => Dense.Length;

    /// <summary>Builds the columnar design of <paramref name="spec"/> on <paramref name="data"/>, with the same columns as <see cref="DesignMatrix.Build"/>.</summary>
    public static FastDesign Build(ModelData data, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        int n = data.Rows;
        var dense = new List<double[]>();
        var names = new List<string>();
        var parameters = new List<(int, int, int)>();
        var codes = new List<int[]>();
        var counts = new List<int>();
        var first = new List<int>();
        var levels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        void AddDense(string name, double[] column) { parameters.Add((dense.Count, -1, -1)); dense.Add(column); names.Add(name); }

        if (spec.Intercept) AddDense("(Intercept)", Enumerable.Repeat(1.0, n).ToArray());
        foreach (var name in spec.Numeric)
        {
            var v = data.Numeric(name);
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(v[i])) throw new ArgumentException($"Numeric column '{name}' has a blank or non-finite value in row {i + 1}; such rows are data errors and must be excluded first.");
            AddDense(name, v);
        }
        foreach (var name in spec.Categorical)
        {
            var v = data.Categorical(name);
            var labels = new string[n];
            for (int i = 0; i < n; i++) labels[i] = string.IsNullOrWhiteSpace(v[i]) ? ModelSpec.MissingLevel : v[i]!.Trim();
            var lv = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = lv.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k, StringComparer.Ordinal);
            int c = codes.Count;
            codes.Add(labels.Select(l => index[l]).ToArray());
            counts.Add(lv.Length);
            int skip = spec.Intercept ? 1 : 0;
            first.Add(skip);
            levels[name] = lv;
            for (int k = skip; k < lv.Length; k++) { parameters.Add((-1, c, k)); names.Add($"{name}[{lv[k]}]"); }
        }
        foreach (var (a, b) in spec.Interactions)
        {
            var va = data.Numeric(a);
            var vb = data.Numeric(b);
            AddDense($"{a}:{b}", Enumerable.Range(0, n).Select(i => va[i] * vb[i]).ToArray());
        }
        return new FastDesign(n, dense.ToArray(), codes.ToArray(), counts.ToArray(), first.ToArray(), parameters.ToArray(), names.ToArray(), levels);
    }

    /// <summary>A design of dense columns only, from a matrix (every column treated as dense).</summary>
    public static FastDesign FromDense(MathNet.Numerics.LinearAlgebra.Matrix<double> x, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        var dense = Enumerable.Range(0, x.ColumnCount).Select(j => x.Column(j).ToArray()).ToArray();
        return new FastDesign(x.RowCount, dense, [], [], [], Enumerable.Range(0, dense.Length).Select(j => (j, -1, -1)).ToArray(),
            names.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <summary>A design of dense columns given column by column (no copy is made).</summary>
    public static FastDesign FromColumns(double[][] columns, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(names);
        if (columns.Length != names.Count) throw new ArgumentException($"{names.Count} names for {columns.Length} columns.", nameof(names));
        int n = columns.Length == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != n)) throw new ArgumentException("Columns differ in length.", nameof(columns));
        return new FastDesign(n, columns, [], [], [], Enumerable.Range(0, columns.Length).Select(j => (j, -1, -1)).ToArray(),
            names.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int p = 0; p < Parameters.Length; p++)
        {
            var (d, c, l) = Parameters[p];
            row[p] = d >= 0 ? Dense[d][i] : Codes[c][i] == l ? 1.0 : 0.0;
        }
    }
}

/// <summary>
/// Consecutive categoricals combined into joint codes (mixed radix, the first member varying fastest) of at most
/// <see cref="MaxJoint"/> levels. One weighted histogram per group, keyed by the joint code, holds every level sum,
/// level-by-dense-column sum and within-group pair table of its members; one table per pair of groups holds the pair
/// tables between them. A row then costs one histogram update per group and one table update per pair of groups,
/// instead of one per level table and one per pair of categoricals.
/// </summary>
internal sealed class CategoricalGroups
{
    /// <summary>The largest number of joint levels in a group (a singleton group may exceed it).</summary>
    internal const int MaxJoint = 256;

    internal readonly int[][] Members;  // per group, its categoricals (ascending, consecutive)
    internal readonly int[] Joint;      // per group, its number of joint levels
    internal readonly int[][] LevelOf;  // per group, [joint × members + member] = that member's level
    internal readonly ushort[][] Codes; // per group, each row's joint code (16 bits: half the memory traffic of int)

    private CategoricalGroups(int[][] members, int[] joint, int[][] levelOf, ushort[][] codes)
    {
        Members = members;
        Joint = joint;
        LevelOf = levelOf;
        Codes = codes;
    }

    internal int Count => Members.Length;

    internal static CategoricalGroups Build(int rows, int[][] codes, int[] levelCounts)
    {
        var members = new List<int[]>();
        var current = new List<int>();
        long joint = 1;
        for (int c = 0; c < codes.Length; c++)
        {
            if (current.Count > 0 && joint * levelCounts[c] > MaxJoint)
            {
                members.Add(current.ToArray());
                current.Clear();
                joint = 1;
            }
            current.Add(c);
            joint *= levelCounts[c];
        }
        if (current.Count > 0) members.Add(current.ToArray());

        var g = members.Count;
        var jointCounts = new int[g];
        var levelOf = new int[g][];
        var jointCodes = new ushort[g][];
        for (int k = 0; k < g; k++)
        {
            var m = members[k];
            var strides = new int[m.Length];
            int size = 1;
            for (int q = 0; q < m.Length; q++) { strides[q] = size; size *= levelCounts[m[q]]; }
            jointCounts[k] = size;
            var lv = new int[size * m.Length];
            for (int j = 0; j < size; j++)
                for (int q = 0; q < m.Length; q++) lv[j * m.Length + q] = j / strides[q] % levelCounts[m[q]];
            levelOf[k] = lv;
            if (size > ushort.MaxValue + 1)
                throw new ArgumentException($"A categorical term has {size:N0} levels; the fast path takes at most {ushort.MaxValue + 1:N0} (its information matrix would need {(double)size * size * 8 / 1e9:0} GB).");
            var jc = new ushort[rows];
            for (int q = 0; q < m.Length; q++)
            {
                var src = codes[m[q]];
                int stride = strides[q];
                for (int i = 0; i < rows; i++) jc[i] = (ushort)(jc[i] + src[i] * stride);
            }
            jointCodes[k] = jc;
        }
        return new CategoricalGroups(members.ToArray(), jointCounts, levelOf, jointCodes);
    }
}

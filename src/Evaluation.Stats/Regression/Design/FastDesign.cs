namespace Evaluation.Stats.Regression;

/// <summary>Rows of a design that can be expanded one at a time (for the ATT and robust scores).</summary>
internal interface IDesignRows
{
    /// <summary>The number of rows.</summary>
    int Rows { get; }

    /// <summary>The column names, in design order.</summary>
    IReadOnlyList<string> TermNames { get; }

    /// <summary>Writes row <paramref name="i"/>, all columns in design order, into <paramref name="row"/>.</summary>
    void FillRow(int i, Span<double> row);
}

/// <summary>One column of a <see cref="FastDesign"/>: a dense column, or the indicator that a categorical's level is in a set.</summary>
internal sealed class DesignColumn
{
    /// <summary>A dense column.</summary>
    internal DesignColumn(int dense) { Dense = dense; Cat = -1; Levels = []; _has = []; }

    /// <summary>The indicator that categorical <paramref name="cat"/> (of <paramref name="levelCount"/> levels) takes one of <paramref name="levels"/>.</summary>
    internal DesignColumn(int cat, int[] levels, int levelCount)
    {
        Dense = -1;
        Cat = cat;
        Levels = levels;
        // A dummy (one level) needs no table: a many-level categorical would otherwise hold levels² flags.
        _has = levels.Length == 1 ? null : new bool[levelCount];
        if (_has is not null) foreach (var l in levels) _has[l] = true;
    }

    /// <summary>The dense column, or −1.</summary>
    internal readonly int Dense;
    /// <summary>The categorical, or −1.</summary>
    internal readonly int Cat;
    /// <summary>The categorical's levels at which this column is 1, ascending (one level for a dummy).</summary>
    internal readonly int[] Levels;
    private readonly bool[]? _has; // per level, whether this column is 1 there (null for a dummy)

    /// <summary>Whether this categorical column is 1 at <paramref name="level"/>.</summary>
    internal bool Has(int level) => _has is null ? Levels[0] == level : _has[level];
}

/// <summary>
/// The columnar design of the fast path: dense columns (the intercept, numeric terms and interactions) stored
/// column by column, and categorical terms kept as integer codes with a level dictionary instead of expanded
/// dummies. Numeric terms and interactions whose every value is 0 or 1 (such as the DiD's group, period and
/// group × period indicators) are stored the same way: up to <see cref="MaxBinary"/> of them become one internal
/// categorical whose levels are the 0/1 patterns that occur, each such column being the indicator of the patterns
/// where it is 1. Its columns, names and order are exactly those of <see cref="DesignMatrix.Build"/>.
/// </summary>
internal sealed class FastDesign : IDesignRows
{
    /// <summary>The most 0/1 numeric terms and interactions stored as codes (the rest stay dense): at most 2^6 patterns.</summary>
    internal const int MaxBinary = 6;

    internal readonly double[][] Dense;        // dense columns, rows [0, Rows) of each (the shared intercept column may be longer)
    internal readonly int[][] Codes;           // per categorical (the model's, then the 0/1 patterns if any), the level code of each row
    internal readonly int[] LevelCounts;       // per categorical, its number of levels
    internal readonly DesignColumn[] Parameters; // each design column, in design order

    private FastDesign(int rows, double[][] dense, int[][] codes, int[] levelCounts,
        DesignColumn[] parameters, string[] names, IReadOnlyDictionary<string, IReadOnlyList<string>> levels)
    {
        Rows = rows;
        Dense = dense;
        Codes = codes;
        LevelCounts = levelCounts;
        Parameters = parameters;
        TermNames = names;
        Levels = levels;
        Groups = CategoricalGroups.Build(rows, codes, levelCounts);
        IsOne = dense.Select(col => col.AsSpan(0, rows).IndexOfAnyExcept(1.0) < 0).ToArray();
    }

    private static readonly WeakReference<double[]?> SharedOnes = new(null);

    /// <summary>
    /// A column of at least <paramref name="rows"/> ones for the intercept, shared by every design while one holds it
    /// (never written): writing n ones into fresh memory cost as much as two passes of the fit at 1M rows on this
    /// project's machine (page faults), and the fast pass reads a constant-one column from a small buffer anyway.
    /// </summary>
    private static double[] OnesColumn(int rows)
    {
        lock (SharedOnes)
        {
            if (SharedOnes.TryGetTarget(out var ones) && ones!.Length >= rows) return ones;
            ones = GC.AllocateUninitializedArray<double>(rows);
            ones.AsSpan().Fill(1.0);
            SharedOnes.SetTarget(ones);
            return ones;
        }
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

    /// <summary>The number of columns stored densely (the intercept and the numeric terms and interactions that are not 0/1).</summary>
    public int DenseCount => Dense.Length;

    /// <summary>Builds the columnar design of <paramref name="spec"/> on <paramref name="data"/>, with the same columns as <see cref="DesignMatrix.Build"/>.</summary>
    public static FastDesign Build(ModelData data, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        int n = data.Rows;
        // The columns in design order: a dense column's values, or a categorical's level.
        var columns = new List<(string Name, double[]? Values, int Cat, int Level)>();
        var codes = new List<int[]>();
        var counts = new List<int>();
        var levels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        if (spec.Intercept) columns.Add(("(Intercept)", OnesColumn(n), -1, -1));
        foreach (var name in spec.Numeric)
        {
            // Not scanned for non-finite values here: the fast engine's first pass finds them (see ThrowIfNotFinite).
            columns.Add((name, data.Numeric(name), -1, -1));
        }
        foreach (var name in spec.Categorical)
        {
            // From the column's codes when it has them, else from its text (shared instances compared by reference).
            var (coded, lv) = LevelCoder.Of(data, name, reference: false, Environment.ProcessorCount);
            int c = codes.Count;
            codes.Add(coded);
            counts.Add(lv.Length);
            levels[name] = lv;
            for (int k = spec.Intercept ? 1 : 0; k < lv.Length; k++) columns.Add(($"{name}[{lv[k]}]", null, c, k));
        }
        foreach (var (a, b) in spec.Interactions)
        {
            var va = data.Numeric(a);
            var vb = data.Numeric(b);
            columns.Add(($"{a}:{b}", Enumerable.Range(0, n).Select(i => va[i] * vb[i]).ToArray(), -1, -1));
        }

        // 0/1 numeric terms and interactions (not the intercept) become the bits of one pattern code.
        var binary = new List<int>();
        for (int j = 0; j < columns.Count && binary.Count < MaxBinary; j++)
            if (n > 0 && columns[j].Values is { } v && columns[j].Name != "(Intercept)" && IsBinary(v)) binary.Add(j);
        int[] patternOf = [];
        int patternCat = -1;
        if (binary.Count > 0)
        {
            var bits = new int[n];
            for (int m = 0; m < binary.Count; m++)
            {
                var v = columns[binary[m]].Values!;
                for (int i = 0; i < n; i++) bits[i] |= (v[i] == 1 ? 1 : 0) << m;
            }
            var seen = new bool[1 << binary.Count];
            foreach (var x in bits) seen[x] = true;
            patternOf = Enumerable.Range(0, seen.Length).Where(x => seen[x]).ToArray(); // level → pattern, ascending
            var levelOf = new int[seen.Length];
            for (int l = 0; l < patternOf.Length; l++) levelOf[patternOf[l]] = l;
            for (int i = 0; i < n; i++) bits[i] = levelOf[bits[i]];
            patternCat = codes.Count;
            codes.Add(bits);
            counts.Add(patternOf.Length);
        }

        var dense = new List<double[]>();
        var parameters = new List<DesignColumn>();
        for (int j = 0; j < columns.Count; j++)
        {
            var (_, values, cat, level) = columns[j];
            int m = binary.IndexOf(j);
            if (m >= 0)
                parameters.Add(new DesignColumn(patternCat, Enumerable.Range(0, patternOf.Length).Where(l => (patternOf[l] >> m & 1) == 1).ToArray(), patternOf.Length));
            else if (values is not null) { parameters.Add(new DesignColumn(dense.Count)); dense.Add(values); }
            else parameters.Add(new DesignColumn(cat, [level], counts[cat]));
        }
        return new FastDesign(n, dense.ToArray(), codes.ToArray(), counts.ToArray(), parameters.ToArray(), columns.Select(c => c.Name).ToArray(), levels)
        {
            ModelCategoricals = patternCat >= 0 ? patternCat : codes.Count,
        };
    }

    private static bool IsBinary(double[] v)
    {
        foreach (var x in v)
            if (x != 0 && x != 1) return false;
        return true;
    }

    /// <summary>A design given as its dense columns, categorical code columns and parameters (a formula's design).</summary>
    internal static FastDesign FromParts(int rows, double[][] dense, int[][] codes, int[] levelCounts, DesignColumn[] parameters, string[] names,
        IReadOnlyDictionary<string, IReadOnlyList<string>> levels) =>
        new(rows, dense, codes, levelCounts, parameters, names, levels) { ModelCategoricals = codes.Length };

    /// <summary>A design of dense columns only, from a matrix (every column treated as dense).</summary>
    public static FastDesign FromDense(MathNet.Numerics.LinearAlgebra.Matrix<double> x, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        var dense = Enumerable.Range(0, x.ColumnCount).Select(j => x.Column(j).ToArray()).ToArray();
        return new FastDesign(x.RowCount, dense, [], [], Enumerable.Range(0, dense.Length).Select(j => new DesignColumn(j)).ToArray(),
            names.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <summary>A design of dense columns given column by column (no copy is made; every column is treated as dense).</summary>
    public static FastDesign FromColumns(double[][] columns, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(names);
        if (columns.Length != names.Count) throw new ArgumentException($"{names.Count} names for {columns.Length} columns.", nameof(names));
        int n = columns.Length == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != n)) throw new ArgumentException("Columns differ in length.", nameof(columns));
        return new FastDesign(n, columns, [], [], Enumerable.Range(0, columns.Length).Select(j => new DesignColumn(j)).ToArray(),
            names.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <summary>
    /// Throws the data error for the first non-finite value of dense column <paramref name="dense"/>, if it has one.
    /// <see cref="Build"/> does not read every value to check it (at 1M × 30 that read cost as much as a pass of the
    /// fit): the fast engine's first pass sums w·x² with w = 3/16 for every dense column, which is finite unless a value
    /// is not (or squares past the largest double), and calls this for a column whose sum is not finite, before any
    /// estimate is formed.
    /// </summary>
    internal void ThrowIfNotFinite(int dense)
    {
        var v = Dense[dense];
        for (int i = 0; i < Rows; i++)
            if (!double.IsFinite(v[i]))
            {
                string name = TermNames[Array.FindIndex(Parameters, c => c.Dense == dense)];
                throw new ArgumentException($"Numeric column '{name}' has a blank or non-finite value in row {i + 1}; such rows are data errors and must be excluded first.");
            }
    }

    /// <summary>Whether categorical <paramref name="cat"/> is one of the model's (not the internal one of 0/1 patterns).</summary>
    internal bool IsModelCategorical(int cat) => cat >= 0 && cat < ModelCategoricals;

    /// <summary>The number of the model's categoricals (the 0/1 patterns, if any, come after them).</summary>
    internal int ModelCategoricals { get; init; }

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int p = 0; p < Parameters.Length; p++)
        {
            var c = Parameters[p];
            row[p] = c.Dense >= 0 ? Dense[c.Dense][i] : c.Has(Codes[c.Cat][i]) ? 1.0 : 0.0;
        }
    }
}

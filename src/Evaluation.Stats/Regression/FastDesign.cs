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

/// <summary>One column of a <see cref="FastDesign"/>: a dense column, or the indicator that a categorical's level is in a set.</summary>
internal sealed class DesignColumn
{
    /// <summary>A dense column.</summary>
    internal DesignColumn(int dense) { Dense = dense; Cat = -1; Levels = []; Has = []; }

    /// <summary>The indicator that categorical <paramref name="cat"/> (of <paramref name="levelCount"/> levels) takes one of <paramref name="levels"/>.</summary>
    internal DesignColumn(int cat, int[] levels, int levelCount)
    {
        Dense = -1;
        Cat = cat;
        Levels = levels;
        Has = new bool[levelCount];
        foreach (var l in levels) Has[l] = true;
    }

    /// <summary>The dense column, or −1.</summary>
    internal readonly int Dense;
    /// <summary>The categorical, or −1.</summary>
    internal readonly int Cat;
    /// <summary>The categorical's levels at which this column is 1, ascending (one level for a dummy).</summary>
    internal readonly int[] Levels;
    /// <summary>Per level of the categorical, whether this column is 1 there.</summary>
    internal readonly bool[] Has;
}

/// <summary>
/// The columnar design of the fast path: dense columns (the intercept, numeric terms and interactions) stored
/// column by column, and categorical terms kept as integer codes with a level dictionary instead of expanded
/// dummies. Numeric terms and interactions whose every value is 0 or 1 (such as the DiD's group, period and
/// group × period indicators) are stored the same way: up to <see cref="MaxBinary"/> of them become one internal
/// categorical whose levels are the 0/1 patterns that occur, each such column being the indicator of the patterns
/// where it is 1. Its columns, names and order are exactly those of <see cref="DesignMatrix.Build"/>.
/// </summary>
public sealed class FastDesign : IDesignRows
{
    /// <summary>The most 0/1 numeric terms and interactions stored as codes (the rest stay dense): at most 2^6 patterns.</summary>
    internal const int MaxBinary = 6;

    internal readonly double[][] Dense;        // dense columns, each of length Rows
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

        if (spec.Intercept) columns.Add(("(Intercept)", Enumerable.Repeat(1.0, n).ToArray(), -1, -1));
        foreach (var name in spec.Numeric)
        {
            var v = data.Numeric(name);
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(v[i])) throw new ArgumentException($"Numeric column '{name}' has a blank or non-finite value in row {i + 1}; such rows are data errors and must be excluded first.");
            columns.Add((name, v, -1, -1));
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
        return new FastDesign(n, dense.ToArray(), codes.ToArray(), counts.ToArray(), parameters.ToArray(), columns.Select(c => c.Name).ToArray(), levels);
    }

    private static bool IsBinary(double[] v)
    {
        foreach (var x in v)
            if (x != 0 && x != 1) return false;
        return true;
    }

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

    /// <inheritdoc />
    public void FillRow(int i, Span<double> row)
    {
        for (int p = 0; p < Parameters.Length; p++)
        {
            var c = Parameters[p];
            row[p] = c.Dense >= 0 ? Dense[c.Dense][i] : c.Has[Codes[c.Cat][i]] ? 1.0 : 0.0;
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

    /// <summary>The most joint levels of a last group that is folded into the other groups' histograms.</summary>
    internal const int MaxSatellite = 32;

    /// <summary>The most entries of a histogram keyed by a group's joint code and the folded group's.</summary>
    internal const int MaxSatelliteKey = 4096;

    internal readonly int[][] Members;  // per group, its categoricals (ascending, consecutive)
    internal readonly int[] Joint;      // per group, its number of joint levels
    internal readonly int[][] LevelOf;  // per group, [joint × members + member] = that member's level
    internal readonly ushort[][] Codes; // per group, each row's joint code (16 bits: half the memory traffic of int)

    // The histograms of the fast pass. When the last group is small (a satellite: at most MaxSatellite joint levels, such
    // as a DiD's 0/1 patterns with one small categorical), it has no histogram and no between-group tables of its own:
    // every other group's histogram is keyed by that group's joint code and the satellite's (the satellite varying
    // slowest), so one update per row gives the group's sums, the satellite's and the tables between them. The
    // satellite's own sums are taken from the first histogram only. Without a satellite the histograms are the groups.
    internal readonly int Satellite;           // the folded group, or −1
    internal readonly int[][] HistMembers;     // per histogram, its categoricals (the group's, then the satellite's)
    internal readonly bool[][] HistOwns;       // per histogram and member, whether this histogram adds the member's own sums and β
    internal readonly int[] HistJoint;         // per histogram, its number of keys
    internal readonly int[][] HistLevelOf;     // per histogram, [key × members + member] = that member's level
    internal readonly ushort[][] HistCodes;    // per histogram, each row's key

    private CategoricalGroups(int[][] members, int[] joint, int[][] levelOf, ushort[][] codes)
    {
        Members = members;
        Joint = joint;
        LevelOf = levelOf;
        Codes = codes;
        int g = members.Length, s = g - 1;
        bool satellite = g >= 2 && joint[s] <= MaxSatellite && Enumerable.Range(0, s).All(k => joint[k] * joint[s] <= MaxSatelliteKey);
        if (!satellite)
        {
            Satellite = -1;
            HistMembers = members;
            HistOwns = members.Select(m => Enumerable.Repeat(true, m.Length).ToArray()).ToArray();
            HistJoint = joint;
            HistLevelOf = levelOf;
            HistCodes = codes;
            return;
        }
        Satellite = s;
        HistMembers = new int[s][];
        HistOwns = new bool[s][];
        HistJoint = new int[s];
        HistLevelOf = new int[s][];
        HistCodes = new ushort[s][];
        var ms = members[s];
        for (int k = 0; k < s; k++)
        {
            var mk = members[k];
            int m = mk.Length + ms.Length, size = joint[k] * joint[s];
            HistMembers[k] = [.. mk, .. ms];
            HistOwns[k] = [.. mk.Select(_ => true), .. ms.Select(_ => k == 0)];
            HistJoint[k] = size;
            var lv = new int[size * m];
            for (int key = 0; key < size; key++)
            {
                int jk = key % joint[k], js = key / joint[k];
                for (int q = 0; q < mk.Length; q++) lv[key * m + q] = levelOf[k][jk * mk.Length + q];
                for (int q = 0; q < ms.Length; q++) lv[key * m + mk.Length + q] = levelOf[s][js * ms.Length + q];
            }
            HistLevelOf[k] = lv;
            var hc = new ushort[codes[k].Length];
            for (int i = 0; i < hc.Length; i++) hc[i] = (ushort)(codes[k][i] + joint[k] * codes[s][i]);
            HistCodes[k] = hc;
        }
    }

    internal int Count => Members.Length;

    /// <summary>The number of histograms of the fast pass.</summary>
    internal int Histograms => HistMembers.Length;

    /// <summary>The groups that have between-group tables: the first <see cref="CrossGroups"/> (all but a satellite).</summary>
    internal int CrossGroups => Satellite < 0 ? Count : Count - 1;

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

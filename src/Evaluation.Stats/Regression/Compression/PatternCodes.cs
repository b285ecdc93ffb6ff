using System.Runtime.CompilerServices;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The patterns' design as codes for <see cref="PatternEngine"/>: each categorical is a key of its levels; the 0/1 key
/// columns that interact are joined into one key (a column's bit in the joint code), so that every 0/1 term and every
/// interaction is the indicator of a set of that key's levels. The cluster, when in the pattern key, is not in the design.
/// </summary>
internal static class PatternCodes
{
    /// <summary>The most levels of a joint key of interacting 0/1 columns.</summary>
    private const int MaxJointLevels = 256;

    /// <summary>
    /// The engine over <paramref name="table"/>'s patterns, or null when the design does not fit it: a categorical with at
    /// least <see cref="IrlsLoop.AbsorbMinimumLevels"/> dummies (the fast engine absorbs those), too many interacting
    /// 0/1 columns, or a design column that is not an indicator of key levels.
    /// </summary>
    internal static PatternEngine? Engine(ModelSpec spec, PatternTable table, string[][] levels, double[] events, double[] trials, double saturated, int threads,
        int chunk = PatternEngine.DefaultChunk)
    {
        int nc = spec.Categorical.Count;
        if (levels.Take(nc).Any(l => l.Length - 1 >= IrlsLoop.AbsorbMinimumLevels || l.Length > 256)) return null;
        var names = CompressedFit.TermNames(spec, levels);
        var numeric = CompressedFit.NumericKeys(spec).ToArray();
        var numericIndex = numeric.Select((n, k) => (n, k)).ToDictionary(x => x.n, x => x.k, StringComparer.Ordinal);

        // Interacting 0/1 columns in one component (union-find), each component one key.
        var parent = Enumerable.Range(0, numeric.Length).ToArray();
        int Root(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var (a, b) in spec.Interactions) parent[Root(numericIndex[a])] = Root(numericIndex[b]);
        var components = Enumerable.Range(0, numeric.Length).GroupBy(Root).Select(g => g.ToArray()).ToArray();
        if (components.Any(c => 1 << c.Length > MaxJointLevels)) return null;
        var componentOf = new int[numeric.Length];
        var bitOf = new int[numeric.Length];
        for (int c = 0; c < components.Length; c++)
            for (int i = 0; i < components[c].Length; i++) { componentOf[components[c][i]] = c; bitOf[components[c][i]] = i; }

        int keys = nc + components.Length, rows = table.Count;
        if (keys > byte.MaxValue) return null;
        var codes = new byte[keys][];
        var keyLevels = new int[keys];
        for (int c = 0; c < nc; c++) { codes[c] = Bytes(table, c); keyLevels[c] = levels[c].Length; }
        for (int c = 0; c < components.Length; c++)
        {
            var members = components[c];
            codes[nc + c] = members.Length == 1 ? Bytes(table, nc + members[0]) : Joint(members.Select(m => Bytes(table, nc + m)).ToArray(), rows);
            keyLevels[nc + c] = 1 << members.Length;
        }

        // Each design column: its key and the levels at which it is 1.
        var categoricalIndex = new Dictionary<string, (int Key, int Level)>(StringComparer.Ordinal);
        for (int c = 0; c < nc; c++)
            for (int l = 0; l < levels[c].Length; l++) categoricalIndex[$"{spec.Categorical[c]}[{levels[c][l]}]"] = (c, l);
        var interactionIndex = spec.Interactions.ToDictionary(t => $"{t.A}:{t.B}", t => (numericIndex[t.A], numericIndex[t.B]), StringComparer.Ordinal);
        var key = new int[names.Count];
        var set = new int[names.Count][];
        for (int j = 0; j < names.Count; j++)
        {
            string name = names[j];
            if (name == "(Intercept)" && spec.Intercept) { key[j] = -1; set[j] = []; }
            else if (categoricalIndex.TryGetValue(name, out var cl)) { key[j] = cl.Key; set[j] = [cl.Level]; }
            else if (numericIndex.TryGetValue(name, out int k)) (key[j], set[j]) = Indicator(nc, componentOf[k], keyLevels, 1 << bitOf[k]);
            else if (interactionIndex.TryGetValue(name, out var ab))
            {
                if (componentOf[ab.Item1] != componentOf[ab.Item2]) return null;
                (key[j], set[j]) = Indicator(nc, componentOf[ab.Item1], keyLevels, (1 << bitOf[ab.Item1]) | (1 << bitOf[ab.Item2]));
            }
            else return null;
        }
        return new PatternEngine(names, codes, keyLevels, key, set, events, trials, saturated, threads, chunk);
    }

    /// <summary>The joint code Σ bit_i · 2^i of 0/1 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Joint(byte[][] bits, int rows)
    {
        var joint = new byte[rows];
        for (int i = 0; i < bits.Length; i++)
        {
            var b = bits[i];
            for (int r = 0; r < rows; r++) joint[r] |= (byte)(b[r] << i);
        }
        return joint;
    }

    /// <summary>Column <paramref name="j"/>'s codes as bytes (its levels are at most 256 here: the callers check).</summary>
    private static byte[] Bytes(PatternTable table, int j) => table.Narrow(j) ?? table.Codes[j].Select(c => (byte)c).ToArray();

    /// <summary>Key nc + component and the levels of its joint code with every bit of <paramref name="mask"/> on.</summary>
    private static (int Key, int[] Set) Indicator(int nc, int component, int[] keyLevels, int mask) =>
        (nc + component, Enumerable.Range(0, keyLevels[nc + component]).Where(l => (l & mask) == mask).ToArray());
}

using System.Globalization;

namespace Evaluation.Stats.Regression.Formula;

/// <summary>
/// Expands a formula's terms into design columns as R's <c>model.matrix</c> does with treatment contrasts.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The intercept (when present) comes first, then each term's columns, terms in the formula's order
/// (R's: by the number of variables, then as written).</item>
/// <item>A numeric variable contributes its values; a categorical one its levels' indicators. A term's columns are
/// the products of one piece from each variable, the first variable (in order of first mention) varying fastest,
/// named by joining the pieces with <c>:</c> (<c>x:f[b]</c>).</item>
/// <item>A categorical variable in a term is coded by contrasts (every level but the reference) when the term
/// without it is empty or contained in an earlier term (the margin is in the model); otherwise by all its levels
/// (R's <c>TermCode</c>). So <c>x:f</c> without <c>f</c> gives one slope per level of <c>f</c>.</item>
/// <item>Without an intercept, the first categorical variable of the first term that has one is coded by all its
/// levels (R's <c>model.matrix</c>: <c>y ~ 0 + f</c> has one column per level).</item>
/// <item>Levels: text in ordinal (code-point) order; <c>C(col)</c> on a numeric column, in numeric order. The
/// reference is the first level, or the one named by <c>ref=</c> (moved to the front, as R's <c>relevel</c>). A
/// blank is the level <c>(missing)</c>, placed last so that it is never the reference by default.</item>
/// </list>
/// </remarks>
internal static class TermExpansion
{
    /// <summary>A variable's data: numeric values, or a categorical's row codes and levels (the reference first).</summary>
    private sealed record Variable(string Name, double[]? Values, int[]? Codes, string[]? Levels);

    internal static FormulaDesign Expand(ModelFormula f, ModelData data)
    {
        int n = data.Rows;
        var variables = f.Variables.Select(v => Load(f, v, data)).ToArray();
        var codes = Codes(f, variables);

        var names = new List<string>();
        var columns = new List<double[]?>();
        var coded = new List<(int Variable, int Level)>();
        var assign = new List<int>();
        // The categorical variables whose level indicators are held as codes (a term of that variable alone).
        var categoricals = new List<FormulaDesign.CategoricalCodes>();
        var categoricalOf = new Dictionary<int, int>();
        if (f.HasIntercept)
        {
            names.Add("(Intercept)");
            var one = new double[n];
            Array.Fill(one, 1.0);
            columns.Add(one);
            coded.Add((-1, -1));
            assign.Add(0);
        }
        for (int t = 0; t < f.Terms.Count; t++)
        {
            // Pieces per variable of the term: (name, value of row i), the first variable varying fastest.
            var pieces = f.Terms[t].Select(v => Pieces(variables[v], codes[t][v])).ToArray();
            int count = pieces.Aggregate(1, (a, p) => a * p.Length);
            if (f.Terms[t].Count == 1 && variables[f.Terms[t][0]].Codes is { } termCodes)
            {
                // A categorical alone: its indicators stay codes (expanded only if a dense design is asked for).
                int v = f.Terms[t][0];
                if (!categoricalOf.TryGetValue(v, out int k))
                {
                    categoricalOf[v] = k = categoricals.Count;
                    categoricals.Add(new FormulaDesign.CategoricalCodes(termCodes, variables[v].Levels!.Length));
                }
                foreach (var (name, _, _, level) in pieces[0]) { names.Add(name); columns.Add(null); coded.Add((k, level)); assign.Add(t + 1); }
                continue;
            }
            for (int c = 0; c < count; c++)
            {
                var chosen = new (string Name, double[]? Values, int[]? Codes, int Level)[pieces.Length];
                for (int k = 0, rest = c; k < pieces.Length; k++) { chosen[k] = pieces[k][rest % pieces[k].Length]; rest /= pieces[k].Length; }
                var col = new double[n];
                Array.Fill(col, 1.0);
                foreach (var (_, values, cs, level) in chosen)
                    for (int i = 0; i < n; i++)
                        col[i] *= values is not null ? values[i] : cs![i] == level ? 1.0 : 0.0;
                names.Add(string.Join(":", chosen.Select(p => p.Name)));
                columns.Add(col);
                coded.Add((-1, -1));
                assign.Add(t + 1);
            }
        }
        var levels = variables.Where(v => v.Levels is not null).ToDictionary(v => v.Name, v => (IReadOnlyList<string>)v.Levels!, StringComparer.Ordinal);
        return new FormulaDesign(f, n, columns.ToArray(), coded.ToArray(), categoricals.ToArray(), names.ToArray(), assign.ToArray(), levels);
    }

    /// <summary>Per term and variable: 1 = contrasts (levels but the reference), 2 = indicators of every level.</summary>
    private static int[][] Codes(ModelFormula f, Variable[] variables)
    {
        var codes = new int[f.Terms.Count][];
        for (int t = 0; t < f.Terms.Count; t++)
        {
            var term = f.Terms[t];
            codes[t] = new int[variables.Length];
            foreach (int v in term)
            {
                if (variables[v].Levels is null) continue;
                var margin = term.Where(u => u != v).ToArray();
                bool present = margin.Length == 0 || Enumerable.Range(0, t).Any(s => margin.All(f.Terms[s].Contains));
                codes[t][v] = present ? 1 : 2;
            }
        }
        if (!f.HasIntercept)
            for (int t = 0; t < f.Terms.Count; t++)
            {
                int first = f.Terms[t].FirstOrDefault(v => variables[v].Levels is not null, -1);
                if (first < 0) continue;
                codes[t][first] = 2;
                break;
            }
        return codes;
    }

    private static (string Name, double[]? Values, int[]? Codes, int Level)[] Pieces(Variable v, int code)
    {
        if (v.Levels is null) return [(v.Name, v.Values, null, -1)];
        return Enumerable.Range(code == 1 ? 1 : 0, v.Levels.Length - (code == 1 ? 1 : 0))
            .Select(l => ($"{v.Name}[{v.Levels[l]}]", (double[]?)null, v.Codes, l)).ToArray();
    }

    private static Variable Load(ModelFormula f, FormulaVariable v, ModelData data)
    {
        var numeric = TryNumeric(data, v.Name);
        var text = numeric is null ? TryCategorical(data, v.Name) : null;
        if (numeric is null && text is null) throw new FormulaException(f.Text, v.Position, $"there is no column '{v.Name}' in the data");
        if (numeric is not null && !v.Categorical)
        {
            for (int i = 0; i < numeric.Length; i++)
                if (!double.IsFinite(numeric[i]))
                    throw new ArgumentException($"Numeric column '{v.Name}' has a blank or non-finite value in row {i + 1}; such rows are data errors and must be excluded first.");
            return new Variable(v.Name, numeric, null, null);
        }
        // Categorical: labels, then levels in order (numbers numerically; (missing) last), then the reference first.
        string[] labels;
        string[] levels;
        if (numeric is not null)
        {
            labels = numeric.Select(x => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : ModelSpec.MissingLevel).ToArray();
            var distinct = numeric.Where(double.IsFinite).Distinct().Order().Select(x => x.ToString("R", CultureInfo.InvariantCulture));
            levels = [.. distinct, .. labels.Contains(ModelSpec.MissingLevel) ? new[] { ModelSpec.MissingLevel } : []];
        }
        else
        {
            labels = text!.Select(s => string.IsNullOrWhiteSpace(s) ? ModelSpec.MissingLevel : s.Trim()).ToArray();
            var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
            levels = [.. distinct.Where(l => l != ModelSpec.MissingLevel).Order(StringComparer.Ordinal),
                      .. distinct.Contains(ModelSpec.MissingLevel) ? new[] { ModelSpec.MissingLevel } : []];
        }
        if (v.Reference is { } reference)
        {
            int r = Array.IndexOf(levels, reference);
            if (r < 0)
                throw new FormulaException(f.Text, v.ReferencePosition, $"'{reference}' is not a level of '{v.Name}' (levels: {string.Join(", ", levels.Take(20))}{(levels.Length > 20 ? ", ..." : "")})");
            levels = [levels[r], .. levels.Where((_, k) => k != r)];
        }
        if (levels.Length < 2)
            throw new FormulaException(f.Text, v.Position, $"the categorical column '{v.Name}' has {(levels.Length == 0 ? "no levels" : $"the single level '{levels[0]}'")}; a categorical term needs two or more");
        var index = levels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k, StringComparer.Ordinal);
        return new Variable(v.Name, null, labels.Select(l => index[l]).ToArray(), levels);
    }

    // ModelData exposes a column by name and type only; a missing one is an ArgumentException.
    private static double[]? TryNumeric(ModelData data, string name)
    {
        try { return data.Numeric(name); }
        catch (ArgumentException) { return null; }
    }

    private static string?[]? TryCategorical(ModelData data, string name)
    {
        try { return data.Categorical(name); }
        catch (ArgumentException) { return null; }
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Data;

/// <summary>What a model's outcome must be.</summary>
public enum OutcomeKind
{
    /// <summary>0 or 1 (a logistic model).</summary>
    Binary,
    /// <summary>Any finite number (a linear model).</summary>
    Continuous,
}

/// <summary>
/// A table read for a model given by a formula: only the formula's columns (and any cluster or extra numeric columns)
/// are read; every other column is ignored. Rows with a blank outcome, a blank numeric term, a blank cluster or a
/// blank extra column are data errors, set aside and counted in <see cref="Exclusions"/>, never dropped silently.
/// </summary>
/// <param name="Formula">The formula.</param>
/// <param name="Data">The formula's right-hand-side columns and the extra numeric columns, for the rows kept.</param>
/// <param name="Outcome">The outcome of the rows kept.</param>
/// <param name="Clusters">Per cluster column (in the order asked), its label on each kept row.</param>
/// <param name="Exclusions">Rows set aside, by reason, with their lines (analysis <paramref name="Analysis"/>).</param>
/// <param name="InputRows">Every data row of the input.</param>
/// <param name="Analysis">The analysis named in the ledger (<c>logit</c>, <c>ols</c>).</param>
/// <remarks>
/// Types follow methodology §9 as for <see cref="LogitTable"/>: a variable is categorical when written <c>C(col)</c>
/// or when none of its values is a number; a column holding numbers and text is an error naming the first text
/// value's line (or, with <see cref="BadRowPolicy.Exclude"/>, that row is set aside as unparseable).
/// </remarks>
public sealed record ModelTable(ModelFormula Formula, ModelData Data, double[] Outcome, IReadOnlyList<IReadOnlyList<string>> Clusters,
    IReadOnlyList<ExclusionEntry> Exclusions, long InputRows, string Analysis)
{
    /// <summary>The formula's design on the rows kept.</summary>
    public FormulaDesign Design() => Formula.Expand(Data);

    /// <summary>Reads <paramref name="path"/> (delimited text, <c>-</c> for standard input, <c>.gz</c>, or <c>.parquet</c>) for <paramref name="formula"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="formula">The model; it must have a response.</param>
    /// <param name="outcome">What the response must be.</param>
    /// <param name="clusterColumns">Columns of cluster labels (not terms).</param>
    /// <param name="numericColumns">Further numeric columns to read (weights, offsets), not terms; read into <see cref="Data"/>.</param>
    /// <param name="options">Column mapping, bad-row policy, delimiter, encoding.</param>
    /// <param name="analysis">The analysis's name in the exclusion ledger.</param>
    /// <exception cref="InputFormatException">When a column is missing, an outcome is not valid, a numeric column holds text, or the file is malformed.</exception>
    public static ModelTable Read(string path, ModelFormula formula, OutcomeKind outcome, IReadOnlyList<string>? clusterColumns = null,
        IReadOnlyList<string>? numericColumns = null, ReadOptions? options = null, string analysis = "model")
    {
        ArgumentNullException.ThrowIfNull(formula);
        options ??= ReadOptions.Default;
        using var source = Sources.Open(path, options);
        return new ModelColumns(source, formula, outcome, clusterColumns ?? [], numericColumns ?? [], options, analysis).Load();
    }
}

/// <summary>Reads a <see cref="ModelTable"/>: each needed field parsed once per row, numbers straight into columns.</summary>
internal sealed class ModelColumns
{
    private readonly IRowSource _source;
    private readonly ModelFormula _formula;
    private readonly OutcomeKind _kind;
    private readonly string[] _clusterColumns, _numericColumns, _variables;
    private readonly bool[] _text; // per variable: written C(col), so read as text
    private readonly ReadOptions _options;
    private readonly string _analysis;
    private readonly TableReader _reader;

    public ModelColumns(IRowSource source, ModelFormula formula, OutcomeKind kind, IReadOnlyList<string> clusters, IReadOnlyList<string> numeric,
        ReadOptions options, string analysis)
    {
        if (formula.Response is null) throw new ArgumentException("The formula has no response (write y ~ ...).", nameof(formula));
        _source = source;
        _formula = formula;
        _kind = kind;
        _clusterColumns = clusters.ToArray();
        _numericColumns = numeric.ToArray();
        _variables = formula.Variables.Select(v => v.Name).ToArray();
        _text = formula.Variables.Select(v => v.Categorical).ToArray();
        _options = options;
        _analysis = analysis;
        foreach (var v in formula.Variables)
            if (!source.Header.Contains(options.Columns.TryGetValue(v.Name, out var h) ? h : v.Name))
                throw new FormulaException(formula.Text, v.Position, $"there is no column '{v.Name}' in {source.Name} (columns: {string.Join(", ", source.Header.Take(40))})");
        if (!source.Header.Contains(options.Columns.TryGetValue(formula.Response, out var r) ? r : formula.Response))
            throw new FormulaException(formula.Text, formula.ResponsePosition, $"there is no column '{formula.Response}' in {source.Name} (columns: {string.Join(", ", source.Header.Take(40))})");
        _reader = new TableReader(source, options, [formula.Response, .. _variables, .. _clusterColumns, .. _numericColumns.Where(c => !_variables.Contains(c))]);
    }

    private enum Blank { None, Outcome, Numeric, Cluster, Extra }

    public ModelTable Load()
    {
        int nv = _variables.Length, nc = _clusterColumns.Length, ne = _numericColumns.Length;
        var y = new List<double>();
        var numbers = Enumerable.Range(0, nv).Select(_ => new List<double>()).ToArray();
        var texts = Enumerable.Range(0, nv).Select(_ => new List<string?>()).ToArray();
        var hasNumber = new bool[nv];
        var firstText = new (long Line, string Value)?[nv];
        var clusters = Enumerable.Range(0, nc).Select(_ => new List<string?>()).ToArray();
        var extras = Enumerable.Range(0, ne).Select(_ => new List<double>()).ToArray();
        var lines = new List<long>();
        var rowNumbers = new double[nv];
        var rowTexts = new string?[nv];
        var set = _reader.Read(row =>
        {
            // Parse every field first (a bad field throws before anything is written), then append.
            var yf = row.Span(_formula.Response!);
            double yv = double.NaN;
            if (!yf.IsEmpty)
            {
                if (!FieldParse.TryNumber(yf, out yv) || !double.IsFinite(yv)) throw new FieldException(_reader.HeaderOf(_formula.Response!), $"the outcome is {Echo.Quote(yf)}; it must be {(_kind == OutcomeKind.Binary ? "0 or 1" : "a finite number")}");
                if (_kind == OutcomeKind.Binary && yv is not (0.0 or 1.0)) throw new FieldException(_reader.HeaderOf(_formula.Response!), $"the outcome is {Echo.Quote(yf)}; it must be 0 or 1");
            }
            for (int k = 0; k < nv; k++)
            {
                var f = row.Span(_variables[k]);
                rowNumbers[k] = double.NaN;
                rowTexts[k] = null;
                if (f.IsEmpty) continue;
                if (!_text[k] && FieldParse.TryNumber(f, out double v))
                {
                    if (!double.IsFinite(v)) throw new FieldException(_reader.HeaderOf(_variables[k]), TableReader.NotFinite(f));
                    rowNumbers[k] = v;
                }
                rowTexts[k] = row.Optional(_variables[k]);
            }
            var extra = new double[ne];
            for (int k = 0; k < ne; k++)
            {
                var f = row.Span(_numericColumns[k]);
                extra[k] = double.NaN;
                if (f.IsEmpty) continue;
                if (!FieldParse.TryNumber(f, out extra[k]) || !double.IsFinite(extra[k])) throw new FieldException(_reader.HeaderOf(_numericColumns[k]), $"{Echo.Quote(f)} is not a finite number");
            }
            lines.Add(row.Line);
            y.Add(yv);
            for (int k = 0; k < nv; k++)
            {
                numbers[k].Add(rowNumbers[k]);
                texts[k].Add(rowTexts[k]);
                if (!double.IsNaN(rowNumbers[k])) hasNumber[k] = true;
                else if (rowTexts[k] is { } t && firstText[k] is null) firstText[k] = (row.Line, t);
            }
            for (int k = 0; k < nc; k++) clusters[k].Add(row.Optional(_clusterColumns[k]));
            for (int k = 0; k < ne; k++) extras[k].Add(extra[k]);
            return 0;
        });

        // A variable not written C(col) is numeric unless none of its values is a number.
        var categorical = new bool[nv];
        var bad = new HashSet<int>();
        for (int k = 0; k < nv; k++)
        {
            categorical[k] = _text[k] || !hasNumber[k];
            if (categorical[k] || firstText[k] is null) continue;
            var (line, value) = firstText[k]!.Value;
            string message = $"{Echo.Quote(value)} is not a number, but the column holds numbers; a formula term is categorical only when written C({_variables[k]}) or when none of its values is a number";
            if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, line, _reader.HeaderOf(_variables[k]), message);
            for (int i = 0; i < lines.Count; i++)
                if (double.IsNaN(numbers[k][i]) && texts[k][i] is not null) bad.Add(i);
        }

        var reasons = new Dictionary<Blank, List<long>>();
        var unparseable = set.Rejected.Select(r => r.Line).ToList();
        var keep = new List<int>();
        for (int i = 0; i < lines.Count; i++)
        {
            var why = Blank.None;
            if (bad.Contains(i)) { unparseable.Add(lines[i]); continue; }
            if (double.IsNaN(y[i])) why = Blank.Outcome;
            else if (Enumerable.Range(0, nv).Any(k => !categorical[k] && double.IsNaN(numbers[k][i]))) why = Blank.Numeric;
            else if (clusters.Any(c => c[i] is null)) why = Blank.Cluster;
            else if (extras.Any(e => double.IsNaN(e[i]))) why = Blank.Extra;
            if (why == Blank.None) keep.Add(i);
            else (reasons.TryGetValue(why, out var l) ? l : reasons[why] = []).Add(lines[i]);
        }

        var exclusions = new List<ExclusionEntry>();
        void Add(Blank b, string reason) { if (reasons.TryGetValue(b, out var l)) exclusions.Add(new ExclusionEntry(_analysis, reason, l.Count, l)); }
        Add(Blank.Outcome, "data error: blank outcome");
        Add(Blank.Numeric, ExclusionReasons.BlankNumericCovariate);
        Add(Blank.Cluster, "data error: blank cluster");
        Add(Blank.Extra, "data error: blank weight or offset");
        if (unparseable.Count > 0) exclusions.Add(new ExclusionEntry(_analysis, ExclusionReasons.Unparseable, unparseable.Count, unparseable.Order().ToList()));

        var data = new ModelData(keep.Count);
        for (int k = 0; k < nv; k++)
        {
            if (categorical[k]) data.AddCategorical(_variables[k], keep.Select(i => texts[k][i]).ToArray());
            else data.AddNumeric(_variables[k], keep.Select(i => numbers[k][i]).ToArray());
        }
        for (int k = 0; k < ne; k++)
            if (!_variables.Contains(_numericColumns[k])) data.AddNumeric(_numericColumns[k], keep.Select(i => extras[k][i]).ToArray());
        var kept = keep.ToArray();
        return new ModelTable(_formula, data, kept.Select(i => y[i]).ToArray(),
            clusters.Select(c => (IReadOnlyList<string>)kept.Select(i => c[i]!).ToArray()).ToArray(),
            exclusions, lines.Count + set.Rejected.Count, _analysis);
    }
}

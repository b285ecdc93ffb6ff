using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads a <see cref="ModelTable"/>: each needed field parsed once per row, numbers straight into columns. A
/// delimited file read through <see cref="DelimitedBlocks"/> is parsed block by block on every core
/// (ModelColumns.Blocks.cs); any other source row by row (<see cref="LoadRows"/>, also the reference the block path
/// is tested against). Both put each row through the same <see cref="AddRow"/> and end in the same <see cref="Finish"/>.
/// </summary>
internal sealed partial class ModelColumns
{
    private readonly IRowSource _source;
    private readonly ModelFormula _formula;
    private readonly OutcomeKind _kind;
    private readonly string[] _clusterColumns, _numericColumns, _variables;
    private readonly bool[] _text; // per variable: written C(col), so read as text
    private readonly ReadOptions _options;
    private readonly string _analysis;
    private readonly TableReader _reader;
    private readonly int _y;
    private readonly int[] _variableIndex, _clusterIndex, _numericIndex;

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
        _y = _reader.Index(formula.Response);
        _variableIndex = _variables.Select(_reader.Index).ToArray();
        _clusterIndex = _clusterColumns.Select(_reader.Index).ToArray();
        _numericIndex = _numericColumns.Select(_reader.Index).ToArray();
    }

    private enum Blank { None, Outcome, Numeric, Cluster, Extra }

    /// <summary>The rows read so far (of the whole table, or of one block), column by column, with the rows set aside.</summary>
    private sealed class Collected
    {
        public Collected(int variables, int clusters, int extras)
        {
            Numbers = Enumerable.Range(0, variables).Select(_ => new List<double>()).ToArray();
            Texts = Enumerable.Range(0, variables).Select(_ => new List<string?>()).ToArray();
            HasNumber = new bool[variables];
            FirstText = new (long Line, string Value)?[variables];
            Clusters = Enumerable.Range(0, clusters).Select(_ => new List<string?>()).ToArray();
            Extras = Enumerable.Range(0, extras).Select(_ => new List<double>()).ToArray();
        }

        public readonly List<double> Y = [];
        public readonly List<long> Lines = [];
        /// <summary>Per variable: its number (NaN when blank or text), and its text when it is not a number or the variable is C(col).</summary>
        public readonly List<double>[] Numbers;
        public readonly List<string?>[] Texts;
        public readonly bool[] HasNumber;
        public readonly (long Line, string Value)?[] FirstText;
        public readonly List<string?>[] Clusters;
        public readonly List<double>[] Extras;
        public readonly List<RejectedRow> Rejected = [];
        /// <summary>An error that stopped the read inside this block (an unclosed quote); rows after it were not read.</summary>
        public InputFormatException? Stop;
        /// <summary>With bad rows stopping the read: the first bad row of this block, after which its rows were not read.</summary>
        public RejectedRow? FirstBad;
        /// <summary>One string per distinct text in this block.</summary>
        public readonly Interner Intern = new();
    }

    /// <summary>Reads the table, through the block reader when the source is one.</summary>
    public ModelTable Load() => _source is DelimitedBlocks blocks ? Finish(LoadBlocks(blocks)) : Finish(LoadRows());

    /// <summary>Reads the table row by row whatever the source: the reference the block path is tested against.</summary>
    internal ModelTable LoadByRows() => Finish(LoadRows());

    /// <summary>Reads every row in order on this thread: the reference for the block path, and the path for other sources.</summary>
    private Collected LoadRows()
    {
        var c = new Collected(_variables.Length, _clusterColumns.Length, _numericColumns.Length);
        _source.ForEach(fields =>
        {
            try
            {
                _reader.Check(fields);
                AddRow(fields, c);
            }
            catch (FieldException e)
            {
                if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, fields.Line, e.Column, e.Message);
                c.Rejected.Add(new RejectedRow(fields.Line, e.Column, e.Message));
            }
        }, _options);
        return c;
    }

    /// <summary>
    /// Parses one row's fields (a bad field throws <see cref="FieldException"/> before anything is written), then
    /// appends them to <paramref name="c"/>.
    /// </summary>
    private void AddRow(Fields row, Collected c)
    {
        int nv = _variables.Length, ne = _numericColumns.Length;
        var yf = row[_y];
        double yv = double.NaN;
        if (!yf.IsEmpty)
        {
            if (!FieldParse.TryNumber(yf, out yv) || !double.IsFinite(yv)) throw new FieldException(_reader.HeaderOf(_formula.Response!), $"the outcome is {Echo.Quote(yf)}; it must be {(_kind == OutcomeKind.Binary ? "0 or 1" : "a finite number")}");
            if (_kind == OutcomeKind.Binary && yv is not (0.0 or 1.0)) throw new FieldException(_reader.HeaderOf(_formula.Response!), $"the outcome is {Echo.Quote(yf)}; it must be 0 or 1");
        }
        Span<double> numbers = nv <= 64 ? stackalloc double[nv] : new double[nv];
        for (int k = 0; k < nv; k++)
        {
            var f = row[_variableIndex[k]];
            numbers[k] = double.NaN;
            if (f.IsEmpty || _text[k] || !FieldParse.TryNumber(f, out double v)) continue;
            if (!double.IsFinite(v)) throw new FieldException(_reader.HeaderOf(_variables[k]), TableReader.NotFinite(f));
            numbers[k] = v;
        }
        Span<double> extra = ne <= 64 ? stackalloc double[ne] : new double[ne];
        for (int k = 0; k < ne; k++)
        {
            var f = row[_numericIndex[k]];
            extra[k] = double.NaN;
            if (f.IsEmpty) continue;
            if (!FieldParse.TryNumber(f, out extra[k]) || !double.IsFinite(extra[k])) throw new FieldException(_reader.HeaderOf(_numericColumns[k]), $"{Echo.Quote(f)} is not a finite number");
        }
        c.Lines.Add(row.Line);
        c.Y.Add(yv);
        for (int k = 0; k < nv; k++)
        {
            c.Numbers[k].Add(numbers[k]);
            // A number's text is never read (a column with a number is numeric unless written C(col)), so it is not kept.
            var f = row[_variableIndex[k]];
            string? t = f.IsEmpty || !double.IsNaN(numbers[k]) ? null : c.Intern.Get(f);
            c.Texts[k].Add(t);
            if (!double.IsNaN(numbers[k])) c.HasNumber[k] = true;
            else if (t is not null && c.FirstText[k] is null) c.FirstText[k] = (row.Line, t);
        }
        for (int k = 0; k < _clusterColumns.Length; k++) c.Clusters[k].Add(row[_clusterIndex[k]] is { IsEmpty: false } s ? c.Intern.Get(s) : null);
        for (int k = 0; k < ne; k++) c.Extras[k].Add(extra[k]);
    }

    /// <summary>Column types, the bad-row policy for text in a numeric column, the exclusion ledger and the table.</summary>
    private ModelTable Finish(Collected c)
    {
        int nv = _variables.Length, ne = _numericColumns.Length;
        var (lines, y, numbers, texts, clusters, extras) = (c.Lines, c.Y, c.Numbers, c.Texts, c.Clusters, c.Extras);
        // A variable not written C(col) is numeric unless none of its values is a number.
        var categorical = new bool[nv];
        var bad = new HashSet<int>();
        for (int k = 0; k < nv; k++)
        {
            categorical[k] = _text[k] || !c.HasNumber[k];
            if (categorical[k] || c.FirstText[k] is null) continue;
            var (line, value) = c.FirstText[k]!.Value;
            string message = $"{Echo.Quote(value)} is not a number, but the column holds numbers; a formula term is categorical only when written C({_variables[k]}) or when none of its values is a number";
            if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, line, _reader.HeaderOf(_variables[k]), message);
            for (int i = 0; i < lines.Count; i++)
                if (double.IsNaN(numbers[k][i]) && texts[k][i] is not null) bad.Add(i);
        }

        var reasons = new Dictionary<Blank, List<long>>();
        var unparseable = c.Rejected.Select(r => r.Line).ToList();
        var keep = new List<int>();
        for (int i = 0; i < lines.Count; i++)
        {
            var why = Blank.None;
            if (bad.Contains(i)) { unparseable.Add(lines[i]); continue; }
            if (double.IsNaN(y[i])) why = Blank.Outcome;
            else if (Enumerable.Range(0, nv).Any(k => !categorical[k] && double.IsNaN(numbers[k][i]))) why = Blank.Numeric;
            else if (clusters.Any(cl => cl[i] is null)) why = Blank.Cluster;
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
            clusters.Select(cl => (IReadOnlyList<string>)kept.Select(i => cl[i]!).ToArray()).ToArray(),
            exclusions, lines.Count + c.Rejected.Count, _analysis);
    }
}

/// <summary>One string per distinct text (up to 100,000 of them), looked up by span; for one thread.</summary>
internal sealed class Interner
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public Interner() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> s)
    {
        if (_bySpan.TryGetValue(s, out var v)) return v;
        var str = s.ToString();
        if (_strings.Count < 100_000) _strings[str] = str;
        return str;
    }
}

using System.Collections.Concurrent;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Data;

/// <summary>
/// Loads a <see cref="LogitTable"/> from any row source, straight into columns: each field is parsed once from its
/// characters into its column at the row's slot. With a delimited file the fields are parsed on every core while
/// Sep splits rows on the reading thread; problems are then taken in row order, so the first bad line is named.
/// </summary>
/// <remarks>
/// Column types follow methodology §9: a predictor is categorical when it is named as one, or when none of its
/// values is a number. A column holding numbers and text is an error naming the first text value's line (or, with
/// <see cref="BadRowPolicy.Exclude"/>, its text rows are set aside as unparseable): a type never changes silently.
/// </remarks>
internal sealed partial class LogitColumns
{
    /// <summary>A row that did not parse; <see cref="Blank"/> marks a blank line (not a row).</summary>
    private sealed record Problem(long Line, string? Column, string Message)
    {
        public static readonly Problem Blank = new(0, null, "");
    }

    private readonly IRowSource _source;
    private readonly ReadOptions _options;
    private readonly int _width, _y, _cluster;
    private readonly string _outcomeHeader;
    private readonly string[] _predictors;
    private readonly int[] _index;
    private readonly bool[] _named;
    private readonly ColumnChunks<double> _outcome = new();
    private readonly ColumnChunks<long> _lines = new();
    private readonly ColumnChunks<string?>? _clusters;
    private readonly ColumnChunks<double>?[] _numbers;
    private readonly ColumnChunks<string?>?[] _texts;
    private readonly bool[] _hasNumber, _hasText;
    private readonly ConcurrentInterner _intern = new();
    private readonly ConcurrentQueue<Parsed> _pool = new();

    /// <summary>One row's values, parsed on a worker and then written into the columns in row order.</summary>
    private sealed class Parsed(int predictors)
    {
        public long Line;
        public Problem? Problem;
        public double Y;
        public string? Cluster;
        public readonly double[] Numbers = new double[predictors];
        public readonly string?[] Texts = new string?[predictors];
    }

    public LogitColumns(IRowSource source, string outcome, IReadOnlyCollection<string> categorical, string? clusterColumn, ReadOptions options)
    {
        _source = source;
        _options = options;
        var required = new List<string> { outcome };
        if (clusterColumn is not null) required.Add(clusterColumn);
        var reader = new TableReader(source, options, required);
        var header = source.Header;
        foreach (var c in categorical)
            if (!header.Contains(reader.HeaderOf(c)))
                throw new InputFormatException(source.Name, 1, c, $"--categorical names a column that is not in the header ({string.Join(", ", header)})");
        _width = header.Count;
        _y = reader.Index(outcome);
        _outcomeHeader = header[_y];
        _cluster = clusterColumn is null ? -1 : reader.Index(clusterColumn);
        _clusters = clusterColumn is null ? null : new ColumnChunks<string?>();
        _predictors = reader.Extra.Names;
        var position = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        _index = _predictors.Select(p => position[p]).ToArray();
        _named = _predictors.Select(p => categorical.Contains(p) || categorical.Contains(reader.HeaderOf(p))).ToArray();
        _numbers = _named.Select(n => n ? null : new ColumnChunks<double>()).ToArray();
        _texts = _named.Select(n => n ? new ColumnChunks<string?>() : null).ToArray();
        _hasNumber = new bool[_predictors.Length];
        _hasText = new bool[_predictors.Length];
    }

    /// <summary>Reads every row and builds the table.</summary>
    public LogitTable Load()
    {
        var rejected = new List<(long Slot, Problem Problem)>();
        long slot = 0;
        void Commit(Parsed? p)
        {
            if (p is null) { slot++; return; } // a blank line keeps its slot, unwritten
            if (p.Problem is { } problem)
            {
                if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, problem.Line, problem.Column, problem.Message);
                rejected.Add((slot, problem));
                _lines.Set(slot, p.Line);
            }
            else Write(p, slot);
            slot++;
            _pool.Enqueue(p);
        }
        if (_source is ParquetRowSource parquet) slot = LoadParquet(parquet, rejected);
        else if (_source is DelimitedSource delimited)
            foreach (var p in delimited.ParallelSelect(Parse, null, _options)) Commit(p);
        else _source.ForEach(row => Commit(Parse(row)), _options);
        return Build(slot, rejected);
    }

    /// <summary>Parses one row's fields, once each, from their characters; runs on any thread.</summary>
    private Parsed Parse(Fields row)
    {
        if (!_pool.TryDequeue(out var p)) p = new Parsed(_predictors.Length);
        p.Line = row.Line;
        p.Problem = null;
        if (row.Count != _width) { p.Problem = new Problem(row.Line, null, $"the row has {row.Count} fields but the header has {_width}"); return p; }
        var y = row[_y];
        if (y.Length == 1 && (y[0] == '0' || y[0] == '1')) p.Y = y[0] - '0';
        else if (y.IsEmpty) p.Y = double.NaN;
        else { p.Problem = new Problem(row.Line, _outcomeHeader, $"the outcome is {Echo.Quote(y)}; it must be 0 or 1"); return p; }
        p.Cluster = _clusters is not null && row[_cluster] is { IsEmpty: false } c ? _intern.Intern(c) : null;
        for (int k = 0; k < _predictors.Length; k++)
        {
            var f = row[_index[k]];
            p.Texts[k] = null;
            p.Numbers[k] = double.NaN;
            if (f.IsEmpty) continue; // blank: decided by the column's type at the end
            if (_named[k]) p.Texts[k] = _intern.Intern(f);
            else if (FieldParse.TryNumber(f, out double v))
            {
                if (!double.IsFinite(v)) { p.Problem = new Problem(row.Line, _predictors[k], TableReader.NotFinite(f)); return p; }
                p.Numbers[k] = v;
            }
            else p.Texts[k] = _intern.Intern(f);
        }
        return p;
    }

    /// <summary>Writes a parsed row into the columns at its slot (on the reading thread, in row order).</summary>
    private void Write(Parsed p, long slot)
    {
        _lines.Set(slot, p.Line);
        _outcome.Set(slot, p.Y);
        if (p.Cluster is not null) _clusters!.Set(slot, p.Cluster);
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (p.Texts[k] is { } text)
            {
                (_texts[k] ??= new ColumnChunks<string?>()).Set(slot, text);
                _hasText[k] = true;
            }
            else if (!_named[k] && !double.IsNaN(p.Numbers[k]))
            {
                _numbers[k]!.Set(slot, p.Numbers[k]);
                _hasNumber[k] = true;
            }
        }
    }

    private LogitTable Build(long slots, List<(long Slot, Problem Problem)> rejected)
    {
        if (slots > Array.MaxLength) throw new InputFormatException(_source.Name, 0, null, $"the table has {slots:N0} rows; at most {Array.MaxLength:N0} fit in memory as one column");
        var bad = new Dictionary<long, Problem>();
        foreach (var (slot, p) in rejected) bad[slot] = p;
        // Unnamed columns holding numbers and text: a stray token in a numeric column.
        var categorical = new bool[_predictors.Length];
        for (int k = 0; k < _predictors.Length; k++)
        {
            categorical[k] = _named[k] || (_hasText[k] && !_hasNumber[k]);
            if (_named[k] || !_hasText[k] || !_hasNumber[k]) continue;
            for (long s = 0; s < slots; s++)
            {
                if (bad.ContainsKey(s) || _texts[k]!.Get(s) is not { } value) continue;
                var problem = new Problem(_lines.Get(s), _predictors[k],
                    $"{Echo.Quote(value)} is not a number, but the column holds numbers (first on line {FirstNumberLine(k, slots)}); " +
                    "a column is categorical only when named in --categorical or when none of its values is a number");
                if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, problem.Line, problem.Column, problem.Message);
                bad[s] = problem;
            }
        }

        var keep = new bool[slots];
        var blankOutcome = new List<long>();
        var blankNumeric = new List<long>();
        var blankCluster = new List<long>();
        var unparseable = new List<long>();
        long rows = 0;
        int n = 0;
        var numericColumns = Enumerable.Range(0, _predictors.Length).Where(k => !categorical[k]).Select(k => _numbers[k]!).ToArray();
        for (long s = 0; s < slots; s++)
        {
            long line = _lines.Get(s);
            if (line == 0) continue; // a blank line
            rows++;
            if (bad.ContainsKey(s)) { unparseable.Add(line); continue; }
            if (double.IsNaN(_outcome.Get(s))) { blankOutcome.Add(line); continue; }
            bool blank = false;
            foreach (var col in numericColumns)
                if (double.IsNaN(col.Get(s))) { blank = true; break; }
            if (blank) { blankNumeric.Add(line); continue; }
            if (_clusters is not null && _clusters.Get(s) is null) { blankCluster.Add(line); continue; }
            keep[s] = true;
            n++;
        }

        var exclusions = new List<ExclusionEntry>();
        if (blankOutcome.Count > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank outcome", blankOutcome.Count, blankOutcome));
        if (blankNumeric.Count > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.BlankNumericCovariate, blankNumeric.Count, blankNumeric));
        if (blankCluster.Count > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank cluster", blankCluster.Count, blankCluster));
        if (unparseable.Count > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.Unparseable, unparseable.Count, unparseable));

        // Columns are compacted in parallel (each frees its chunks as it goes).
        var numeric = new double[_predictors.Length][];
        var text = new string?[_predictors.Length][];
        double[] y = [];
        string?[]? clusters = null;
        Parallel.For(-2, _predictors.Length, k =>
        {
            if (k == -2) y = _outcome.Compact(keep, n);
            else if (k == -1) clusters = _clusters?.Compact(keep, n);
            else if (categorical[k]) text[k] = (_texts[k] ?? new ColumnChunks<string?>()).Compact(keep, n);
            else numeric[k] = _numbers[k]!.Compact(keep, n);
        });
        var data = new ModelData(n);
        var numericNames = new List<string>();
        var categoricalNames = new List<string>();
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (categorical[k]) { data.AddCategorical(_predictors[k], text[k]); categoricalNames.Add(_predictors[k]); }
            else { data.AddNumeric(_predictors[k], numeric[k]); numericNames.Add(_predictors[k]); }
        }
        return new LogitTable(data, y, new ModelSpec(numericNames, categoricalNames, []), clusters!, exclusions, rows);
    }

    private long FirstNumberLine(int k, long slots)
    {
        for (long s = 0; s < slots; s++)
            if (!double.IsNaN(_numbers[k]!.Get(s))) return _lines.Get(s);
        return 0;
    }
}

using System.Globalization;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Data;

/// <summary>
/// A general table read for a logistic regression: the 0/1 outcome, the predictors (numeric or categorical) and,
/// optionally, a cluster column. Rows with a blank outcome or a blank numeric predictor are data errors: they are
/// set aside and counted in <see cref="Exclusions"/>, never dropped silently.
/// </summary>
/// <param name="Data">The predictors of the rows kept.</param>
/// <param name="Outcome">The outcome of the rows kept (0 or 1).</param>
/// <param name="Spec">Intercept, the numeric columns, then the categorical columns, in file order within each.</param>
/// <param name="Clusters">The cluster label of each kept row, when a cluster column was named.</param>
/// <param name="Exclusions">Rows set aside, by reason, with their lines (analysis <c>logit</c>).</param>
/// <param name="InputRows">Every data row of the file.</param>
/// <remarks>
/// The file is streamed into column buffers: numeric columns straight into doubles, with no per-row objects, so a
/// 1M × 30 file needs about 0.5 GB. A column that turns out not to be numeric is read again as categorical.
/// </remarks>
public sealed record LogitTable(ModelData Data, double[] Outcome, ModelSpec Spec, IReadOnlyList<string>? Clusters,
    IReadOnlyList<ExclusionEntry> Exclusions, long InputRows)
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="outcome">The outcome column; values must be 0 or 1.</param>
    /// <param name="categorical">Columns to treat as categorical even when their values are numbers.</param>
    /// <param name="clusterColumn">A column of cluster labels for cluster-robust SEs; it is not a predictor.</param>
    /// <param name="options">Column mapping and the bad-row policy.</param>
    /// <exception cref="InputFormatException">When the outcome column is missing or a value is not 0 or 1, or the file is malformed.</exception>
    public static LogitTable Read(string path, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null)
    {
        var cats = new HashSet<string>(categorical, StringComparer.Ordinal);
        while (true)
        {
            using var source = CsvRowSource.Open(path);
            var (table, promoted) = Read(source, outcome, cats, clusterColumn, options ?? ReadOptions.Default);
            if (table is not null) return table;
            cats.Add(promoted!); // a column with a non-numeric value: read again with it as categorical
        }
    }

    /// <summary>Reads CSV text; <paramref name="sourceName"/> names it in errors.</summary>
    public static LogitTable Read(TextReader csv, string sourceName, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null)
    {
        var text = csv.ReadToEnd();
        var cats = new HashSet<string>(categorical, StringComparer.Ordinal);
        while (true)
        {
            using var source = new CsvRowSource(new StringReader(text), sourceName);
            var (table, promoted) = Read(source, outcome, cats, clusterColumn, options ?? ReadOptions.Default);
            if (table is not null) return table;
            cats.Add(promoted!);
        }
    }

    private static (LogitTable?, string?) Read(CsvRowSource source, string outcome, HashSet<string> categorical, string? clusterColumn, ReadOptions options)
    {
        var required = new List<string> { outcome };
        if (clusterColumn is not null) required.Add(clusterColumn);
        var reader = new TableReader(source, options, required);
        var header = source.Header;
        foreach (var c in categorical)
            if (!header.Contains(reader.HeaderOf(c)))
                throw new InputFormatException(source.Name, 1, c, $"--categorical names a column that is not in the header ({string.Join(", ", header)})");
        int yIndex = reader.Index(outcome);
        int cIndex = clusterColumn is null ? -1 : reader.Index(clusterColumn);
        var predictors = reader.Extra.Names;
        var predictorIndex = predictors.Select(p => header.ToList().IndexOf(p)).ToArray();
        var isCategorical = predictors.Select(p => categorical.Contains(p) || categorical.Contains(reader.HeaderOf(p))).ToArray();
        var numeric = predictors.Select((_, k) => isCategorical[k] ? null : new ColumnBuffer<double>()).ToArray();
        var text = predictors.Select((_, k) => isCategorical[k] ? new ColumnBuffer<string?>() : null).ToArray();
        var y = new ColumnBuffer<double>();
        var clusters = clusterColumn is null ? null : new ColumnBuffer<string>();
        var blankOutcome = new List<long>();
        var blankNumeric = new List<long>();
        var blankCluster = new List<long>();
        var rejected = new List<long>();
        var parsed = new double[predictors.Length];
        long rows = 0;
        foreach (var (line, fields) in source.Rows())
        {
            rows++;
            string? problemColumn = null, problem = null;
            if (fields.Length != header.Count) problem = $"the row has {fields.Length} fields but the header has {header.Count}";
            else if (fields[yIndex] is { } yv && yv is not ("0" or "1")) (problemColumn, problem) = (header[yIndex], $"the outcome is '{yv}'; it must be 0 or 1");
            if (problem is not null)
            {
                if (options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(source.Name, line, problemColumn, problem);
                rejected.Add(line);
                continue;
            }
            if (fields[yIndex] is null) { blankOutcome.Add(line); continue; }
            bool blank = false;
            for (int k = 0; k < predictors.Length && !blank; k++)
            {
                if (isCategorical[k]) continue;
                var f = fields[predictorIndex[k]];
                if (f is null) blank = true;
                else if (!double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[k])) return (null, predictors[k]);
            }
            if (blank) { blankNumeric.Add(line); continue; }
            if (cIndex >= 0 && fields[cIndex] is null) { blankCluster.Add(line); continue; }
            for (int k = 0; k < predictors.Length; k++)
            {
                var f = fields[predictorIndex[k]];
                if (isCategorical[k])
                {
                    text[k]!.Add(f is null ? null : reader.Intern(f));
                }
                else numeric[k]!.Add(parsed[k]); // parsed once, above
            }
            y.Add(fields[yIndex] == "1" ? 1.0 : 0.0);
            clusters?.Add(fields[cIndex]!);
        }

        var exclusions = new List<ExclusionEntry>();
        if (blankOutcome.Count > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank outcome", blankOutcome.Count, blankOutcome));
        if (blankNumeric.Count > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.BlankNumericCovariate, blankNumeric.Count, blankNumeric));
        if (blankCluster.Count > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank cluster", blankCluster.Count, blankCluster));
        if (rejected.Count > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.Unparseable, rejected.Count, rejected));

        int n = y.Count;
        var data = new ModelData(n);
        var numericNames = new List<string>();
        var categoricalNames = new List<string>();
        for (int k = 0; k < predictors.Length; k++)
        {
            if (isCategorical[k]) { data.AddCategorical(predictors[k], text[k]!.ToArray()); categoricalNames.Add(predictors[k]); }
            else { data.AddNumeric(predictors[k], numeric[k]!.ToArray()); numericNames.Add(predictors[k]); }
        }
        return (new LogitTable(data, y.ToArray(), new ModelSpec(numericNames, categoricalNames, []), clusters?.ToArray(), exclusions, rows), null);
    }

    /// <summary>A growable column in fixed-size chunks, so that growth never copies (peak memory stays at one copy plus the final array).</summary>
    private sealed class ColumnBuffer<T>
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<T[]> _chunks = [];
        private T[] _last = [];
        private int _inLast = ChunkSize;

        public int Count { get; private set; }

        public void Add(T value)
        {
            if (_inLast == ChunkSize) { _chunks.Add(_last = new T[ChunkSize]); _inLast = 0; }
            _last[_inLast++] = value;
            Count++;
        }

        public T[] ToArray()
        {
            var result = new T[Count];
            for (int c = 0; c < _chunks.Count; c++)
            {
                int len = Math.Min(ChunkSize, Count - c * ChunkSize);
                Array.Copy(_chunks[c], 0, result, c * ChunkSize, len);
                _chunks[c] = null!;
            }
            return result;
        }
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Data;

/// <summary>The second half of <see cref="LogitColumns"/>: column types, the bad-row policy and the final columns.</summary>
internal sealed partial class LogitColumns
{
    /// <summary>What happened to each row of a segment, and where its kept rows go in the table.</summary>
    private sealed class Outcome
    {
        public bool[] Keep = [];
        public int Kept;
        public int At;
        public readonly List<long> BlankOutcome = [], BlankNumeric = [], BlankCluster = [], Unparseable = [];
    }

    /// <summary>
    /// Builds the table from the segments in file order. <paramref name="stop"/> is an error that stopped the read
    /// (an unclosed quote, bytes that are not UTF-8): it is thrown, unless a bad row comes before it and bad rows stop.
    /// </summary>
    private LogitTable Build(List<LogitSegment> segments, InputFormatException? stop)
    {
        bool stopOnBad = _options.OnBadRows == BadRowPolicy.Stop;
        var firstBad = segments.Select(s => s.Problems?[0].Problem).FirstOrDefault(p => p is not null);
        if (stopOnBad && firstBad is not null && (stop is null || stop.Line == 0 || firstBad.Line < stop.Line)) throw Error(firstBad);
        if (stop is not null) throw stop;

        // Types: a predictor is categorical when named, or when it holds text and no number.
        var categorical = new bool[_predictors.Length];
        var bad = segments.Select(s => s.Problems is { } p ? p.Select(x => x.Row).ToHashSet() : []).ToArray();
        for (int k = 0; k < _predictors.Length; k++)
        {
            bool hasText = segments.Any(s => s.HasText[k]), hasNumber = segments.Any(s => s.HasNumber[k]);
            categorical[k] = _named[k] || (hasText && !hasNumber);
            if (_named[k] || !hasText || !hasNumber) continue;
            // Numbers and text in one unnamed column: each text value is a stray token in a numeric column.
            long firstNumber = FirstNumberLine(segments, bad, k);
            for (int g = 0; g < segments.Count; g++)
            {
                var s = segments[g];
                if (s.Codes[k] is not { } codes) continue;
                for (int r = 0; r < s.Rows; r++)
                {
                    if (codes[r] < 0 || bad[g].Contains(r)) continue;
                    var problem = new Problem(s.Lines[r], _predictors[k],
                        $"{Echo.Quote(_levels[k].Text(codes[r]))} is not a number, but the column holds numbers (first on line {firstNumber}); " +
                        "a column is categorical only when named in --categorical or when none of its values is a number");
                    if (stopOnBad) throw Error(problem);
                    bad[g].Add(r);
                }
            }
        }

        var outcomes = new Outcome[segments.Count];
        Parallel.For(0, segments.Count, g => outcomes[g] = Sort(segments[g], bad[g], categorical));
        long rows = segments.Sum(s => (long)s.Rows), kept = 0;
        foreach (var o in outcomes) { o.At = checked((int)Math.Min(kept, int.MaxValue)); kept += o.Kept; }
        if (kept > Array.MaxLength) throw new InputFormatException(_source.Name, 0, null, $"the table has {kept:N0} rows; at most {Array.MaxLength:N0} fit in memory as one column");
        int n = (int)kept;

        var exclusions = new List<ExclusionEntry>();
        void Ledger(string reason, Func<Outcome, List<long>> lines)
        {
            var all = outcomes.SelectMany(lines).ToArray();
            if (all.Length > 0) exclusions.Add(new ExclusionEntry("logit", reason, all.Length, all));
        }
        Ledger("data error: blank outcome", o => o.BlankOutcome);
        Ledger(ExclusionReasons.BlankNumericCovariate, o => o.BlankNumeric);
        Ledger("data error: blank cluster", o => o.BlankCluster);
        Ledger(ExclusionReasons.Unparseable, o => o.Unparseable);

        // The table's columns: each segment copies its kept rows into place, in parallel.
        var y = Adopt(segments, outcomes, 0, n) ?? GC.AllocateUninitializedArray<double>(n);
        var numeric = new double[]?[_predictors.Length];
        // Categoricals stay codes (one label per level, blank as a last null label): no string per row, and the fits
        // and the compressed fit's counting pass read the codes as they are.
        var levelCodes = new int[]?[_predictors.Length];
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (categorical[k]) levelCodes[k] = GC.AllocateUninitializedArray<int>(n);
            else numeric[k] = Adopt(segments, outcomes, k + 1, n) ?? GC.AllocateUninitializedArray<double>(n);
        }
        var clusters = _clusterLevels is null ? null : new string?[n];
        Parallel.For(0, segments.Count, g =>
        {
            var s = segments[g];
            var o = outcomes[g];
            Copy(s.Column(0), o, y);
            for (int k = 0; k < _predictors.Length; k++)
            {
                if (levelCodes[k] is { } c) Copy(s.Codes[k], o, c, missing: _levels[k].Count);
                else Copy(s.Column(k + 1), o, numeric[k]!);
            }
            if (clusters is not null) Copy(s.ClusterCodes, o, clusters, _clusterLevels!);
            segments[g] = null!; // freed as soon as copied
        });

        var data = new ModelData(n);
        var numericNames = new List<string>();
        var categoricalNames = new List<string>();
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (categorical[k]) { data.AddCategorical(_predictors[k], levelCodes[k]!, [.. _levels[k].Texts, null]); categoricalNames.Add(_predictors[k]); }
            else { data.AddNumeric(_predictors[k], numeric[k]!); numericNames.Add(_predictors[k]); }
        }
        return new LogitTable(data, y, new ModelSpec(numericNames, categoricalNames, []), clusters!, exclusions, rows);
    }

    private InputFormatException Error(Problem p) => new(_source.Name, p.Line, p.Column, p.Message);

    /// <summary>Decides each row of a segment: kept, or set aside for the first reason that applies.</summary>
    private Outcome Sort(LogitSegment s, HashSet<int> bad, bool[] categorical)
    {
        var o = new Outcome { Keep = new bool[s.Rows] };
        var blankNumber = new bool[s.Rows];
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (categorical[k]) continue;
            var column = s.Column(k + 1)[..s.Rows];
            if (!LogitSegment.HasNaN(column)) continue; // nothing blank
            for (int r = 0; r < column.Length; r++)
                if (double.IsNaN(column[r])) blankNumber[r] = true;
        }
        var y = s.Column(0);
        bool anyBad = bad.Count > 0;
        for (int r = 0; r < s.Rows; r++)
        {
            long line = s.Lines[r];
            if (anyBad && bad.Contains(r)) o.Unparseable.Add(line);
            else if (double.IsNaN(y[r])) o.BlankOutcome.Add(line);
            else if (blankNumber[r]) o.BlankNumeric.Add(line);
            else if (s.ClusterCodes is { } c && c[r] < 0) o.BlankCluster.Add(line);
            else { o.Keep[r] = true; o.Kept++; }
        }
        return o;
    }

    /// <summary>The segment's own array for column <paramref name="k"/> when it is already the whole column (one segment, every row kept).</summary>
    private static double[]? Adopt(List<LogitSegment> segments, Outcome[] outcomes, int k, int n) =>
        segments.Count == 1 && outcomes[0].Kept == n && segments[0].Arrays[k] is { } a && a.Length == n && segments[0].Offsets[k] == 0 ? a : null;

    private static void Copy(Span<double> from, Outcome o, double[] to)
    {
        if (ReferenceEquals(to, null) || o.Kept == 0) return;
        if (o.Kept == o.Keep.Length)
        {
            var source = from[..o.Kept];
            var target = to.AsSpan(o.At, o.Kept);
            if (!source.Overlaps(target)) source.CopyTo(target);
            return;
        }
        int at = o.At;
        for (int r = 0; r < o.Keep.Length; r++)
            if (o.Keep[r]) to[at++] = from[r];
    }

    private static void Copy(int[]? codes, Outcome o, string?[] to, Levels levels)
    {
        int at = o.At;
        for (int r = 0; r < o.Keep.Length; r++)
            if (o.Keep[r]) to[at++] = codes is null ? null : levels.Text(codes[r]);
    }

    /// <summary>Copies a segment's kept level codes; a blank (code -1, or a segment with no text at all) becomes <paramref name="missing"/>.</summary>
    private static void Copy(int[]? codes, Outcome o, int[] to, int missing)
    {
        int at = o.At;
        for (int r = 0; r < o.Keep.Length; r++)
            if (o.Keep[r]) to[at++] = codes is null || codes[r] < 0 ? missing : codes[r];
    }

    /// <summary>The line of the first good row with a number in predictor <paramref name="k"/>.</summary>
    private static long FirstNumberLine(List<LogitSegment> segments, HashSet<int>[] bad, int k)
    {
        for (int g = 0; g < segments.Count; g++)
        {
            var column = segments[g].Column(k + 1);
            for (int r = 0; r < segments[g].Rows; r++)
                if (!double.IsNaN(column[r]) && !bad[g].Contains(r)) return segments[g].Lines[r];
        }
        return 0;
    }
}

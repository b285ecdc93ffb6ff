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
        using var source = CsvRowSource.Open(path);
        return Read(source, outcome, categorical, clusterColumn, options ?? ReadOptions.Default);
    }

    /// <summary>Reads CSV text; <paramref name="sourceName"/> names it in errors.</summary>
    public static LogitTable Read(TextReader csv, string sourceName, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null)
    {
        using var source = new CsvRowSource(csv, sourceName);
        return Read(source, outcome, categorical, clusterColumn, options ?? ReadOptions.Default);
    }

    private static LogitTable Read(IRowSource source, string outcome, IReadOnlyList<string> categorical, string? clusterColumn, ReadOptions options)
    {
        var required = new List<string> { outcome };
        if (clusterColumn is not null) required.Add(clusterColumn);
        var table = new TableReader(source, options, required);
        foreach (var c in categorical)
            if (!source.Header.Contains(table.HeaderOf(c)))
                throw new InputFormatException(source.Name, 1, c, $"--categorical names a column that is not in the header ({string.Join(", ", source.Header)})");
        var set = table.Read(row =>
        {
            var y = row.Optional(outcome);
            if (y is not null && y is not ("0" or "1"))
                throw new FieldException(table.HeaderOf(outcome), $"the outcome is '{y}'; it must be 0 or 1");
            return (row.Line, Y: y, Cluster: clusterColumn is null ? null : row.Optional(clusterColumn), Values: row.Characteristics());
        });
        var predictors = table.Extra.Names;
        var categoricalSet = new HashSet<string>(categorical.Select(table.HeaderOf), StringComparer.Ordinal);
        var numeric = predictors.Where(p => !categoricalSet.Contains(p) &&
            set.Records.All(r => r.Values[p] is not { } s || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();
        var cats = predictors.Except(numeric).ToArray();

        var exclusions = new List<ExclusionEntry>();
        var blankOutcome = set.Records.Where(r => r.Y is null).Select(r => r.Line).ToArray();
        var blankNumeric = set.Records.Where(r => r.Y is not null && numeric.Any(n => r.Values[n] is null)).Select(r => r.Line).ToArray();
        var blankCluster = set.Records.Where(r => r.Y is not null && !numeric.Any(n => r.Values[n] is null) && clusterColumn is not null && r.Cluster is null).Select(r => r.Line).ToArray();
        if (blankOutcome.Length > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank outcome", blankOutcome.Length, blankOutcome));
        if (blankNumeric.Length > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.BlankNumericCovariate, blankNumeric.Length, blankNumeric));
        if (blankCluster.Length > 0) exclusions.Add(new ExclusionEntry("logit", "data error: blank cluster", blankCluster.Length, blankCluster));
        if (set.Rejected.Count > 0) exclusions.Add(new ExclusionEntry("logit", ExclusionReasons.Unparseable, set.Rejected.Count, set.Rejected.Select(r => r.Line).ToArray()));

        var kept = set.Records.Where(r => r.Y is not null && !numeric.Any(n => r.Values[n] is null) && (clusterColumn is null || r.Cluster is not null)).ToArray();
        var data = new ModelData(kept.Length);
        foreach (var n in numeric) data.AddNumeric(n, kept.Select(r => double.Parse(r.Values[n]!, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray());
        foreach (var c in cats) data.AddCategorical(c, kept.Select(r => r.Values[c]).ToArray());
        return new LogitTable(data, kept.Select(r => r.Y == "1" ? 1.0 : 0.0).ToArray(), new ModelSpec(numeric, cats, []),
            clusterColumn is null ? null : kept.Select(r => r.Cluster!).ToArray(), exclusions, set.InputRows);
    }
}

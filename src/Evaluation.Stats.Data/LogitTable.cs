using System.Data.Common;
using Microsoft.Data.Analysis;
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
/// Fields are parsed once, from their characters straight into double columns (no per-row objects, no string per
/// number), on every core for a delimited file. A predictor is categorical when named in <c>categorical</c> or when
/// none of its values is a number; a numeric column with a stray token is an error naming its line and column
/// (methodology §9), never a silent change of type.
/// </remarks>
public sealed record LogitTable(ModelData Data, double[] Outcome, ModelSpec Spec, IReadOnlyList<string>? Clusters,
    IReadOnlyList<ExclusionEntry> Exclusions, long InputRows)
{
    /// <summary>Reads <paramref name="path"/>: delimited text (<c>-</c> for standard input, <c>.gz</c> decompressed) or <c>.parquet</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="outcome">The outcome column; values must be 0 or 1.</param>
    /// <param name="categorical">Columns to treat as categorical even when their values are numbers.</param>
    /// <param name="clusterColumn">A column of cluster labels for cluster-robust SEs; it is not a predictor.</param>
    /// <param name="options">Column mapping, the bad-row policy, delimiter, encoding, progress and cancellation.</param>
    /// <exception cref="InputFormatException">When the outcome column is missing or a value is not 0 or 1, a numeric column holds text, or the file is malformed.</exception>
    public static LogitTable Read(string path, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        using IRowSource source = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ParquetRowSource.Open(path, options) : new DelimitedBlocks(InputOpener.OpenText(path, options), InputOpener.NameOf(path), options, options.BlockChars);
        return new LogitColumns(source, outcome, categorical, clusterColumn, options).Load();
    }

    /// <summary>Reads delimited text; <paramref name="sourceName"/> names it in errors.</summary>
    public static LogitTable Read(TextReader csv, string sourceName, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        using var source = new DelimitedBlocks(csv, sourceName, options, options.BlockChars);
        return new LogitColumns(source, outcome, categorical, clusterColumn, options).Load();
    }

    /// <summary>Reads a <see cref="DataFrame"/>; row r is reported as line r + 1 of <paramref name="sourceName"/>.</summary>
    public static LogitTable Read(DataFrame frame, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null, string sourceName = "DataFrame")
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= ReadOptions.Default;
        return new LogitColumns(new DataFrameRowSource(frame, sourceName, options.DateFormat), outcome, categorical, clusterColumn, options).Load();
    }

    /// <summary>Reads the rows of any ADO.NET reader (a query's result).</summary>
    public static LogitTable Read(DbDataReader reader, string outcome, IReadOnlyList<string> categorical, string? clusterColumn = null, ReadOptions? options = null, string sourceName = "query")
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= ReadOptions.Default;
        return new LogitColumns(new DataReaderRowSource(reader, sourceName, options.DateFormat), outcome, categorical, clusterColumn, options).Load();
    }
}

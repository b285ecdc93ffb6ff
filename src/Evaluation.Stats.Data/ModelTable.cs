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
        // Delimited text goes through the block reader (parsed on every core), as LogitTable's does.
        using IRowSource source = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? ParquetRowSource.Open(path, options)
            : new DelimitedBlocks(InputOpener.OpenText(path, options), InputOpener.NameOf(path), options, options.BlockChars);
        return new ModelColumns(source, formula, outcome, clusterColumns ?? [], numericColumns ?? [], options, analysis).Load();
    }
}

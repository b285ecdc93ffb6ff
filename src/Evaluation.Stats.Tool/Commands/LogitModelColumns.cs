using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tool;

/// <summary>
/// <c>evalstats logit --weights/--trials/--offset/--link</c>: the columns that are not predictors, taken out of the
/// table's model and checked row by row (an error names the column and the row), and the fit, compressed to
/// covariate patterns when the model allows it and that is faster.
/// </summary>
internal static class LogitModelColumns
{
    internal static BinomialLink Link(string? link) => link?.ToLowerInvariant() switch
    {
        null or "logit" => BinomialLink.Logit,
        "probit" => BinomialLink.Probit,
        "cloglog" => BinomialLink.Cloglog,
        _ => throw new UsageException($"--link '{link}': use logit, probit or cloglog"),
    };

    /// <summary>The model without the weight, trials and offset columns, and those columns' values (null when not given).</summary>
    internal static (ModelSpec Spec, double[]? Weights, double[]? Trials, double[]? Offset) Take(LogitTable table, string? weights, string? trials, string? offset)
    {
        var taken = new[] { weights, trials, offset }.Where(c => c is not null).Select(c => c!).ToArray();
        if (taken.Distinct(StringComparer.Ordinal).Count() != taken.Length)
            throw new UsageException("--weights, --trials and --offset must name different columns");
        var spec = table.Spec with
        {
            Numeric = table.Spec.Numeric.Where(c => !taken.Contains(c, StringComparer.Ordinal)).ToArray(),
            Interactions = table.Spec.Interactions.Where(t => !taken.Contains(t.A) && !taken.Contains(t.B)).ToArray(),
        };
        var w = Column(table, weights, "--weights", WeightRule.Ok, WeightRule.Rule);
        var t = Column(table, trials, "--trials", TrialsRule.Ok, TrialsRule.Rule);
        var o = Column(table, offset, "--offset", OffsetRule.Ok, OffsetRule.Rule);
        if (t is not null) CheckEvents(table.Outcome, t, trials!);
        return (spec, w, t, o);
    }

    /// <summary>What a <c>--trials</c> value must be.</summary>
    internal static readonly (Func<double, bool> Ok, string Rule) TrialsRule = (v => v >= 1 && double.IsFinite(v) && v == Math.Floor(v), "trials must be a whole number of at least 1");

    /// <summary>Checks that each row's outcome is a whole number of events from 0 to its trials.</summary>
    internal static void CheckEvents(double[] events, double[] trials, string column)
    {
        for (int i = 0; i < trials.Length; i++)
            if (!(events[i] >= 0 && events[i] <= trials[i] && events[i] == Math.Floor(events[i])))
                throw new UsageException($"row {i + 1}: the outcome is {Text(events[i])} events of {Text(trials[i])} trials (column '{column}'); events must be a whole number from 0 to the trials");
    }

    /// <summary>Prior weights m = weight × trials and the outcome as proportions events/trials (R's <c>cbind(events, trials − events)</c> with weights).</summary>
    internal static (double[] Outcome, double[]? Prior) Grouped(double[] y, double[]? weights, double[]? trials)
    {
        double[]? m = weights is null && trials is null ? null : Enumerable.Range(0, y.Length).Select(i => (weights?[i] ?? 1) * (trials?[i] ?? 1)).ToArray();
        return (trials is null ? y : y.Select((e, i) => e / trials[i]).ToArray(), m);
    }

    private static double[]? Column(LogitTable table, string? name, string option, Func<double, bool> ok, string rule)
    {
        if (name is null) return null;
        if (table.Spec.Categorical.Contains(name, StringComparer.Ordinal))
            throw new UsageException($"{option} '{name}': the column is categorical; it must hold numbers");
        if (!table.Spec.Numeric.Contains(name, StringComparer.Ordinal))
            throw new UsageException($"{option} '{name}': there is no such numeric column (columns: {string.Join(", ", table.Spec.Numeric.Concat(table.Spec.Categorical))})");
        return Checked(table.Data.Numeric(name), name, option, ok, rule);
    }

    /// <summary>What a <c>--weights</c> value must be.</summary>
    internal static readonly (Func<double, bool> Ok, string Rule) WeightRule = (v => double.IsFinite(v) && v >= 0, "a frequency weight must be a finite number of at least 0");

    /// <summary>What an <c>--offset</c> value must be.</summary>
    internal static readonly (Func<double, bool> Ok, string Rule) OffsetRule = (double.IsFinite, "an offset must be a finite number");

    /// <summary>
    /// <paramref name="values"/> of a weights, trials or offset column, each checked against <paramref name="ok"/>;
    /// the first failing value is a usage error naming the option, the column and the row among the rows kept.
    /// </summary>
    internal static double[] Checked(double[] values, string name, string option, Func<double, bool> ok, string rule)
    {
        for (int i = 0; i < values.Length; i++)
            if (!ok(values[i])) throw new UsageException($"{option} column '{name}', row {i + 1} of the rows kept: the value is {Text(values[i])}; {rule}");
        return values;
    }

    /// <summary>
    /// Reads a grouped table for <c>--trials</c>, whose outcome column holds event counts rather than 0/1: the file is
    /// loaded as a <see cref="Microsoft.Data.Analysis.DataFrame"/> (text for the categorical and cluster columns,
    /// numbers for the rest), given a placeholder 0/1 outcome so that the logit table's checks and exclusions apply to
    /// the other columns, and the events column then becomes the outcome.
    /// </summary>
    internal static LogitTable ReadGrouped(string path, string outcome, IReadOnlyList<string> categorical, string? cluster, ReadOptions read)
    {
        const string placeholder = "(evalstats outcome)";
        string header;
        using (var reader = new StreamReader(path)) header = reader.ReadLine() ?? throw new InputFormatException(path, 1, null, "the file is empty");
        var names = header.Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        if (!names.Contains(outcome, StringComparer.Ordinal)) throw new InputFormatException(path, 1, outcome, $"there is no outcome column '{outcome}'");
        var text = categorical.Append(cluster).Where(c => c is not null).ToHashSet(StringComparer.Ordinal);
        var types = names.Select(n => text.Contains(n) ? typeof(string) : typeof(double)).ToArray();
        Microsoft.Data.Analysis.DataFrame frame;
        try { frame = Microsoft.Data.Analysis.DataFrame.LoadCsv(path, columnNames: names, dataTypes: types, header: true); }
        catch (FormatException e) { throw new InputFormatException(path, 0, null, $"a numeric column holds text ({e.Message}); list text columns in --categorical"); }
        frame.Columns.Add(new Microsoft.Data.Analysis.DoubleDataFrameColumn(placeholder, frame.Rows.Count));
        frame.Columns[placeholder].FillNulls(0.0, inPlace: true);
        var table = LogitTable.Read(frame, placeholder, categorical, cluster, read, path);
        var spec = table.Spec with
        {
            Numeric = table.Spec.Numeric.Where(c => c != outcome).ToArray(),
            Interactions = table.Spec.Interactions.Where(t => t.A != outcome && t.B != outcome).ToArray(),
        };
        return table with { Outcome = table.Data.Numeric(outcome), Spec = spec };
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The fit: compressed (<see cref="CompressedFit.TryFit"/>) when the model's columns are all categorical or 0/1
    /// and the rows compress well, else the row-level fit with the weights (times trials) as prior weights.
    /// </summary>
    internal static LogisticResult Fit(LogitTable table, ModelSpec spec, double[]? weights, double[]? trials, double[]? offset, LogisticOptions options)
    {
        var y = table.Outcome;
        if (CompressedFit.TryFit(table.Data, spec, y, new CompressedInputs(weights, trials, offset), options) is { } compressed) return compressed;
        return Model(table, spec, weights, trials, offset).Fit(options);
    }

    /// <summary>The row-level model: the weights (times trials) as prior weights and the proportions events/trials as the outcome.</summary>
    internal static LogisticModel Model(LogitTable table, ModelSpec spec, double[]? weights, double[]? trials, double[]? offset)
    {
        var y = table.Outcome;
        if (weights is null && trials is null && offset is null) return new LogisticModel(table.Data, spec, y);
        var (proportion, m) = Grouped(y, weights, trials);
        return new LogisticModel(table.Data, spec, proportion, m, offset);
    }
}

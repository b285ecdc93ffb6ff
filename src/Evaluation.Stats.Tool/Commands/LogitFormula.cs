using System.Diagnostics;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats logit --data FILE --formula "y ~ ..."</c>: the logistic regression of a formula's design (only its
/// columns are read), with any <c>--robust</c> estimator and <c>--level</c>, frequency weights, an offset, and binomial
/// trials (the response then holds events: R's <c>glm(cbind(y, trials − y) ~ ...)</c>). The JSON is <c>logit</c>'s
/// with the formula, level and covariance detail added.
/// </summary>
internal static class LogitFormula
{
    public static int Run(TextWriter stdout, TextWriter stderr, string path, ModelOptions.Specification spec, bool firth, BinomialLink link, (string? Weights, string? Trials, string? Offset) columns, bool json, ReadOptions read)
    {
        var clock = Stopwatch.StartNew();
        string[] extra = new[] { columns.Weights, columns.Trials, columns.Offset }.OfType<string>().ToArray();
        if (extra.Distinct(StringComparer.Ordinal).Count() != extra.Length) throw new UsageException("--weights, --trials and --offset must name different columns");
        foreach (var c in extra)
            if (spec.Formula!.Columns.Contains(c, StringComparer.Ordinal) || c == spec.Formula.Response)
                throw new UsageException($"'{c}' is in the formula; a --weights, --trials or --offset column is not a term or the response");
        // With --trials the response holds event counts, checked against the trials below, not 0/1.
        var table = spec.Read(path, columns.Trials is null ? OutcomeKind.Binary : OutcomeKind.Continuous, read, "logit", extra);
        var design = table.Design();
        var weights = columns.Weights is null ? null : LogitModelColumns.Checked(table.Data.Numeric(columns.Weights), columns.Weights, "--weights", LogitModelColumns.WeightRule.Ok, LogitModelColumns.WeightRule.Rule);
        var offset = columns.Offset is null ? null : LogitModelColumns.Checked(table.Data.Numeric(columns.Offset), columns.Offset, "--offset", LogitModelColumns.OffsetRule.Ok, LogitModelColumns.OffsetRule.Rule);
        var trials = columns.Trials is null ? null : LogitModelColumns.Checked(table.Data.Numeric(columns.Trials), columns.Trials, "--trials", LogitModelColumns.TrialsRule.Ok, LogitModelColumns.TrialsRule.Rule);
        if (trials is not null) LogitModelColumns.CheckEvents(table.Outcome, trials, columns.Trials!);
        var (outcome, prior) = LogitModelColumns.Grouped(table.Outcome, weights, trials);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var model = design.Logistic(outcome, prior, offset);
        var fit = model.Fit(new LogisticOptions { Firth = firth, ConfidenceLevel = spec.Level, Link = link });
        var covariance = spec.Covariance(table);
        if (covariance.Type != CovarianceType.Model) fit = LogisticCovariance.Apply(model, fit, covariance);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        foreach (var e in table.Exclusions) stderr.WriteLine($"evalstats: {e.Rows:N0} row(s) set aside: {e.Reason}");
        if (json)
        {
            var o = JsonOutput.Logit(fit, table.Exclusions, loadSeconds, fitSeconds);
            ModelOptions.AddCommon(o, table, covariance, spec.Level, loadSeconds, fitSeconds);
            stdout.WriteLine(o.ToJsonString(JsonOutput.Options));
        }
        else stdout.Write(fit + ModelOptions.ExclusionText(table, fit.N) + $"load {loadSeconds:0.000} s, fit {fitSeconds:0.000} s\n");
        return 0;
    }
}

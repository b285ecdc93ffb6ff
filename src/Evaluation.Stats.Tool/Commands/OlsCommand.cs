using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats ols --data FILE --formula "y ~ ..." [--level 0.95] [--robust hc0|hc1|hc2|hc3|cluster:A|cluster:A,B] [--json]</c>
/// (docs/cli.md): a linear model (for example the linear probability DiD) with the same options and output shape
/// as <c>logit --formula</c>; t statistics on n − k degrees of freedom, as R's <c>lm</c>.
/// </summary>
internal static class OlsCommand
{
    /// <summary>Builds the command; the shared options are those of the other commands.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, Option<bool> json, Option<string?> columns, Option<string> onBadRows, Option<bool> verbose)
    {
        var data = new Option<string>("--data") { Description = "The table to model (CSV, TSV, .gz, .parquet or - for stdin).", Required = true };
        var model = new ModelOptions();
        model.Formula.Required = true;
        var command = new Command("ols", "A linear regression (OLS), for example the linear probability DiD, specified by a formula.") { data, json, columns, onBadRows, verbose };
        model.AddTo(command);
        var input = new InputOptions();
        input.AddTo(command);
        command.SetAction(p =>
        {
            var spec = model.Parse(p);
            var path = p.GetValue(data)!;
            var read = input.Apply(p, new ReadOptions { OnBadRows = InputOptions.BadRows(p.GetValue(onBadRows)), Columns = ReadOptions.ParseColumnMap(p.GetValue(columns)) }, stderr, path);
            var clock = Stopwatch.StartNew();
            var table = spec.Read(path, OutcomeKind.Continuous, read, "ols");
            double loadSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var design = table.Design(); // counted in the fit, as R's lm builds its model matrix
            var covariance = spec.Covariance(table);
            var fit = LinearModel.Fit(design, table.Outcome, new LinearOptions { Covariance = covariance, ConfidenceLevel = spec.Level });
            double fitSeconds = clock.Elapsed.TotalSeconds;
            foreach (var e in table.Exclusions) stderr.WriteLine($"evalstats: {e.Rows:N0} row(s) set aside: {e.Reason}");
            if (p.GetValue(json))
            {
                var o = Json(fit);
                ModelOptions.AddCommon(o, table, covariance, spec.Level, loadSeconds, fitSeconds);
                stdout.WriteLine(o.ToJsonString(JsonOutput.Options));
            }
            else stdout.Write(fit + ModelOptions.ExclusionText(table, fit.N) + $"load {loadSeconds:0.000} s, fit {fitSeconds:0.000} s\n");
            return 0;
        });
        return command;
    }

    /// <summary>The coefficients and fit statistics, in the shape of <c>logit</c>'s JSON (<c>tValue</c> for <c>zValue</c>).</summary>
    internal static JsonObject Json(LinearResult fit)
    {
        var coefficients = new JsonArray();
        foreach (var c in fit.Coefficients)
            coefficients.Add((JsonNode)new JsonObject
            {
                ["term"] = c.Term, ["estimate"] = JsonOutput.Num(c.Estimate), ["stdError"] = JsonOutput.Num(c.StdError), ["tValue"] = JsonOutput.Num(c.TValue),
                ["pValue"] = JsonOutput.Num(c.PValue), ["ciLower"] = JsonOutput.Num(c.CiLower), ["ciUpper"] = JsonOutput.Num(c.CiUpper),
            });
        return new JsonObject
        {
            ["coefficients"] = coefficients,
            ["aliased"] = new JsonArray(fit.Aliased.Select(a => (JsonNode?)a).ToArray()),
            ["warnings"] = new JsonArray(fit.Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["sigma"] = JsonOutput.Num(fit.Sigma), ["rSquared"] = JsonOutput.Num(fit.RSquared), ["adjRSquared"] = JsonOutput.Num(fit.AdjustedRSquared),
            ["residualDf"] = fit.ResidualDegreesOfFreedom, ["n"] = fit.N,
        };
    }
}

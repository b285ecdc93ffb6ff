using System.Globalization;
using System.Text.Json.Nodes;

namespace Evaluation.Stats.Tests;

/// <summary>
/// <c>evalstats logit --formula ... --trials COL</c>: a grouped binomial given by a formula (the response holds events)
/// against R's <c>glm(cbind(ncases, trials - ncases) ~ alcgp * agemid + tobgp, binomial)</c> with alcgp releveled
/// (fixtures/glm/formula_trials.R wrote esoph_trials.csv and esoph_formula_trials.expected.csv): every estimate and SE
/// to 1e-6 relative, the deviances, AIC and log-likelihood too; bad event counts exit 2 naming the row.
/// </summary>
public class GroupedFormulaCliTests
{
    private const double Relative = 1e-6;
    private const string Formula = "ncases ~ C(alcgp, ref='40-79')*agemid + tobgp";

    private static void Close(double expected, JsonNode? actual, string what)
    {
        double a = actual!.GetValue<double>();
        Assert.True(Math.Abs(expected - a) <= Relative * Math.Abs(expected), $"{what}: R {expected:R}, ours {a:R}");
    }

    [Fact]
    public void Formula_with_trials_matches_glm_cbind()
    {
        var (code, stdout, stderr) = CliTests.Run("logit", "--data", CliTests.Fixture("glm", "esoph_trials.csv"), "--formula", Formula, "--trials", "trials", "--json");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!.AsObject();
        var rows = FormulaReferenceTests.Csv("glm", "esoph_formula_trials.expected.csv").Skip(1).ToList();
        var r = rows.ToDictionary(x => x[0], x => x.Skip(1).Select(v => v == "NA" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        var coefficients = o["coefficients"]!.AsArray();
        Assert.Equal(rows.Where(x => !x[0].StartsWith('.')).Select(x => x[0]), coefficients.Select(c => c!["term"]!.GetValue<string>().Replace("[", "").Replace("]", "")));
        foreach (var c in coefficients)
        {
            var term = c!["term"]!.GetValue<string>();
            var e = r[term.Replace("[", "").Replace("]", "")];
            Close(e[0], c["estimate"], term + " estimate");
            Close(e[1], c["stdError"], term + " SE");
            Close(e[2], c["zValue"], term + " z");
        }
        Close(r[".deviance"][0], o["deviance"], "deviance");
        Close(r[".nullDeviance"][0], o["nullDeviance"], "null deviance");
        Close(r[".aic"][0], o["aic"], "AIC");
        Close(r[".logLik"][0], o["logLikelihood"], "log-likelihood");
        Assert.Equal(88, o["n"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("ncases,trials\n1,2\n3,2\n", "row 2: the outcome is 3 events of 2 trials (column 'trials')")]
    [InlineData("ncases,trials\n1,2\n1.5,2\n", "row 2: the outcome is 1.5 events")]
    [InlineData("ncases,trials\n1,2\n1,0\n", "--trials column 'trials', row 2")]
    public void Bad_events_or_trials_exit_2_naming_the_row(string csv, string message)
    {
        // The same rows with a predictor x (0, 1, ...) added.
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var path = CliTests.Temp("grouped.csv", "ncases,trials,x\n" + string.Join("\n", lines.Skip(1).Select((l, i) => $"{l},{i}")) + "\n");
        var (code, _, stderr) = CliTests.Run("logit", "--data", path, "--formula", "ncases ~ x", "--trials", "trials");
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }
}

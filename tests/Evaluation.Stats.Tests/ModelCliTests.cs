using System.Globalization;
using System.Text.Json.Nodes;

namespace Evaluation.Stats.Tests;

/// <summary>
/// <c>evalstats ols</c> and <c>logit --formula</c>: the JSON carries the library's numbers (checked against the R
/// fixtures of fixtures/linear), only the formula's columns are read, rows with blanks go to the ledger, and bad
/// formulas and options exit 2 with the position or the option named.
/// </summary>
public sealed class ModelCliTests
{
    private static Dictionary<string, Dictionary<string, string>> Expected(string name)
    {
        var rows = FormulaReferenceTests.Csv("linear", name + ".expected.csv");
        return rows.Skip(1).ToDictionary(r => r[0], r => rows[0].Select((h, i) => (h, v: r[i])).ToDictionary(x => x.h, x => x.v));
    }

    private static void Close(string expected, JsonNode? actual, string what)
    {
        double e = double.Parse(expected, CultureInfo.InvariantCulture), a = actual!.GetValue<double>();
        Assert.True(Math.Abs(e - a) <= 1e-6 * Math.Abs(e), $"{what}: R {e}, ours {a}");
    }

    private static JsonObject Json(params string[] args)
    {
        var (code, stdout, stderr) = CliTests.Run(args);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    [Fact]
    public void Ols_two_way_cluster_json_matches_R()
    {
        var o = Json("ols", "--data", CliTests.Fixture("linear", "did.csv"), "--formula", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f",
            "--robust", "cluster:site,week", "--json");
        var r = Expected("did");
        foreach (var c in o["coefficients"]!.AsArray())
        {
            var term = c!["term"]!.GetValue<string>();
            var e = r[term.Replace("[", "").Replace("]", "")];
            if (term == "x2") { Assert.Null(c["estimate"]); continue; }
            Close(e["estimate"], c["estimate"], term);
            Close(e["se_CL2"], c["stdError"], term + " SE");
            Close(e["lower95_CL2"], c["ciLower"], term + " lower");
        }
        Assert.Equal(["x2"], o["aliased"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("Cluster", o["covariance"]!.GetValue<string>());
        Assert.Equal("cluster(site, week; HC1)", o["covarianceDetail"]!.GetValue<string>());
        Assert.Equal(291, o["residualDf"]!.GetValue<int>());
        Assert.Equal(300, o["n"]!.GetValue<int>());
    }

    [Fact]
    public void Logit_formula_hc3_and_level_match_R()
    {
        var o = Json("logit", "--data", CliTests.Fixture("linear", "logit.csv"), "--formula", "y ~ pilot*post + age + C(sex, ref='M')",
            "--robust", "hc3", "--level", "0.9", "--json");
        var r = Expected("logit");
        double z = 1.6448536269514722;
        foreach (var c in o["coefficients"]!.AsArray())
        {
            var term = c!["term"]!.GetValue<string>();
            var e = r[term.Replace("[", "").Replace("]", "")];
            Close(e["estimate"], c["estimate"], term);
            Close(e["se_HC3"], c["stdError"], term + " SE");
            double b = c["estimate"]!.GetValue<double>(), se = c["stdError"]!.GetValue<double>();
            Assert.Equal(b - z * se, c["ciLower"]!.GetValue<double>(), 1e-9);
        }
        Assert.Equal("HC3", o["covariance"]!.GetValue<string>());
        Assert.Equal(0.9, o["level"]!.GetValue<double>());
    }

    [Fact]
    public void Only_the_formulas_columns_are_read_and_blanks_go_to_the_ledger()
    {
        // 'junk' mixes numbers and text and 'gap' is blank: neither is in the formula, so neither matters.
        var lines = new List<string> { "y,x,g,junk,gap" };
        for (int i = 0; i < 40; i++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{(i * 7 % 5) + 0.25 * i},{(i == 3 ? "" : (i % 9).ToString(CultureInfo.InvariantCulture))},{(i % 3 == 0 ? "a" : "b")},{(i % 2 == 0 ? "1" : "text")},"));
        var path = CliTests.Temp("model.csv", string.Join("\n", lines) + "\n");
        var o = Json("ols", "--data", path, "--formula", "y ~ x + g", "--json");
        Assert.Equal(39, o["n"]!.GetValue<int>());
        Assert.Equal(40, o["inputRows"]!.GetValue<int>());
        var ledger = o["exclusions"]!.AsArray().Single()!;
        Assert.Equal("ols", ledger["analysis"]!.GetValue<string>());
        Assert.Equal("data error: blank numeric covariate", ledger["reason"]!.GetValue<string>());
        Assert.Equal([5L], ledger["lines"]!.AsArray().Select(l => l!.GetValue<long>()));
        Assert.Equal(["(Intercept)", "x", "g[b]"], o["coefficients"]!.AsArray().Select(c => c!["term"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("y ~ x1 + ", "character 10")]
    [InlineData("y ~ x1 + nope", "no column 'nope'")]
    [InlineData("y ~ x1 + C(f, ref='z')", "'z' is not a level of 'f'")]
    [InlineData("y ~ x1 / f", "operator '/' is not supported")]
    public void Bad_formulas_exit_2_with_the_position(string formula, string message)
    {
        var (code, _, stderr) = CliTests.Run("ols", "--data", CliTests.Fixture("linear", "did.csv"), "--formula", formula);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData("--robust", "hc4", "use hc0, hc1, hc2, hc3")]
    [InlineData("--robust", "cluster:a,b,c", "cluster:COLUMN,COLUMN")]
    [InlineData("--level", "1.5", "strictly between 0 and 1")]
    [InlineData("--robust", "cluster:nosuch", "nosuch")]
    public void Bad_options_exit_2(string option, string value, string message)
    {
        var (code, _, stderr) = CliTests.Run("ols", "--data", CliTests.Fixture("linear", "did.csv"), "--formula", "y ~ x1", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Logit_refuses_outcome_with_formula_and_needs_one_of_them()
    {
        var (code, _, stderr) = CliTests.Run("logit", "--data", CliTests.Fixture("linear", "logit.csv"), "--formula", "y ~ age", "--outcome", "y");
        Assert.Equal(2, code);
        Assert.Contains("do not go with --formula", stderr);
        (code, _, stderr) = CliTests.Run("logit", "--data", CliTests.Fixture("linear", "logit.csv"));
        Assert.Equal(2, code);
        Assert.Contains("--outcome", stderr);
        (code, _, stderr) = CliTests.Run("ols", "--data", CliTests.Fixture("linear", "logit.csv"), "--formula", "age ~ y", "--robust", "cluster:site,week");
        Assert.Equal(0, code);
    }
}

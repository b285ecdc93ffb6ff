using System.Text.Json.Nodes;

namespace Evaluation.Stats.Tests;

/// <summary><c>evalstats logit --trials/--weights/--offset/--link</c> against the R fixtures (fixtures/glm), and its errors.</summary>
public class GlmCliTests
{
    private static JsonNode Logit(params string[] args)
    {
        var (code, output, error) = CliTests.Run(["logit", .. args, "--json"]);
        Assert.True(code == 0, error);
        return JsonNode.Parse(output)!;
    }

    private static void MatchJson(string expected, JsonNode fit)
    {
        var r = LogisticFixtureTests.Load(expected, "glm");
        var coefficients = fit["coefficients"]!.AsArray();
        Assert.Equal(r.Order, coefficients.Select(c => (string)c!["term"]!).ToList());
        foreach (var c in coefficients)
        {
            string term = (string)c!["term"]!;
            LogisticFixtureTests.Close(r.Terms[term]["estimate"], (double)c["estimate"]!, 1e-6, $"{term} estimate");
            LogisticFixtureTests.Close(r.Terms[term]["stdError"], (double)c["stdError"]!, 1e-6, $"{term} SE");
        }
        LogisticFixtureTests.Close(r.Stats[".logLik"], (double)fit["logLikelihood"]!, 1e-9, "log-likelihood");
    }

    [Fact]
    public void Trials_Probit_MatchesGlmCbind()
    {
        var fit = Logit("--data", CliTests.Fixture("glm", "esoph.csv"), "--outcome", "ncases", "--trials", "trials", "--link", "probit", "--categorical", "agegp,alcgp,tobgp");
        MatchJson("esoph_probit", fit);
        Assert.Equal("probit", (string)fit["link"]!);
        Assert.Null(fit["coefficients"]![0]!["oddsRatio"]);
    }

    [Fact]
    public void Weights_And_Offset_MatchGlm()
    {
        MatchJson("weights_cloglog", Logit("--data", CliTests.Fixture("glm", "weights.csv"), "--outcome", "y", "--weights", "w", "--categorical", "g", "--link", "cloglog"));
        MatchJson("offset_logit", Logit("--data", CliTests.Fixture("glm", "offset.csv"), "--outcome", "y", "--offset", "o"));
    }

    [Fact]
    public void Formula_WithWeightsAndOffset_MatchesGlm()
    {
        MatchJson("weights_cloglog", Logit("--data", CliTests.Fixture("glm", "weights.csv"), "--formula", "y ~ x + C(g)", "--weights", "w", "--link", "cloglog"));
        MatchJson("offset_logit", Logit("--data", CliTests.Fixture("glm", "offset.csv"), "--formula", "y ~ x1 + x2", "--offset", "o"));
    }

    [Theory]
    [InlineData("--trials", "y", "'y' is in the formula")]
    [InlineData("--weights", "x", "'x' is in the formula")]
    public void Formula_WithModelColumns_RefusesWhatItCannotRead(string option, string column, string message)
    {
        var (code, _, error) = CliTests.Run("logit", "--data", CliTests.Fixture("glm", "weights.csv"), "--formula", "y ~ x + C(g)", option, column);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void CategoricalAnd01Design_IsFittedCompressed_AndSaysSo()
    {
        var fit = Logit("--data", CliTests.Fixture("glm", "esoph_expanded.csv"), "--outcome", "y", "--categorical", "agegp,alcgp,tobgp");
        MatchJson("esoph_expanded_logit", fit);
        Assert.Equal(88, (int)fit["patterns"]!);
        var (code, text, _) = CliTests.Run("logit", "--data", CliTests.Fixture("glm", "esoph_expanded.csv"), "--outcome", "y", "--categorical", "agegp,alcgp,tobgp");
        Assert.Equal(0, code);
        Assert.Contains("975 rows fitted as 88 covariate patterns", text);
    }

    [Theory]
    [InlineData("--weights", "x", "--weights column 'x', row 1 of the rows kept: the value is -3.2")]
    [InlineData("--offset", "nope", "--offset 'nope': there is no such numeric column")]
    [InlineData("--trials", "g", "--trials 'g': the column is categorical")]
    [InlineData("--link", "logistic", "--link 'logistic': use logit, probit or cloglog")]
    public void BadModelColumns_ExitTwo_NamingColumnAndRow(string option, string value, string message)
    {
        var (code, _, error) = CliTests.Run("logit", "--data", CliTests.Fixture("glm", "weights.csv"), "--outcome", "y", "--categorical", "g", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }
}

using System.Text.Json.Nodes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tests;

public class AdjustedDidTests
{
    [Fact]
    public void Journeys_Json_ReportsAdjustedInteractionAndAtt_ForEveryPair()
    {
        var (code, output, err) = CliTests.Run("journeys", "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", CliTests.Fixture("demo", "design.json"), "--json");
        Assert.True(code == 0, err);
        var pairs = JsonNode.Parse(output)!["pairs"]!.AsArray();
        Assert.Equal(6, pairs.Count);
        foreach (var pair in pairs)
            foreach (var outcome in new[] { "effectiveTreatment", "successfulCompletion", "successfulCompletionOfCaseload" })
            {
                var o = pair!["outcomes"]![outcome]!;
                var a = o["adjusted"]!;
                foreach (var field in new[] { "logOdds", "stdError", "pValue", "oddsRatio", "att", "attStdError" })
                    Assert.True(a[field] is JsonValue v && double.IsFinite(v.GetValue<double>()), $"{pair["name"]} {outcome} {field}");
                long n = new[] { "pilotPre", "pilotPost", "comparisonPre", "comparisonPost" }.Sum(c => o["cells"]![c]!["n"]!.GetValue<long>());
                Assert.Equal(n, a["n"]!.GetValue<long>()); // the model uses exactly the cells' rows
                Assert.True(a["converged"]!.GetValue<bool>());
            }
    }

    [Fact]
    public void Referrals_AdjustedModel_UsesReferralCovariates()
    {
        var data = SyntheticData.Generate(7, 300);
        var result = Evaluator.Referrals(data.Design, new RecordSet<Referral>(data.Referrals), data.Pickups);
        var adjusted = result.Pairs[0].Outcomes[OutcomeNames.ReferralPickup].Adjusted!;
        var terms = adjusted.Model.Coefficients.Select(c => c.Term).ToList();
        Assert.Equal(["(Intercept)", "pilot", "post", "age"], terms.Take(4));
        Assert.Contains("no_fixed_abode[N]", terms); // "(missing)" sorts first, so it is the reference level
        Assert.Contains("no_fixed_abode[Y]", terms);
        Assert.Contains("sex[M]", terms);
        Assert.Equal("pilot:post", terms[^1]);
    }

    [Fact]
    public void WithoutCovariates_AdjustedIsTheThreeTermModel_AndMatchesTheSaturatedLogit()
    {
        // With no covariates the model is saturated on the four cells, so b3 is the log-odds interaction of §5.
        var data = SyntheticData.Generate(11, 300);
        var design = data.Design with { Covariates = CovariateSpec.None };
        var result = Evaluator.Journeys(design, new RecordSet<Journey>(data.Journeys));
        foreach (var pair in result.Pairs)
        {
            var o = pair.Outcomes[OutcomeNames.EffectiveTreatment];
            Assert.Equal(["(Intercept)", "pilot", "post", "pilot:post"], o.Adjusted!.Model.Coefficients.Select(c => c.Term));
            Assert.Equal(o.Did.LogOddsInteraction!.Estimate, o.Adjusted.LogOdds!.Value, tolerance: 1e-8);
            Assert.Equal(o.Did.LogOddsInteraction.StdError, o.Adjusted.StdError!.Value, tolerance: 1e-8);
            // and the ATT of the saturated model is the pilot-post cell's observed minus counterfactual rate
            var c = o.Cells;
            double counterfactual = Logistic(Logit(c.PilotPost.Proportion) - o.Adjusted.LogOdds!.Value);
            Assert.Equal(c.PilotPost.Proportion - counterfactual, o.Adjusted.Att!.Value, tolerance: 1e-8);
        }
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));
    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Logit_WithDuplicatedColumn_ListsItInAliased_AndExits0()
    {
        var (code, output, err) = CliTests.Run("logit", "--data", CliTests.Fixture("logit", "aliased.csv"), "--outcome", "y", "--json");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(["x3", "x5"], json["aliased"]!.AsArray().Select(x => x!.GetValue<string>()));
        var x5 = json["coefficients"]!.AsArray().Single(c => c!["term"]!.GetValue<string>() == "x5")!;
        Assert.Null(x5["estimate"]);
        Assert.Null(x5["pValue"]);
        Assert.True(json["timing"]!["fitSeconds"]!.GetValue<double>() >= 0);
        Assert.Equal(300, json["n"]!.GetValue<int>());
    }

    [Fact]
    public void Logit_Separation_IsListed_Exit0_AndFirthOption()
    {
        var (code, output, _) = CliTests.Run("logit", "--data", CliTests.Fixture("logit", "separation.csv"), "--outcome", "y", "--json");
        Assert.Equal(0, code);
        Assert.Equal(["g[C]"], JsonNode.Parse(output)!["separation"]!.AsArray().Select(x => x!.GetValue<string>()));
        var firth = CliTests.Run("logit", "--data", CliTests.Fixture("logit", "separation.csv"), "--outcome", "y", "--json", "--firth");
        Assert.Equal(0, firth.Code);
        Assert.True(JsonNode.Parse(firth.Out)!["firth"]!.GetValue<bool>());
        Assert.Empty(JsonNode.Parse(firth.Out)!["separation"]!.AsArray());
    }

    [Fact]
    public void Logit_BlankNumericRows_AreSetAsideAndCounted_BadOutcomeIsExit2()
    {
        var path = CliTests.Temp("d.csv", "y,x,g\n1,0.5,a\n0,,b\n1,1.5,\n0,2.5,a\n1,-1,b\n0,0.1,a\n1,0.3,b\n0,1.1,a\n");
        var (code, output, err) = CliTests.Run("logit", "--data", path, "--outcome", "y", "--json");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(7, json["n"]!.GetValue<int>());
        var ex = json["exclusions"]!.AsArray().Single()!;
        Assert.Equal(1, ex["rows"]!.GetValue<int>());
        Assert.Equal(3, ex["lines"]![0]!.GetValue<int>());
        Assert.Equal(["(Intercept)", "x", "g[a]", "g[b]"], json["coefficients"]!.AsArray().Select(c => c!["term"]!.GetValue<string>())); // (missing) is the reference
        var bad = CliTests.Temp("d.csv", "y,x\n1,0.5\n2,0.7\n");
        var r = CliTests.Run("logit", "--data", bad, "--outcome", "y");
        Assert.Equal(2, r.Code);
        Assert.Contains("line 3", r.Err);
        Assert.Equal(2, CliTests.Run("logit", "--data", path, "--outcome", "y", "--robust", "hc9").Code);
    }

    [Fact]
    public void Categorical_ReferenceIsFirstInOrdinalOrder_MissingIsALevel()
    {
        var data = new ModelData(6).AddCategorical("g", ["b", "a", null, "B", "a", " "]);
        var design = DesignMatrix.Build(data, new ModelSpec([], ["g"], []));
        Assert.Equal(["(missing)", "B", "a", "b"], design.Levels["g"]); // '(' < 'B' < 'a' in ordinal order
        Assert.Equal(["(Intercept)", "g[B]", "g[a]", "g[b]"], design.TermNames);
        Assert.Throws<ArgumentException>(() => DesignMatrix.Build(new ModelData(2).AddNumeric("x", [1, double.NaN]), new ModelSpec(["x"], [], [])));
    }

    [Fact]
    public void NonConvergence_IsReportedNotThrown()
    {
        var (t, d) = LogisticFixtureTests.Data("did", interactions: [("pilot", "post")]);
        var fit = LogisticRegression.Fit(d, t.Outcome, new LogisticOptions { MaxIterations = 2 });
        Assert.False(fit.Converged);
        Assert.Contains(fit.Warnings, w => w.Contains("did not converge"));
        Assert.Contains("did NOT converge", fit.ToString());
    }
}

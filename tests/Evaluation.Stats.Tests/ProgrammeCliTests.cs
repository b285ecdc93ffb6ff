using System.Globalization;
using System.Text.Json.Nodes;
using Evaluation.Stats.Inference;
using static Evaluation.Stats.Tests.CliTests;

namespace Evaluation.Stats.Tests;

/// <summary>The programme block of journeys/aggregate and the power command (docs/cli.md), run in-process.</summary>
public class ProgrammeCliTests
{
    private static readonly string[] JourneyOutcomes = ["effectiveTreatment", "successfulCompletion", "successfulCompletionOfCaseload"];

    [Fact]
    public void Journeys_Json_ProgrammeBlock_PoolsThePairsItPrints()
    {
        var (code, output, err) = Run("journeys", "--journeys", Fixture("demo", "journeys.csv"), "--design", Fixture("demo", "design.json"), "--json");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(output)!;
        var pairs = json["pairs"]!.AsArray();
        var allP = new List<double?>();
        foreach (var outcome in JourneyOutcomes)
        {
            var block = json["programme"]![outcome]!;
            // Recompute the FE estimate from the pair DiDs in the same output (an independent route through the JSON).
            double sw = 0, swy = 0;
            foreach (var p in pairs)
            {
                var did = p!["outcomes"]![outcome]!["did"]!;
                double y = did["estimate"]!.GetValue<double>(), se = did["stdError"]!.GetValue<double>();
                sw += 1 / (se * se);
                swy += y / (se * se);
            }
            Assert.Equal(swy / sw, block["fixedEffect"]!["estimate"]!.GetValue<double>(), 14);
            Assert.Equal(Math.Sqrt(1 / sw), block["fixedEffect"]!["stdError"]!.GetValue<double>(), 14);
            Assert.Equal(6, block["pairs"]!.GetValue<int>());
            Assert.Equal(64, block["randomization"]!["draws"]!.GetValue<int>());
            Assert.True(block["randomization"]!["exact"]!.GetValue<bool>());
            double rp = block["randomization"]!["pValue"]!.GetValue<double>();
            Assert.Equal(Math.Round(rp * 64), rp * 64, 9); // a multiple of 1/64
            var re = block["randomEffects"]!;
            foreach (var key in new[] { "estimate", "stdError", "ciLower", "ciUpper", "pValue", "tau2", "i2", "q", "qPValue" }) Assert.NotNull(re[key]);
            Assert.StartsWith($"{outcome}: pooled over 6 pairs: ", block["summary"]!.GetValue<string>());
            var adjusted = block["adjusted"]!;
            Assert.NotNull(adjusted["fixedEffect"]!["estimate"]);
            Assert.NotNull(adjusted["randomization"]!["pValue"]);
            Assert.NotNull(adjusted["att"]!["fixedEffect"]!["estimate"]);
            Assert.NotNull(adjusted["att"]!["randomEffects"]!["tau2"]);
            foreach (var p in pairs)
            {
                allP.Add(p!["outcomes"]![outcome]!["did"]!["pValue"]!.GetValue<double>());
                Assert.NotNull(p["outcomes"]![outcome]!["adjusted"]!["pValueHolm"]);
            }
        }
        // Holm and BH over all 18 risk-difference tests of the run, pair by pair in output order.
        var holm = MultipleTesting.Holm(allP);
        var bh = MultipleTesting.BenjaminiHochberg(allP);
        int k = 0;
        foreach (var outcome in JourneyOutcomes)
            foreach (var p in pairs)
            {
                var did = p!["outcomes"]![outcome]!["did"]!;
                Assert.Equal(holm[k]!.Value, did["pValueHolm"]!.GetValue<double>(), 15);
                Assert.Equal(bh[k]!.Value, did["pValueBH"]!.GetValue<double>(), 15);
                k++;
            }
        Assert.Equal(18, k);
    }

    [Fact]
    public void Journeys_Text_HasThePlainLanguageLine()
    {
        var (code, output, err) = Run("journeys", "--journeys", Fixture("demo", "journeys.csv"), "--design", Fixture("demo", "design.json"));
        Assert.True(code == 0, err);
        Assert.Matches(@"effectiveTreatment: pooled over 6 pairs: [+-]?\d+\.\d points \(95% CI [+-]?\d+\.\d to [+-]?\d+\.\d; p = \d\.\d\d\); randomization p = \d\.\d\d \(exact, 64 sign flips\)", output);
    }

    [Fact]
    public void OnePair_ProgrammeIsAbsentWithAWarning()
    {
        var design = JsonNode.Parse(File.ReadAllText(Fixture("demo", "design.json")))!.AsObject();
        var first = design["pairs"]![0]!.DeepClone();
        design["pairs"] = new JsonArray(first);
        var path = Temp("design.json", design.ToJsonString());
        var (code, output, err) = Run("journeys", "--journeys", Fixture("demo", "journeys.csv"), "--design", path, "--json");
        Assert.True(code == 0, err);
        var block = JsonNode.Parse(output)!["programme"]!["effectiveTreatment"]!;
        Assert.Null(block["fixedEffect"]);
        Assert.Null(block["randomEffects"]);
        Assert.Null(block["randomization"]);
        Assert.Contains("at least 2 pairs", block["warnings"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Power_Json_MatchesTheApi()
    {
        var (code, output, err) = Run("power", "--cells", Fixture("inference", "report_cells.csv"), "--effect", "0.05", "--icc", "0.01", "--cluster-size", "50", "--json");
        Assert.True(code == 0, err);
        var pairs = JsonNode.Parse(output)!["pairs"]!.AsArray();
        Assert.Equal(11, pairs.Count);
        var cells = Evaluation.Stats.Data.Readers.Cells(Fixture("inference", "report_cells.csv"));
        var expected = Power.ForPair(cells[0].Pair, cells[0].Cells, new PowerOptions { Effect = 0.05, Icc = 0.01, ClusterSize = 50 });
        Assert.Equal(expected.Name, pairs[0]!["name"]!.GetValue<string>());
        Assert.Equal(expected.Se0, pairs[0]!["se0"]!.GetValue<double>());
        Assert.Equal(expected.Mde, pairs[0]!["mde"]!.GetValue<double>());
        Assert.Equal(expected.PowerForEffect!.Value, pairs[0]!["power"]!.GetValue<double>());
        var plain = JsonNode.Parse(Run("power", "--cells", Fixture("inference", "report_cells.csv"), "--json").Out)!["pairs"]![0]!.AsObject();
        Assert.False(plain.ContainsKey("power")); // power only with --effect
    }

    [Theory]
    [InlineData("--icc", "1", "--cluster-size", "10")]
    [InlineData("--icc", "-0.1", "--cluster-size", "10")]
    [InlineData("--icc", "0.1")]
    [InlineData("--alpha", "1.5")]
    [InlineData("--power", "0")]
    [InlineData("--effect", "NaN")]
    public void Power_BadOptions_AreUsageErrors(params string[] extra)
    {
        var (code, _, err) = Run(["power", "--cells", Fixture("inference", "report_cells.csv"), .. extra]);
        Assert.Equal(2, code);
        Assert.StartsWith("evalstats: ", err);
    }

    [Fact]
    public void Power_ARateOfZero_IsAnErrorNamingTheRow()
    {
        var (code, _, err) = Run("power", "--cells", Fixture("did", "did_cells.csv"));
        Assert.Equal(2, code);
        Assert.Contains("zero cell pilotPre", err);
        Assert.Contains("did_cells.csv", err);
    }
}

/// <summary>Cluster-robust errors by client in the adjusted models (methodology §10).</summary>
public class ClientClusterTests
{
    [Fact]
    public void Referrals_ClusterByClientByDefault_BothPathsAgree_AndTheCliCanTurnItOff()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        var data = Evaluation.Stats.Data.Synthetic.SyntheticData.Generate();
        var referrals = new Evaluation.Stats.Outcomes.RecordSet<Evaluation.Stats.Outcomes.Referral>(data.Referrals);
        var clustered = Evaluator.Referrals(data.Design, referrals, data.Pickups);
        var reference = Evaluator.Referrals(data.Design, referrals, data.Pickups, Evaluation.Stats.Regression.Implementation.Reference);
        var plain = Evaluator.Referrals(data.Design, referrals, data.Pickups, clusterByClient: false);
        int differ = 0;
        for (int k = 0; k < clustered.Pairs.Count; k++)
        {
            var c = clustered.Pairs[k].Outcomes[OutcomeNames.ReferralPickup].Adjusted!;
            var r = reference.Pairs[k].Outcomes[OutcomeNames.ReferralPickup].Adjusted!;
            var m = plain.Pairs[k].Outcomes[OutcomeNames.ReferralPickup].Adjusted!;
            Assert.Equal(Evaluation.Stats.Regression.CovarianceType.Cluster, c.Model.Options.Covariance);
            Assert.Equal(Evaluation.Stats.Regression.CovarianceType.Model, m.Model.Options.Covariance);
            Assert.Equal(m.LogOdds!.Value, c.LogOdds!.Value, 10); // same estimate, other SE
            Assert.True(Math.Abs(r.StdError!.Value - c.StdError!.Value) <= 1e-8 * r.StdError.Value, $"pair {k}: reference {r.StdError} fast {c.StdError}");
            if (Math.Abs(m.StdError!.Value - c.StdError.Value) > 1e-9) differ++;
        }
        Assert.True(differ > 0, "clustering by client changed no SE: the client labels did not reach the model");
        data.WriteTo(dir);
        string[] Args(params string[] extra) => ["referrals", "--referrals", Path.Combine(dir, "referrals.csv"), "--pickups", Path.Combine(dir, "pickups.csv"), "--design", Path.Combine(dir, "design.json"), "--json", .. extra];
        var on = JsonNode.Parse(CliTests.Run(Args()).Out)!["pairs"]![0]!["outcomes"]!["referralPickup"]!["adjusted"]!;
        var off = JsonNode.Parse(CliTests.Run(Args("--cluster", "none")).Out)!["pairs"]![0]!["outcomes"]!["referralPickup"]!["adjusted"]!;
        Assert.Equal("cluster:client", on["covariance"]!.GetValue<string>());
        Assert.Equal("model", off["covariance"]!.GetValue<string>());
        Assert.Equal(clustered.Pairs[0].Outcomes[OutcomeNames.ReferralPickup].Adjusted!.StdError!.Value, on["stdError"]!.GetValue<double>());
    }
}

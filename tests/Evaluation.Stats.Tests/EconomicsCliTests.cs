using System.Text.Json.Nodes;
using Evaluation.Stats.Data.Synthetic;

namespace Evaluation.Stats.Tests;

/// <summary><c>evalstats economics</c> (docs/cli.md), run in-process on the report's sites (Tables 7.7, 7.8, 7.10).</summary>
public class EconomicsCliTests
{
    private static string F(string name) => CliTests.Fixture("economics", name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private static JsonObject Pair(JsonNode root, string name) => root["pairs"]!.AsArray().Single(p => (string)p!["name"]! == name)!.AsObject();

    [Fact]
    public void Json_ReproducesTableC61AndTable710()
    {
        var (code, stdout, _) = Run("economics", "--effects", F("effects.csv"), "--costs", F("costs.csv"), "--json");
        Assert.Equal(0, code);
        var root = JsonNode.Parse(stdout)!;
        var u = root["unitValues"]!;
        // Table C6.1.
        Assert.Equal(44_224, (double)u["effectiveTreatment"]!, 0);
        Assert.InRange((double)u["successfulCompletion"]!, 195_148, 195_150);
        Assert.Equal(11_019, (double)u["treatmentCost"]!, 0);
        Assert.Equal(330_225, (double)u["recovery"]!, 0);
        Assert.Equal(11_633, (double)u["years"]![0]!["shortTerm"]!, 0);
        Assert.Equal(2_899, (double)u["years"]![0]!["cost"]!, 0);
        Assert.Equal(46_415, (double)u["years"]![4]!["recovery"]!, 0);
        Assert.Equal(21_214, (double)u["years"]![4]!["expected"]!, 0);
        // Table 7.10, site 3 (£, within ±3 £k) and its ratio 112; Table 7.11's 111 is netBenefit / costs.total.
        var s3 = Pair(root, "site 3");
        Assert.InRange((double)s3["benefits"]!["total"]!, 20_675_000, 20_681_000);
        Assert.Equal(112, Math.Round((double)s3["ratio"]!));
        Assert.Equal(111, Math.Round((double)s3["netBenefit"]! / (double)s3["costs"]!["total"]!));
        Assert.Equal(185_000, (double)s3["costs"]!["total"]!);
        Assert.Equal(56, Math.Round((double)s3["sensitivity"]!["ratio"]!));
        Assert.Equal(64.476, (double)s3["people"]!["effectiveTreatment"]!, 9);
        Assert.Null(s3["interval"]);
        // Table 7.10, site 2: total -37,544 (£k) within ±3; the ratio is negative, not hidden.
        var s2 = Pair(root, "site 2");
        Assert.InRange((double)s2["benefits"]!["total"]!, -37_547_000, -37_541_000);
        Assert.True((double)s2["ratio"]! < 0);
    }

    [Fact]
    public void Text_HasTheLayoutOfTablesC61And710()
    {
        var (code, stdout, _) = Run("economics", "--effects", F("effects.csv"), "--costs", F("costs.csv"));
        Assert.Equal(0, code);
        Assert.Contains("Table C6.1 layout", stdout);
        Assert.Contains("330,225", stdout);
        Assert.Contains("Table 7.10 layout", stdout);
        var ratioLine = stdout.Split('\n').Single(l => l.StartsWith("Benefits: Costs", StringComparison.Ordinal));
        Assert.Contains("111.8", ratioLine);
        Assert.Contains("-69.4", ratioLine);
        Assert.Contains("warning: site 3: a DiD has no standard error", stdout);
    }

    [Fact]
    public void Draws_GiveASeededInterval_AndTheBounds()
    {
        string[] args = ["economics", "--effects", F("effects_with_se.csv"), "--costs", F("costs.csv"), "--draws", "2000", "--seed", "9", "--json"];
        var (code, first, _) = Run(args);
        var (_, second, _) = Run(args);
        Assert.Equal(0, code);
        Assert.Equal(first, second);
        var s3 = Pair(JsonNode.Parse(first)!, "site 3");
        var interval = s3["interval"]!;
        Assert.Equal(2000, (int)interval["draws"]!);
        Assert.Equal(9, (int)interval["seed"]!);
        double net = (double)s3["netBenefit"]!;
        Assert.InRange(net, (double)interval["netBenefitLower"]!, (double)interval["netBenefitUpper"]!);
        Assert.InRange((double)interval["probabilityNetPositive"]!, 0.9, 1.0);
        Assert.True((double)s3["bounds"]!["lower"]!["totalBenefits"]! < (double)s3["benefits"]!["total"]!);
        Assert.True((double)s3["bounds"]!["upper"]!["ratio"]! > (double)s3["ratio"]!);
    }

    [Fact]
    public void Results_FromJourneysJson_GiveTheSameChainAsTheLibrary()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        Assert.Equal(0, Run("demo", "--out", dir).Code);
        var (jc, journeys, _) = Run("journeys", "--journeys", Path.Combine(dir, "journeys.csv"), "--design", Path.Combine(dir, "design.json"), "--json");
        Assert.Equal(0, jc);
        var results = CliTests.Temp("journeys.json", journeys);
        var pairs = JsonNode.Parse(journeys)!["pairs"]!.AsArray();
        string name = (string)pairs[0]!["name"]!;
        var costs = CliTests.Temp("costs.csv", $"pair,year,cost\n{name},1,100000\n{name},2,50000\n");
        var (code, stdout, stderr) = Run("economics", "--results", results, "--costs", costs, "--json");
        Assert.Equal(0, code);
        var root = JsonNode.Parse(stdout)!;
        var first = Pair(root, name);
        var sc = pairs[0]!["outcomes"]!["successfulCompletionOfCaseload"]!;
        double people = (double)sc["did"]!["estimate"]! * (long)sc["cells"]!["pilotPost"]!["n"]!;
        Assert.Equal(people, (double)first["people"]!["successfulCompletion"]!, 9);
        Assert.Equal(150_000, (double)first["costs"]!["total"]!);
        Assert.NotNull(first["bounds"]);
        var other = Pair(root, (string)pairs[1]!["name"]!);
        Assert.Null(other["ratio"]);
        Assert.Contains("no costs were given", stderr);
    }

    [Theory]
    [InlineData("pair,year,cost\nsite 2,0,1000\n", "line 2", "year")]
    [InlineData("pair,year,cost\nsite 2,1,1000\nsite 2,-1,1000\n", "line 3", "year")]
    [InlineData("pair,year,cost\nsite 2,1,1000\nsite 1,1,153000\n", "line 3", "'site 1'")]
    [InlineData("pair,year,cost\nsite 2,1,-5\n", "line 2", "cost")]
    [InlineData("pair,year,cost\nsite 2,1,1000\nsite 2,1,1000\n", "line 3", "twice")]
    [InlineData("pair,year,cost\nsite 2,1,1000\nsite 2,3,1000\n", "year 2", "site 2")]
    public void BadCosts_AreAnErrorNamingTheRow_Exit2(string csv, string where, string what)
    {
        var (code, stdout, stderr) = Run("economics", "--effects", F("effects.csv"), "--costs", CliTests.Temp("costs.csv", csv));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(where, stderr);
        Assert.Contains(what, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("pair,outcome,did,n\nsite 2,effectiveTreatment,-3.4,3169\n", "line 2", "did")]
    [InlineData("pair,outcome,did,n\nsite 2,effectiveTreatment,-0.034,-5\n", "line 2", "n")]
    [InlineData("pair,outcome,did,n\nsite 2,retention,-0.034,3169\n", "line 2", "retention")]
    [InlineData("pair,outcome,did,stdError,n\nsite 2,effectiveTreatment,-0.034,-0.1,3169\n", "line 2", "stdError")]
    [InlineData("pair,outcome,did,n\nsite 2,effectiveTreatment,-0.034,3169\nsite 2,effectiveTreatment,-0.03,3169\n", "line 3", "second")]
    public void BadEffects_AreAnErrorNamingTheRow_Exit2(string csv, string where, string what)
    {
        var (code, _, stderr) = Run("economics", "--effects", CliTests.Temp("effects.csv", csv), "--costs", F("costs.csv"));
        Assert.Equal(2, code);
        Assert.Contains(where, stderr);
        Assert.Contains(what, stderr);
    }

    [Theory]
    [InlineData("--rate", "-1", "--rate")]
    [InlineData("--rate", "-2.5", "--rate")]
    [InlineData("--recovery-probability", "1.5", "--recovery-probability")]
    [InlineData("--decay-rate", "-0.1", "--decay-rate")]
    [InlineData("--treatment-years", "-4", "--treatment-years")]
    [InlineData("--recovery-years", "-1", "--recovery-years")]
    [InlineData("--benefit-scale", "-0.5", "--benefit-scale")]
    [InlineData("--range", "recoveryProbability=0.2:1.3", "--range")]
    [InlineData("--range", "bogus=0:1", "bogus")]
    public void BadOptions_AreUsageErrorsNamingTheOption_Exit2(string option, string value, string named)
    {
        var (code, stdout, stderr) = Run("economics", "--effects", F("effects.csv"), "--costs", F("costs.csv"), option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("{ \"pairs\": [ { \"name\": \"a\", \"outcomes\": { \"effectiveTreatment\": { \"did\": { \"estimate\": 0.01 }, \"cells\": { } } } } ] }", "pairs[0].outcomes.effectiveTreatment.cells.pilotPost.n")]
    [InlineData("{ \"rows\": [] }", "no 'pairs'")]
    [InlineData("{ \"pairs\": [ ", "not valid JSON")]
    public void BadResults_AreAnErrorNamingWhere_Exit2(string json, string where)
    {
        var (code, _, stderr) = Run("economics", "--results", CliTests.Temp("journeys.json", json), "--costs", F("costs.csv"));
        Assert.Equal(2, code);
        Assert.Contains(where, stderr);
    }

    [Fact]
    public void EffectsWithoutRows_IsAnError_Exit2()
    {
        var (code, _, stderr) = Run("economics", "--effects", CliTests.Temp("effects.csv", "pair,outcome,did,n\n"), "--costs", F("costs.csv"));
        Assert.Equal(2, code);
        Assert.Contains("no effects", stderr);
    }

    [Fact]
    public void EffectsAndResultsTogether_OrNeither_IsAUsageError()
    {
        Assert.Equal(2, Run("economics", "--costs", F("costs.csv")).Code);
        var (code, _, stderr) = Run("economics", "--effects", F("effects.csv"), "--results", F("effects.csv"), "--costs", F("costs.csv"));
        Assert.Equal(2, code);
        Assert.Contains("exactly one", stderr);
    }

    [Fact]
    public void Sensitivities_FromTheOptions_ChangeTheUnitValues()
    {
        // Appendix C6: decay 70% (the literal formula: 188,144; the report prints 189,684), and with a 10% decline 146,690.
        var (_, decay, _) = Run("economics", "--effects", F("effects.csv"), "--costs", F("costs.csv"), "--decay-rate", "0.7", "--json");
        Assert.Equal(188_144, (double)JsonNode.Parse(decay)!["unitValues"]!["successfulCompletion"]!, 0);
        var (_, both, _) = Run("economics", "--effects", F("effects.csv"), "--costs", F("costs.csv"), "--decay-rate", "0.7", "--decline-rate", "0.1", "--json");
        Assert.Equal(146_690, (double)JsonNode.Parse(both)!["unitValues"]!["successfulCompletion"]!, 0);
    }

    [Fact]
    public void Plots_WriteATornadoPerPair_AndRefuseToOverwrite()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        string[] args = ["economics", "--effects", F("effects_with_se.csv"), "--costs", F("costs.csv"), "--plots", dir, "--plot-format", "svg", "--json"];
        var (code, _, stderr) = Run(args);
        Assert.Equal(0, code);
        var files = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["tornado-site-2.svg", "tornado-site-3.svg", "tornado-site-4.svg", "tornado-site-5.svg", "tornado-site-6.svg", "tornado-site-7.svg", "tornado-unit-values.svg"], files);
        Assert.Contains("wrote", stderr);
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(dir, "tornado-site-3.svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        var again = Run(args);
        Assert.Equal(2, again.Code);
        Assert.Contains("--force", again.Err);
        Assert.Equal(0, Run([.. args, "--force"]).Code);
    }
}

using System.Text.Json.Nodes;

namespace Evaluation.Stats.Tests;

/// <summary><c>evalstats indicators</c>: the JSON contract of cli.md, the text output, bad input, and the demo.</summary>
public class IndicatorCliTests
{
    private static string F(string name) => CliTests.Fixture("indicators", name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Tool.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Json_HasTheContractFields_AndMatchesTheLibrary()
    {
        var (code, output, err) = Run("indicators", "--journeys", F("journeys.csv"), "--design", F("design.json"), "--top", F("top.csv"), "--json");
        Assert.True(code == 0, err);
        var pair = JsonNode.Parse(output)!["pairs"]![0]!;
        var expected = JsonNode.Parse(File.ReadAllText(F("expected.json")))!["indicators"]!;
        var m6 = pair["completionWithoutRepresentation"]!["months6"]!;
        Assert.Equal(expected["completionWithoutRepresentation.months6"]!["site A"]!["pilotPost"]!["events"]!.GetValue<long>(), m6["cells"]!["pilotPost"]!["events"]!.GetValue<long>());
        Assert.NotNull(m6["cells"]!["pilotPost"]!["wilsonLower"]);
        Assert.NotNull(m6["did"]!["estimate"]);
        Assert.NotNull(m6["adjusted"]!["logOdds"]);
        Assert.NotNull(pair["completionWithoutRepresentation"]!["months12"]!["cells"]!["comparisonPre"]!["wilsonUpper"]);
        var tit = pair["timeInTreatment"]!;
        Assert.Equal(expected["timeInTreatment"]!["site A"]!["comparisonPost"]!["median"]!.GetValue<double>(), tit["cells"]!["comparisonPost"]!["median"]!.GetValue<double>());
        Assert.NotNull(tit["cells"]!["pilotPre"]!["bands"]!["2To4Years"]);
        Assert.NotNull(tit["meanDid"]!["stdError"]);
        Assert.NotNull(tit["overTwoYearsDid"]!["estimate"]);
        var waits = pair["waitingTimes"]!;
        Assert.Equal(7, waits["cells"]!["pilotPost"]!["n"]!.GetValue<long>());
        Assert.Equal(3, waits["cells"]!["pilotPost"]!["over3Weeks"]!["events"]!.GetValue<long>());
        Assert.NotNull(waits["did"]!["over6Weeks"]!["estimate"]);
        Assert.NotNull(pair["topAbstinence"]!["opiates"]!["cells"]!["pilotPost"]!["wilsonLower"]);
        var root = JsonNode.Parse(output)!;
        Assert.Contains(root["exclusions"]!.AsArray(), e => e!["analysis"]!.GetValue<string>() == "topAbstinence.opiates/post" && e["reason"]!.GetValue<string>() == "client not in journeys");
        Assert.Contains(root["funnel"]!.AsArray(), f => f!["position"]!.GetValue<string>() != "within");
    }

    [Fact]
    public void Text_PrintsEveryIndicatorAndTheLedger()
    {
        var (code, output, err) = Run("indicators", "--journeys", F("journeys.csv"), "--design", F("design.json"), "--top", F("top.csv"));
        Assert.True(code == 0, err);
        foreach (var s in new[] { "completionWithoutRepresentation.months6", "completionWithoutRepresentation.months12", "timeInTreatment", "waitingTimes", "topAbstinence.opiates", "Funnel plot", "follow-up incomplete", "no waiting time recorded" })
            Assert.Contains(s, output);
    }

    [Fact]
    public void BadTopFile_NamesFileLineAndColumn_AndExits2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"top-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "client_id,review_date,review_type,opiates\np1,2010-01-05,start,20\np1,2010-02-09,later,0\n");
        var (code, _, err) = Run("indicators", "--journeys", F("journeys.csv"), "--design", F("design.json"), "--top", path);
        Assert.Equal(2, code);
        Assert.Contains(path, err);
        Assert.Contains("line 3", err);
        Assert.Contains("review_type", err);
        File.WriteAllText(path, "client_id,review_date,review_type,opiates\np1,2010-01-05,start,lots\n");
        (code, _, err) = Run("indicators", "--journeys", F("journeys.csv"), "--design", F("design.json"), "--top", path);
        Assert.Equal(2, code);
        Assert.Contains("opiates", err);
    }

    [Fact]
    public void Demo_PrintsTheIndicators_AndWritesTheirData()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        var (code, output, err) = Run("demo", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("== National indicators ==", output);
        Assert.Contains("completionWithoutRepresentation.months12", output);
        var r = Run("indicators", "--journeys", Path.Combine(dir, "indicator_journeys.csv"), "--design", Path.Combine(dir, "design.json"), "--top", Path.Combine(dir, "top.csv"), "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(6, JsonNode.Parse(r.Out)!["pairs"]!.AsArray().Count);
        Assert.Equal(4, JsonNode.Parse(r.Out)!["pairs"]![0]!["topAbstinence"]!.AsObject().Count);
    }
}

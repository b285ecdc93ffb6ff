using System.Text.Json.Nodes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Tool;

namespace Evaluation.Stats.Tests;

/// <summary>The evalstats contract (docs/cli.md), run in-process.</summary>
public class CliTests
{
    internal static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    internal static string Temp(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The demo design without covariates, for small hand-made inputs that have no covariate columns.</summary>
    internal static string PlainDesign()
    {
        var design = JsonNode.Parse(File.ReadAllText(Fixture("demo", "design.json")))!.AsObject();
        design.Remove("covariates");
        design.Remove("referralCovariates");
        return Temp("design.json", design.ToJsonString());
    }

    [Fact]
    public void Journeys_Json_OnDemoData_MatchesIndependentCalculation_CellForCell()
    {
        // fixtures/demo/expected_journey_cells.json was written by expected_journey_cells.py (Python, from the spec).
        var (code, output, err) = Run("journeys", "--journeys", Fixture("demo", "journeys.csv"), "--design", Fixture("demo", "design.json"), "--json");
        Assert.True(code == 0, err);
        var actual = JsonNode.Parse(output)!;
        var expected = JsonNode.Parse(File.ReadAllText(Fixture("demo", "expected_journey_cells.json")))!;
        var expectedPairs = expected["pairs"]!.AsArray();
        Assert.Equal(expectedPairs.Count, actual["pairs"]!.AsArray().Count);
        int compared = 0;
        for (int p = 0; p < expectedPairs.Count; p++)
        {
            Assert.Equal(expectedPairs[p]!["name"]!.GetValue<string>(), actual["pairs"]![p]!["name"]!.GetValue<string>());
            foreach (var (outcome, body) in expectedPairs[p]!["outcomes"]!.AsObject())
                foreach (var (cell, counts) in body!["cells"]!.AsObject())
                    foreach (var field in new[] { "n", "events" })
                    {
                        long want = counts![field]!.GetValue<long>();
                        long got = actual["pairs"]![p]!["outcomes"]![outcome]!["cells"]![cell]![field]!.GetValue<long>();
                        Assert.True(want == got, $"{expectedPairs[p]!["name"]} {outcome} {cell} {field}: expected {want}, got {got}");
                        compared++;
                    }
        }
        Assert.Equal(6 * 3 * 4 * 2, compared);
        // Stdout holds the JSON alone; every analysis balances.
        Assert.StartsWith("{", output.TrimStart());
        Assert.NotNull(actual["pairs"]![0]!["outcomes"]!["effectiveTreatment"]!["did"]!["estimate"]);
    }

    [Fact]
    public void DemoFixture_IsWhatTheGeneratorWrites()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        SyntheticData.Generate().WriteTo(dir);
        Assert.Equal(File.ReadAllText(Fixture("demo", "journeys.csv")), File.ReadAllText(Path.Combine(dir, "journeys.csv")));
        Assert.Equal(File.ReadAllText(Fixture("demo", "design.json")), File.ReadAllText(Path.Combine(dir, "design.json")));
    }

    [Fact]
    public void Demo_RunsAndWritesDataDesignAndReport()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        var (code, output, err) = Run("demo", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("effectiveTreatment", output);
        Assert.Contains("referralPickup", output);
        Assert.Contains("Exclusion ledger", output);
        foreach (var f in new[] { "journeys.csv", "referrals.csv", "pickups.csv", "quarterly.csv", "design.json", "report.json", "report.txt" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        // The written files run through the other commands.
        var r = Run("referrals", "--referrals", Path.Combine(dir, "referrals.csv"), "--pickups", Path.Combine(dir, "pickups.csv"), "--design", Path.Combine(dir, "design.json"), "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.NotNull(JsonNode.Parse(r.Out)!["pairs"]![5]!["outcomes"]!["referralPickup"]!["cells"]!["pilotPost"]!["n"]);
        var a = Run("aggregate", "--counts", Path.Combine(dir, "quarterly.csv"), "--design", Path.Combine(dir, "design.json"),
            "--count-column", SyntheticDataSet.CountColumn, "--success-column", SyntheticDataSet.SuccessColumn, "--json");
        Assert.True(a.Code == 0, a.Err);
        var pair = JsonNode.Parse(a.Out)!["pairs"]![0]!;
        Assert.Equal(5, pair["cells"]!["pilotPre"]!["quarters"]!.GetValue<int>());
        Assert.NotNull(pair["logOddsInteraction"]!["estimate"]);
        Assert.NotNull(pair["baseCount"]!["difference"]);
    }

    [Fact]
    public void Json_ExclusionsBalanceWithCells()
    {
        var (code, output, _) = Run("journeys", "--journeys", Fixture("demo", "journeys.csv"), "--design", Fixture("demo", "design.json"), "--json");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!;
        int rows = File.ReadAllLines(Fixture("demo", "journeys.csv")).Length - 1;
        foreach (var outcome in new[] { "effectiveTreatment", "successfulCompletion", "successfulCompletionOfCaseload" })
            foreach (var period in new[] { "Pre", "Post" })
            {
                long inCells = json["pairs"]!.AsArray().Sum(p => p!["outcomes"]![outcome]!["cells"]!["pilot" + period]!["n"]!.GetValue<long>()
                                                             + p!["outcomes"]![outcome]!["cells"]!["comparison" + period]!["n"]!.GetValue<long>());
                long excluded = json["exclusions"]!.AsArray().Where(e => e!["analysis"]!.GetValue<string>() == $"{outcome}/{period.ToLowerInvariant()}")
                    .Sum(e => e!["rows"]!.GetValue<long>());
                Assert.Equal(rows, inCells + excluded);
            }
    }

    [Fact]
    public void BadDate_StopsWithFileLineAndColumn_Exit2()
    {
        var path = Temp("j.csv", "client_id,area,journey_start,journey_end,exit_reason,age\na,P1,2010-01-01,,,30\nb,P1,2010-13-01,,,30\n");
        var (code, output, err) = Run("journeys", "--journeys", path, "--design", Fixture("demo", "design.json"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(path, err);
        Assert.Contains("line 3", err);
        Assert.Contains("journey_start", err);
        Assert.DoesNotContain("   at ", err); // no stack trace without --verbose
    }

    /// <summary>A header and one completed journey per area and window of the demo design, so that no cell is empty.</summary>
    private static List<string> MinimalJourneys(string header)
    {
        var lines = new List<string> { header };
        int k = 0;
        foreach (var area in new[] { "P1", "C1", "P2", "C2", "P3", "C3", "P4", "C4", "P5", "C5", "P6", "C6" })
            foreach (var start in new[] { "2008-01-01", "2010-01-01" })
                lines.Add($"c{k++},{area},{start},{start[..4]}-06-01,1,30");
        return lines;
    }

    [Fact]
    public void OnBadRowsExclude_PutsRowsInLedgerWithLines()
    {
        var lines = MinimalJourneys("client_id,area,journey_start,journey_end,exit_reason,age");
        lines.Add("bad,P1,2010-01-01,,,thirty");
        var path = Temp("j.csv", string.Join("\r\n", lines) + "\r\n");
        var (code, output, err) = Run("journeys", "--journeys", path, "--design", PlainDesign(), "--json", "--on-bad-rows", "exclude");
        Assert.True(code == 0, err);
        var unparseable = JsonNode.Parse(output)!["exclusions"]!.AsArray()
            .Single(e => e!["analysis"]!.GetValue<string>() == "effectiveTreatment/pre" && e["reason"]!.GetValue<string>() == "data error: unparseable row");
        Assert.Equal(1, unparseable!["rows"]!.GetValue<long>());
        Assert.Equal(lines.Count, unparseable["lines"]![0]!.GetValue<long>());
    }

    [Fact]
    public void MissingColumn_And_AreaNotInData_AreExit2()
    {
        var noAge = Temp("j.csv", "client_id,area,journey_start,journey_end,exit_reason\na,P1,2010-01-01,,\n");
        var r = Run("journeys", "--journeys", noAge, "--design", Fixture("demo", "design.json"));
        Assert.Equal(2, r.Code);
        Assert.Contains("'age'", r.Err);
        var oneArea = Temp("j.csv", "client_id,area,journey_start,journey_end,exit_reason,age\na,P1,2010-01-01,,,30\n");
        r = Run("journeys", "--journeys", oneArea, "--design", Fixture("demo", "design.json"));
        Assert.Equal(2, r.Code);
        Assert.Contains("'C1'", r.Err);
    }

    [Fact]
    public void ColumnMapping_ReadsOtherHeaders()
    {
        var lines = MinimalJourneys("id,dat,start,end,reason,age_at_start");
        var path = Temp("j.csv", string.Join("\n", lines));
        var (code, output, err) = Run("journeys", "--journeys", path, "--design", PlainDesign(), "--json",
            "--columns", "client_id=id,area=dat,journey_start=start,journey_end=end,exit_reason=reason,age=age_at_start");
        Assert.True(code == 0, err);
        Assert.Equal(1, JsonNode.Parse(output)!["pairs"]![0]!["outcomes"]!["effectiveTreatment"]!["cells"]!["pilotPre"]!["n"]!.GetValue<long>());
    }

    [Fact]
    public void BadUsage_IsExit2()
    {
        Assert.Equal(2, Run("journeys", "--design", "x.json").Code);
        Assert.Equal(2, Run("nosuchcommand").Code);
        Assert.Equal(2, Run("journeys", "--journeys", "missing.csv", "--design", Fixture("demo", "design.json")).Code);
        var parquet = Run("journeys", "--journeys", Temp("j.parquet", "PAR1"), "--design", Fixture("demo", "design.json"));
        Assert.Equal(2, parquet.Code);
        Assert.Contains("the Parquet file cannot be read", parquet.Err); // Parquet is read now; a 4-byte stub is not Parquet
    }

    [Fact]
    public void Did_FromCells_PrintsDidAndLogOdds()
    {
        var path = Temp("cells.csv", "pair,group,period,n,events\ns,pilot,pre,200,100\ns,pilot,post,250,150\ns,comparison,pre,300,120\ns,comparison,post,280,126\n");
        var (code, output, err) = Run("did", "--cells", path, "--json");
        Assert.True(code == 0, err);
        var pair = JsonNode.Parse(output)!["pairs"]![0]!;
        Assert.Equal(0.05, pair["did"]!["estimate"]!.GetValue<double>(), 12);
        Assert.NotNull(pair["logOddsInteraction"]);
        var zero = Temp("cells.csv", "pair,group,period,n,events\ns,pilot,pre,200,0\ns,pilot,post,250,150\ns,comparison,pre,300,120\ns,comparison,post,280,126\n");
        var z = Run("did", "--cells", zero, "--json");
        Assert.Equal(0, z.Code);
        Assert.Null(JsonNode.Parse(z.Out)!["pairs"]![0]!["logOddsInteraction"]);
        var empty = Temp("cells.csv", "pair,group,period,n,events\ns,pilot,pre,0,0\ns,pilot,post,250,150\ns,comparison,pre,300,120\ns,comparison,post,280,126\n");
        var e = Run("did", "--cells", empty);
        Assert.Equal(2, e.Code);
        Assert.Contains("pilotPre", e.Err);
    }
}

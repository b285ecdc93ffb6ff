using System.Text.Json.Nodes;
using System.Xml.Linq;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Tests;

/// <summary>The demo data set with referrals, written once, and one report of it written by the CLI.</summary>
internal static class DemoReport
{
    private static readonly Lazy<(string Data, string Out, int Code, string Err)> Lazy = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "data");
        SyntheticData.Generate().WriteTo(data);
        var costs = Path.Combine(data, "costs.csv");
        File.WriteAllText(costs, "pair,year,cost\nsite 1,1,120000\nsite 1,2,80000\nsite 2,1,95000\n");
        var output = Path.Combine(root, "report");
        var (code, _, err) = CliTests.Run("report", "--journeys", Path.Combine(data, "journeys.csv"), "--design", Path.Combine(data, "design.json"),
            "--referrals", Path.Combine(data, "referrals.csv"), "--pickups", Path.Combine(data, "pickups.csv"), "--costs", costs, "--out", output);
        return (data, output, code, err);
    });

    public static string Data => Lazy.Value.Data;

    public static string Out
    {
        get
        {
            Assert.True(Lazy.Value.Code == 0, Lazy.Value.Err);
            return Lazy.Value.Out;
        }
    }

    public static readonly string[] Outcomes = [OutcomeNames.EffectiveTreatment, OutcomeNames.SuccessfulCompletion, OutcomeNames.SuccessfulCompletionOfCaseload, OutcomeNames.ReferralPickup];
}

public class ReportTests
{
    [Fact]
    public void ReportCommand_WritesHtmlMarkdownChartsAndEveryTableAsCsv()
    {
        var dir = DemoReport.Out;
        Assert.True(File.Exists(Path.Combine(dir, "index.html")));
        Assert.True(File.Exists(Path.Combine(dir, "report.md")));
        foreach (var o in DemoReport.Outcomes)
        {
            Assert.True(File.Exists(Path.Combine(dir, "charts", $"cells-{o}.png")), o);
            XDocument.Load(Path.Combine(dir, "charts", $"cells-{o}.svg"));
            Assert.True(File.Exists(Path.Combine(dir, "tables", $"did-{o}.csv")), o);
            Assert.True(File.Exists(Path.Combine(dir, "tables", $"adjusted-{o}.csv")), o);
        }
        foreach (var t in new[] { "inputs", "pairs", "costs", "exclusions-journeys", "exclusions-referrals" })
            Assert.True(File.Exists(Path.Combine(dir, "tables", t + ".csv")), t);

        // Every table in the HTML has its CSV, and the other way round.
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        var htmlTables = System.Text.RegularExpressions.Regex.Matches(html, "<table class=\"es\" id=\"table-([^\"]+)\"").Select(m => m.Groups[1].Value).Order();
        Assert.Equal(Directory.GetFiles(Path.Combine(dir, "tables")).Select(f => Path.GetFileNameWithoutExtension(f)).Order(), htmlTables);
        // Self-contained: no link to another file; every image is a data URI.
        Assert.DoesNotContain("src=\"charts/", html);
        Assert.DoesNotContain("<link", html);
        // Every chart is inline, and written as a PNG.
        Assert.Equal(Directory.GetFiles(Path.Combine(dir, "charts"), "*.png").Length, System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        foreach (var id in new[] { "data", "exclusions", "outcome-effectiveTreatment", "outcome-referralPickup", "trends", "economics", "indicators", "methods", "choices" })
            Assert.Contains($"<section id=\"{id}\">", html);
        Assert.Contains("Journey covariates: numeric age; categorical sex, ethnicity, pdu, cj_referral.", html);
    }

    [Fact]
    public void DidCsv_HoldsTheResultsUnrounded_AndAgreesWithTheJson()
    {
        var (code, output, err) = CliTests.Run("journeys", "--journeys", Path.Combine(DemoReport.Data, "journeys.csv"), "--design", Path.Combine(DemoReport.Data, "design.json"), "--json");
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(output)!["pairs"]!.AsArray();
        var csv = DataFrame.LoadCsv(Path.Combine(DemoReport.Out, "tables", "did-effectiveTreatment.csv"));
        Assert.Equal(json.Count, (int)csv.Rows.Count);
        for (int i = 0; i < json.Count; i++)
        {
            Assert.Equal(json[i]!["name"]!.GetValue<string>(), csv.Columns["pair"][i]);
            double did = json[i]!["outcomes"]!["effectiveTreatment"]!["did"]!["estimate"]!.GetValue<double>();
            Assert.Equal(100 * did, Convert.ToDouble(csv.Columns["didPercentagePoints"][i]), 5);
            Assert.Equal(json[i]!["outcomes"]!["effectiveTreatment"]!["cells"]!["pilotPost"]!["n"]!.GetValue<long>(), Convert.ToInt64(csv.Columns["pilotPostN"][i]));
        }
        // The CSV text keeps round-trip precision: more than the 1 decimal shown.
        var line = File.ReadLines(Path.Combine(DemoReport.Out, "tables", "did-effectiveTreatment.csv")).Skip(1).First();
        Assert.Matches(@"\.\d{6,}", line);
    }

    [Fact]
    public void Ledger_InTheReport_BalancesTheCells_ForEveryAnalysis()
    {
        var ledger = DataFrame.LoadCsv(Path.Combine(DemoReport.Out, "tables", "exclusions-journeys.csv"));
        var did = DataFrame.LoadCsv(Path.Combine(DemoReport.Out, "tables", "did-effectiveTreatment.csv"));
        long inputRows = Convert.ToInt64(ledger.Columns["inputRows"][0]);
        long excludedPre = Enumerable.Range(0, (int)ledger.Rows.Count).Where(i => (string)ledger.Columns["analysis"][i] == "effectiveTreatment/pre")
            .Sum(i => Convert.ToInt64(ledger.Columns["rows"][i]));
        long inCellsPre = Enumerable.Range(0, (int)did.Rows.Count).Sum(i => Convert.ToInt64(did.Columns["pilotPreN"][i]) + Convert.ToInt64(did.Columns["comparisonPreN"][i]));
        Assert.Equal(inputRows, excludedPre + inCellsPre);
    }

    [Fact]
    public void Markdown_HasEverySection_TablesAsPipeTables_AndChartLinks()
    {
        var md = File.ReadAllText(Path.Combine(DemoReport.Out, "report.md"));
        foreach (var h in new[] { "## The data", "## The exclusion ledger", "## Effective treatment (83 days or completed)", "## Prison referrals picked up within 42 days", "## Methods", "## The choices made", "### Adjusted model" })
            Assert.Contains(h, md);
        Assert.Contains("![", md);
        Assert.Contains("](charts/cells-effectiveTreatment.png)", md);
        Assert.Contains("| pair | pilot pre n | % |", md);
        Assert.Contains("| site 6 |", md);
    }

    [Fact]
    public void ReportCommand_RefusesANonEmptyOut_WithoutForce_AndReplacesWithIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "index.html"), "mine");
        string[] args = ["report", "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", CliTests.Fixture("demo", "design.json"), "--out", dir];
        var (code, _, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("--force", err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "index.html")));

        var (forced, output, err2) = CliTests.Run([.. args, "--force", "--json"]);
        Assert.True(forced == 0, err2);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(Path.Combine(dir, "index.html")));
        var files = JsonNode.Parse(output)!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();
        Assert.Contains("index.html", files);
        Assert.Contains("tables/did-effectiveTreatment.csv", files);
        Assert.DoesNotContain("tables/did-referralPickup.csv", files);
        Assert.DoesNotContain("tables/economics.csv", files); // no --costs, no economics section
    }

    [Fact]
    public void ReportCommand_BadUsage_ExitsTwo()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N"));
        var (code, _, err) = CliTests.Run("report", "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", CliTests.Fixture("demo", "design.json"),
            "--referrals", CliTests.Fixture("demo", "journeys.csv"), "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("--pickups", err);
        var costs = CliTests.Temp("costs.csv", "pair,year,cost\nsite 1,1,lots\n");
        (code, _, err) = CliTests.Run("report", "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", CliTests.Fixture("demo", "design.json"), "--costs", costs, "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("line 2", err);
        Assert.Contains("cost", err);
    }

    [Fact]
    public void Report_WithoutCovariates_SaysTheAdjustedModelHasNone()
    {
        var plain = new EvaluationDesign(DemoResults.Design.Study, DemoResults.Design.Pairs);
        var result = Evaluator.Journeys(plain, Data.Readers.Journeys(CliTests.Fixture("demo", "journeys.csv")));
        var report = EvaluationReport.Build(new EvaluationReportInput(plain) { Journeys = result, Charts = false });
        var md = report.ToMarkdown();
        Assert.Contains("No covariates are configured", md);
        Assert.Contains("| none |", md);
        Assert.Empty(report.Figures);
    }

    private sealed class ProgrammeBlock : IReportExtension
    {
        public void ExtendOutcome(ReportSection section, string outcome, EvaluationResult result, EvaluationReportInput input) =>
            section.Subheading($"Programme {outcome}");

        public void ExtendReport(Report report, EvaluationReportInput input) => report.AddSection("trends", "Trends").Paragraph("series here");

        public IEnumerable<string> Choices(EvaluationReportInput input) => ["extension choice"];
    }

    [Fact]
    public void Extensions_AddToEachOutcome_AndSectionsBeforeTheMethods()
    {
        var report = EvaluationReport.Build(new EvaluationReportInput(DemoResults.Design) { Journeys = DemoResults.Journeys, Charts = false, Extensions = [new ProgrammeBlock()] });
        Assert.Equal(["data", "exclusions", "outcome-effectiveTreatment", "outcome-successfulCompletion", "outcome-successfulCompletionOfCaseload", "trends", "methods", "choices"],
            report.Sections.Select(s => s.Id));
        var et = report.FindSection("outcome-effectiveTreatment")!;
        Assert.Equal(new ReportSubheading("Programme effectiveTreatment"), et.Blocks[^1]);
        Assert.Contains("extension choice", ((ReportList)report.FindSection("choices")!.Blocks[^1]).Items);
    }

    [Fact]
    public void ReportApi_RejectsBadNames_RaggedRows_AndDuplicateSections()
    {
        var report = new Report("t");
        report.AddSection("a", "A");
        Assert.Throws<ArgumentException>(() => report.AddSection("a", "again"));
        Assert.Throws<ArgumentException>(() => report.AddSection("a b", "space"));
        var frame = new DataFrame(new StringDataFrameColumn("x", ["1"]));
        Assert.Throws<ArgumentException>(() => report.FindSection("a")!.Add(new ReportTable("t1", "c", ["x", "y"], [["1"]], frame)));
        Assert.Throws<ArgumentException>(() => report.FindSection("a")!.Add(new ReportTable("../evil", "c", ["x"], [["1"]], frame)));
    }

    [Fact]
    public void CsvText_QuotesAndKeepsPrecision_InvariantCulture()
    {
        var frame = new DataFrame(new StringDataFrameColumn("name", ["a,b", "say \"hi\"", null]),
            new DoubleDataFrameColumn("x", new double?[] { 0.1 + 0.2, null, 1e-20 }), new BooleanDataFrameColumn("ok", [true, false, true]));
        Assert.Equal("name,x,ok\n\"a,b\",0.30000000000000004,true\n\"say \"\"hi\"\"\",,false\n,1E-20,true\n", CsvText.Of(frame));
    }
}

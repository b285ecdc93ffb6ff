using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Interactive;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The notebook formatters through Microsoft.DotNet.Interactive.Formatting, as a kernel calls them after the
/// extension's OnLoadAsync. (.ci/consumer-check.sh also loads the packed extension into a real dotnet-interactive kernel.)
/// </summary>
public class NotebookFormatterTests
{
    static NotebookFormatterTests() => new EvaluationStatsKernelExtension().OnLoadAsync(null!).GetAwaiter().GetResult();

    [Fact]
    public void EvaluationResult_Html_IsReportTables_ForEveryOutcome_AndTheLedger()
    {
        var html = DemoResults.Journeys.ToDisplayString(HtmlFormatter.MimeType);
        Assert.StartsWith("<div class=\"evalstats\"><style>", html);
        foreach (var id in new[] { "did-effectiveTreatment", "adjusted-successfulCompletion", "did-successfulCompletionOfCaseload", "exclusions" })
            Assert.Contains($"id=\"table-{id}\"", html);
        Assert.Contains("<td>site 6</td>", html);
        Assert.Contains("data error: end before start", html);
        Assert.Contains("HTML", Formatter.GetPreferredMimeTypesFor(typeof(EvaluationResult)).First().ToUpperInvariant());
    }

    [Fact]
    public void PlainText_KeepsLineBreaks_AndLedgerEntriesShowTheirLines()
    {
        var text = DemoResults.Journeys.ToDisplayString(PlainTextFormatter.MimeType);
        Assert.Equal(DemoResults.Journeys.ToString(), text);
        Assert.True(text.Split('\n').Length > 20);
        Assert.DoesNotContain("\\n", text);

        var entry = DemoResults.Journeys.Exclusions.Entries.First(e => e.Lines.Count > 0);
        var entryText = entry.ToDisplayString(PlainTextFormatter.MimeType);
        Assert.DoesNotContain("List`1", entryText);
        Assert.Contains($"lines {entry.Lines[0]}, {entry.Lines[1]}", entryText);
        Assert.Contains($"{entry.Lines[0]}, {entry.Lines[1]}", entry.ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void DidResult_Html_HasTheRow_WithOnePValueFormat()
    {
        var r = DidEstimator.Estimate("site 9", new PairCells(new Cell(20000, 10000), new Cell(25000, 15000), new Cell(30000, 12000), new Cell(28000, 12600)));
        var html = r.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("<td>site 9</td>", html);
        Assert.Contains("<td class=\"num\">+5.0</td>", html);
        Assert.Contains("<td class=\"num\">&lt;0.001</td>", html);
        Assert.Contains("p <0.001", r.ToString());
        Assert.Equal(r.ToString(), r.ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Fact]
    public void AdjustedModel_AndLedger_HaveHtmlTables()
    {
        var adjusted = DemoResults.Journeys.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Adjusted!;
        var html = adjusted.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("id=\"table-coefficients\"", html);
        Assert.Contains("<td>pilot:post</td>", html);
        Assert.Contains("id=\"table-exclusions\"", DemoResults.Journeys.Exclusions.ToDisplayString(HtmlFormatter.MimeType));
        var chart = CellBarsChart.Render(DemoResults.Journeys, OutcomeNames.EffectiveTreatment, ChartFormat.Png, 300, 200);
        Assert.StartsWith("<img src=\"data:image/png;base64,", chart.ToDisplayString(HtmlFormatter.MimeType));
    }
}

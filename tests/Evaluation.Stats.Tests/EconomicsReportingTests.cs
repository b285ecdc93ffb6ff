using Evaluation.Stats.Economics;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Reporting.Charts;
using Evaluation.Stats.Reporting.Frames;
using SkiaSharp;

namespace Evaluation.Stats.Tests;

/// <summary>The economics results as DataFrames and as a tornado chart (decoded, not just rendered).</summary>
public class EconomicsReportingTests
{
    private static readonly PairEffects Site3 = new("site 3", new OutcomeEffect(0.036, 1791, 0.00982), new OutcomeEffect(0.051, 1791, 0.0161));
    private static readonly PairCosts Site3Costs = new("site 3", [89_000, 96_000]);

    [Fact]
    public void ResultFrame_HasOneRowPerPair_WithTheChain()
    {
        var result = CostBenefit.Evaluate([Site3, new PairEffects("no costs", new OutcomeEffect(0.01, 1000), null)], [Site3Costs]);
        var frame = result.ToDataFrame();
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal("site 3", frame["pair"][0]);
        Assert.Equal(result.Pairs[0].Benefits.Total, (double)frame["totalBenefits"][0]!, 9);
        Assert.Equal(result.Pairs[0].Ratio!.Value, (double)frame["ratio"][0]!, 9);
        Assert.Null(frame["ratio"][1]);
        Assert.Null(frame["benefitSuccessfulCompletion"][1]);
    }

    [Fact]
    public void Results_PrintReadably()
    {
        var result = CostBenefit.Evaluate([Site3], [Site3Costs]);
        Assert.Contains("site 3: people +64.5 in effective treatment, +91.3 completions", result.Pairs[0].ToString());
        Assert.Contains("ratio 111.8", result.Pairs[0].ToString());
        var tornado = EconomicsUncertainty.UnitValueTornado().ToString();
        Assert.Contains("recovered clients' harm decay rate", tornado);
        Assert.Contains("188,144", tornado); // Appendix C6's 70% decay, by the formula its text describes
    }

    [Fact]
    public void UnitValueFrame_IsTableC61()
    {
        var frame = UnitValueParameters.Report.Compute().ToDataFrame();
        Assert.Equal(12, frame.Rows.Count);
        Assert.Equal(11_633, (double)frame["shortTermDiscounted"][0]!, 0);  // Table C6.1, year 1
        Assert.Equal(36_482, (double)frame["recoveryDiscounted"][11]!, 0); // Table C6.1, year 12
        Assert.Equal(16_674, (double)frame["expected"][11]!, 0);
    }

    [Fact]
    public void TornadoFrame_IsTheBars()
    {
        var t = EconomicsUncertainty.Tornado(Site3, Site3Costs);
        var frame = t.ToDataFrame();
        Assert.Equal(t.Bars.Count, frame.Rows.Count);
        Assert.Equal(t.Bars[0].Label, frame["input"][0]);
        Assert.Equal(t.Bars[0].Swing, (double)frame["swing"][0]!, 9);
    }

    [Fact]
    public void TornadoPng_DecodesToTheSize_WithBothBarColours()
    {
        var t = EconomicsUncertainty.Tornado(Site3, Site3Costs);
        var image = TornadoChart.Render(t, ChartFormat.Png, 800, 450);
        Assert.Equal("tornado-site-3", image.Name);
        using var bitmap = SKBitmap.Decode(image.Bytes.ToArray());
        Assert.NotNull(bitmap);
        Assert.Equal(800, bitmap.Width);
        Assert.Equal(450, bitmap.Height);
        int low = 0, high = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Close(c, TornadoChart.LowColor)) low++;
                if (Close(c, TornadoChart.HighColor)) high++;
            }
        // Every bar has both parts; the bars cover a good share of the plot.
        Assert.True(low > 2_000, $"low-colour pixels: {low}");
        Assert.True(high > 2_000, $"high-colour pixels: {high}");
    }

    [Fact]
    public void TornadoSvg_NamesEveryInput()
    {
        var t = EconomicsUncertainty.UnitValueTornado();
        var image = TornadoChart.Render(t, ChartFormat.Svg);
        var text = System.Text.Encoding.UTF8.GetString(image.Bytes.Span);
        var doc = System.Xml.Linq.XDocument.Parse(text);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        foreach (var bar in t.Bars)
            Assert.Contains(System.Security.SecurityElement.Escape(bar.Label.Split(' ')[0]), text);
        Assert.Contains("recovery probability", text);
    }

    private static bool Close(SKColor c, ScottPlot.Color target) =>
        Math.Abs(c.Red - target.R) <= 6 && Math.Abs(c.Green - target.G) <= 6 && Math.Abs(c.Blue - target.B) <= 6;
}

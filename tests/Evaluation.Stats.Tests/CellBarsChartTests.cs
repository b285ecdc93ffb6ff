using System.Xml.Linq;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using SkiaSharp;

namespace Evaluation.Stats.Tests;

public class CellBarsChartTests
{
    private static SKColor Hex(string hex) => SKColor.Parse(hex);

    /// <summary>How many pixels of the image have (nearly) the colour.</summary>
    internal static int PixelsOf(SKBitmap bitmap, SKColor colour)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - colour.Red) <= 2 && Math.Abs(p.Green - colour.Green) <= 2 && Math.Abs(p.Blue - colour.Blue) <= 2) count++;
            }
        return count;
    }

    [Fact]
    public void Png_Decodes_AtItsSize_WithEveryCellColourDrawn()
    {
        var image = CellBarsChart.Render(DemoResults.Journeys, OutcomeNames.EffectiveTreatment, ChartFormat.Png, 900, 450);
        Assert.Equal("cells-effectiveTreatment", image.Name);
        using var bitmap = SKBitmap.Decode(image.Bytes.ToArray());
        Assert.NotNull(bitmap);
        Assert.Equal((900, 450), (bitmap.Width, bitmap.Height));
        // Bars of 6 pairs x 4 cells at proportions of 70-90%: each colour fills a good share of the plot.
        foreach (var colour in CellBarsChart.CellColours)
            Assert.True(PixelsOf(bitmap, Hex(colour)) > 2000, $"colour {colour}: {PixelsOf(bitmap, Hex(colour))} pixels");
    }

    [Fact]
    public void TallerBar_HasMorePixels_ThanShorterBar()
    {
        // Pilot post at 90% against pilot pre at 10%: the dark blue bar must be about 9 times the light blue one.
        var r = DidEstimator.Estimate("one", new PairCells(new Cell(1000, 100), new Cell(1000, 900), new Cell(1000, 500), new Cell(1000, 500)));
        using var bitmap = SKBitmap.Decode(CellBarsChart.Render([r], "one", "one", ChartFormat.Png, 600, 400).Bytes.ToArray());
        double ratio = (double)PixelsOf(bitmap, Hex(CellBarsChart.CellColours[1])) / PixelsOf(bitmap, Hex(CellBarsChart.CellColours[0]));
        Assert.InRange(ratio, 6, 12);
    }

    [Fact]
    public void Svg_IsXml_WithTitleLegendAndPairLabels()
    {
        var image = CellBarsChart.Render(DemoResults.Journeys, OutcomeNames.SuccessfulCompletion, ChartFormat.Svg, 900, 450);
        var text = System.Text.Encoding.UTF8.GetString(image.Bytes.Span);
        var doc = XDocument.Parse(text);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        foreach (var label in new[] { OutcomeNames.SuccessfulCompletion, "pilot post", "comparison pre", "site 1", "site 6" })
            Assert.Contains(label, text);
    }

    [Fact]
    public void Interval_IsTheNormalOne_ClippedToZeroAndHundred()
    {
        var (lo, hi) = CellBarsChart.Interval(new Cell(100, 50), 0.95);
        Assert.Equal(50 - 100 * 1.959963984540054 * 0.05, lo, 9);
        Assert.Equal(50 + 100 * 1.959963984540054 * 0.05, hi, 9);
        Assert.Equal((0.0, 0.0), CellBarsChart.Interval(new Cell(10, 0), 0.95));
        Assert.Equal(100.0, CellBarsChart.Interval(new Cell(10, 9), 0.95).Upper);
    }

    [Fact]
    public void Render_UnknownOutcome_SaysWhichExist() =>
        Assert.Contains("effectiveTreatment", Assert.Throws<ArgumentException>(() => CellBarsChart.Render(DemoResults.Journeys, "nope")).Message);
}

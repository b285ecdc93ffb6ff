using Evaluation.Stats.Reporting;

namespace Evaluation.Stats.Tests;

public class ChartImageTests
{
    private static ScottPlot.Plot Line()
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 0.2, 0.5, 0.4 });
        plot.Title("smoke");
        return plot;
    }

    [Fact]
    public void Png_RendersHeadless_WithPngSignatureAndSize()
    {
        var image = ChartImage.Render("smoke", Line(), ChartFormat.Png, 400, 300);
        var bytes = image.Bytes.ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        // IHDR width and height, big-endian, at bytes 16..23.
        Assert.Equal(400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(300, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.StartsWith("data:image/png;base64,", image.ToDataUri());
    }

    [Fact]
    public void Svg_IsXmlWithTheTitle()
    {
        var image = ChartImage.Render("smoke", Line(), ChartFormat.Svg, 400, 300);
        var text = System.Text.Encoding.UTF8.GetString(image.Bytes.Span);
        var doc = System.Xml.Linq.XDocument.Parse(text);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.Contains("smoke", text);
    }

    [Fact]
    public void Render_RejectsTinySizes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChartImage.Render("x", Line(), ChartFormat.Png, 10, 300));
}

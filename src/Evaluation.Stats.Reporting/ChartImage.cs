namespace Evaluation.Stats.Reporting;

/// <summary>The image formats a chart can be written in.</summary>
public enum ChartFormat
{
    /// <summary>Portable Network Graphics (raster).</summary>
    Png,

    /// <summary>Scalable Vector Graphics (text, for HTML and print).</summary>
    Svg,
}

/// <summary>
/// A rendered chart: its bytes in one format, its size, and a file name stem. Every chart in the project is drawn with
/// ScottPlot 5, which renders headless through SkiaSharp (no display or system fonts beyond the bundled ones).
/// </summary>
public sealed record ChartImage(string Name, ChartFormat Format, int Width, int Height, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The file extension for <see cref="Format"/>, without a dot.</summary>
    public string Extension => Format == ChartFormat.Png ? "png" : "svg";

    /// <summary>The MIME type for <see cref="Format"/>.</summary>
    public string MimeType => Format == ChartFormat.Png ? "image/png" : "image/svg+xml";

    /// <summary>Writes the image to <paramref name="directory"/> as <c>Name.Extension</c> and returns the path.</summary>
    public string WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Name}.{Extension}");
        File.WriteAllBytes(path, Bytes.ToArray());
        return path;
    }

    /// <summary>A <c>data:</c> URI of the image, for embedding in a self-contained HTML page.</summary>
    public string ToDataUri() => $"data:{MimeType};base64,{Convert.ToBase64String(Bytes.Span)}";

    /// <summary>Renders a ScottPlot plot in the given format.</summary>
    internal static ChartImage Render(string name, ScottPlot.Plot plot, ChartFormat format, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 50);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 50);
        byte[] bytes = format switch
        {
            ChartFormat.Png => plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png),
            ChartFormat.Svg => System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height)),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        return new ChartImage(name, format, width, height, bytes);
    }
}

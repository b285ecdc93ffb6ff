using System.Globalization;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>Formatting and frame helpers shared by the report extensions (programme, trends, economics, indicators).</summary>
internal static class ExtensionText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A number in <paramref name="format"/>, or "n/a" when absent or not finite.</summary>
    public static string F(double? x, string format) => x is double d && double.IsFinite(d) ? d.ToString(format, Inv) : "n/a";

    /// <summary>A fraction as signed percentage points with one decimal.</summary>
    public static string Points(double? x) => F(x * 100, "+0.0;-0.0;0.0");

    /// <summary>An interval "lo to hi" in <paramref name="format"/> after multiplying by <paramref name="scale"/>.</summary>
    public static string Interval(double? lo, double? hi, double scale, string format) => $"{F(lo * scale, format)} to {F(hi * scale, format)}";

    /// <summary>A confidence level as "95%".</summary>
    public static string Level(double level) => (100 * level).ToString("0.##", Inv) + "%";

    /// <summary>The value of a frame cell as a nullable double (frames hold doubles, ints and longs).</summary>
    public static double? D(DataFrame frame, string column, long row) => frame[column][row] switch
    {
        null => null,
        double d => d,
        IConvertible c => c.ToDouble(Inv),
        _ => null,
    };

    /// <summary>The rows of <paramref name="frame"/> whose text column <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static DataFrame Where(DataFrame frame, string column, string value)
    {
        var mask = new PrimitiveDataFrameColumn<bool>("mask", frame.Rows.Count);
        for (long i = 0; i < frame.Rows.Count; i++) mask[i] = (string?)frame[column][i] == value;
        return frame.Filter(mask);
    }

    /// <summary>A name made safe for a file and an anchor: letters, digits and '-' (others become '-').</summary>
    public static string Slug(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}

using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// A DataFrame as RFC 4180 CSV: a header row, invariant culture, numbers in round-trip form (no rounding), a missing
/// value as an empty field, text quoted when it holds a comma, quote or line break. Lines end in <c>\n</c>.
/// </summary>
public static class CsvText
{
    /// <summary>The frame as CSV text.</summary>
    public static string Of(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var sb = new StringBuilder();
        sb.AppendJoin(',', frame.Columns.Select(c => Field(c.Name))).Append('\n');
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            for (int c = 0; c < frame.Columns.Count; c++)
            {
                if (c > 0) sb.Append(',');
                sb.Append(Value(frame.Columns[c][r]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Value(object? value) => value switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
        float f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : "",
        bool b => b ? "true" : "false",
        IFormattable f => Field(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Field(value.ToString() ?? ""),
    };

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

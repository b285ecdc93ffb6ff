using System.Globalization;
using System.Text;

namespace Evaluation.Stats.Data;

/// <summary>
/// Makes an input value safe to print in a message (methodology §9): control characters and other invisible
/// characters are escaped (a terminal must never receive raw escape codes from a data file) and long values are cut.
/// </summary>
internal static class Echo
{
    /// <summary>The most characters of a value echoed before it is cut.</summary>
    public const int MaxLength = 40;

    /// <summary>The value, quoted, escaped and cut: <c>'ab\x1B[31m…'</c>.</summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        var sb = new StringBuilder(Math.Min(value.Length, MaxLength) + 8).Append('\'');
        int shown = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (shown++ == MaxLength) { sb.Append('…'); break; }
            int v = rune.Value;
            if (v == '\n') sb.Append("\\n");
            else if (v == '\r') sb.Append("\\r");
            else if (v == '\t') sb.Append("\\t");
            else if (v == '\\') sb.Append("\\\\");
            else if (v == '\'') sb.Append("\\'");
            else if (v < 0x20 || v == 0x7F) sb.Append("\\x").Append(v.ToString("X2", CultureInfo.InvariantCulture));
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                     or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                sb.Append(v <= 0xFFFF ? $"\\u{v:X4}" : $"\\U{v:X8}");
            else sb.Append(rune.ToString());
        }
        return sb.Append('\'').ToString();
    }
}

using System.Globalization;

namespace Evaluation.Stats.Data;

/// <summary>
/// Parses numbers and dates straight from a field's characters (no string, no second parse). Each has a short
/// exact path for the common shape and falls back to the runtime's parser, so the two always agree.
/// </summary>
internal static class FieldParse
{
    private static readonly double[] PowersOf10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// A decimal number. <c>NaN</c>, <c>Infinity</c> and values beyond the range of a double parse (the result is
    /// not finite), so a caller can say "not finite" rather than "not a number"; anything else that is not a number fails.
    /// </summary>
    public static bool TryNumber(ReadOnlySpan<char> s, out double value)
    {
        // Exact fast path (Clinger): at most 15 digits and at most 22 after the point, so both the digits as an
        // integer and the power of ten are exact doubles and the one division is correctly rounded.
        int i = 0, n = s.Length;
        bool negative = false;
        if (n > 0 && (s[0] == '-' || s[0] == '+')) { negative = s[0] == '-'; i = 1; }
        long mantissa = 0;
        int digits = 0, scale = -1;
        for (; i < n; i++)
        {
            int d = s[i] - '0';
            if ((uint)d <= 9) { mantissa = mantissa * 10 + d; digits++; if (scale >= 0) scale++; }
            else if (s[i] == '.' && scale < 0) scale = 0;
            else break;
        }
        if (i == n && digits > 0 && digits <= 15 && scale <= 22)
        {
            double v = mantissa;
            if (scale > 0) v /= PowersOf10[scale];
            value = negative ? -v : v;
            return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A date in <paramref name="format"/> (a .NET custom format); <c>yyyy-MM-dd</c> has a fast exact path.</summary>
    public static bool TryDate(ReadOnlySpan<char> s, string format, out DateOnly value)
    {
        if (format == "yyyy-MM-dd" && s.Length == 10 && s[4] == '-' && s[7] == '-')
        {
            int y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2);
            if (y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
            {
                value = new DateOnly(y, m, d);
                return true;
            }
            value = default;
            return false;
        }
        return DateOnly.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static int Digits(ReadOnlySpan<char> s, int from, int count)
    {
        int v = 0;
        for (int k = from; k < from + count; k++)
        {
            int d = s[k] - '0';
            if ((uint)d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }
}

using System.Globalization;
using System.Text;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Formatting;

/// <summary>Prints a <see cref="TermMatrix"/> as R prints a named matrix: a header of column names, one row per term.</summary>
internal static class MatrixFormatter
{
    /// <summary>Beyond this many terms only the leading block is printed (a many-level fit has thousands).</summary>
    internal const int MaxPrintedTerms = 12;

    internal static string Format(TermMatrix matrix)
    {
        var inv = CultureInfo.InvariantCulture;
        int p = matrix.RowCount, shown = Math.Min(p, MaxPrintedTerms);
        var cells = new string[shown, shown];
        int width = 0;
        for (int a = 0; a < shown; a++)
        {
            width = Math.Max(width, matrix.Terms[a].Length);
            for (int b = 0; b < shown; b++)
            {
                cells[a, b] = matrix[a, b].ToString("G7", inv);
                width = Math.Max(width, cells[a, b].Length);
            }
        }
        int label = shown == 0 ? 0 : Enumerable.Range(0, shown).Max(a => matrix.Terms[a].Length);
        var sb = new StringBuilder();
        sb.Append(' ', label);
        for (int b = 0; b < shown; b++) sb.Append(' ').Append(matrix.Terms[b].PadLeft(width));
        sb.AppendLine();
        for (int a = 0; a < shown; a++)
        {
            sb.Append(matrix.Terms[a].PadRight(label));
            for (int b = 0; b < shown; b++) sb.Append(' ').Append(cells[a, b].PadLeft(width));
            sb.AppendLine();
        }
        if (shown < p)
            sb.AppendLine(string.Create(inv, $"({p} × {p}; the first {shown} terms shown)"));
        return sb.ToString();
    }
}

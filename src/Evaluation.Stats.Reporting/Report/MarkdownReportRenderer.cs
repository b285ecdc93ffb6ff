using System.Text;

namespace Evaluation.Stats.Reporting;

/// <summary>Renders a <see cref="Report"/> as Markdown (GitHub pipe tables; charts as links to <c>charts/NAME.png</c>).</summary>
internal static class MarkdownReportRenderer
{
    public static string Render(Report report)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(Line(report.Title)).Append("\n\n");
        if (report.Subtitle is not null) sb.Append(Line(report.Subtitle)).Append("\n\n");
        foreach (var s in report.Sections)
        {
            sb.Append("## ").Append(Line(s.Title)).Append("\n\n");
            foreach (var b in s.Blocks) Block(sb, b);
        }
        return sb.ToString();
    }

    private static void Block(StringBuilder sb, ReportBlock block)
    {
        switch (block)
        {
            case ReportParagraph p: sb.Append(Line(p.Text)).Append("\n\n"); break;
            case ReportSubheading h: sb.Append("### ").Append(Line(h.Text)).Append("\n\n"); break;
            case ReportList l:
                foreach (var i in l.Items) sb.Append("- ").Append(Line(i)).Append('\n');
                sb.Append('\n');
                break;
            case ReportPreformatted p: sb.Append("```text\n").Append(p.Text.TrimEnd('\n')).Append("\n```\n\n"); break;
            case ReportTable t: sb.Append(Table(t)).Append('\n'); break;
            case ReportFigure f: sb.Append("![").Append(Line(f.Caption)).Append("](charts/").Append(f.Png.Name).Append(".png)\n\n"); break;
            default: throw new NotSupportedException($"No Markdown for {block.GetType().Name}.");
        }
    }

    /// <summary>One table as a Markdown pipe table with its caption in bold above it and the CSV named below.</summary>
    public static string Table(ReportTable t)
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Line(t.Caption)).Append("**\n\n");
        sb.Append("| ").AppendJoin(" | ", t.Columns.Select(Cell)).Append(" |\n");
        sb.Append('|').AppendJoin('|', t.Columns.Select(_ => " --- ")).Append("|\n");
        foreach (var row in t.Rows) sb.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        sb.Append("\n(`tables/").Append(t.Name).Append(".csv`)\n");
        return sb.ToString();
    }

    private static string Line(string s) => s.Replace("\r", "").Replace('\n', ' ');

    private static string Cell(string s) => Line(s).Replace("|", "\\|");
}

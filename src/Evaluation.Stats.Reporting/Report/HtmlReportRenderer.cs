using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Evaluation.Stats.Reporting;

/// <summary>Renders a <see cref="Report"/> as one self-contained HTML page: inline styles, charts as PNG data URIs, no scripts.</summary>
internal static partial class HtmlReportRenderer
{
    /// <summary>The page's styles; also used by the notebook formatters so that a table looks the same in both.</summary>
    internal const string TableStyle =
        "table.es{border-collapse:collapse;margin:.5em 0 1.2em;font-variant-numeric:tabular-nums;font-size:.92em}" +
        "table.es caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}" +
        "table.es th,table.es td{border-bottom:1px solid #ddd;padding:.25em .6em;vertical-align:top}" +
        "table.es th{background:#f3f5f8;text-align:left;border-bottom:2px solid #bbb}" +
        "table.es td.num{text-align:right;white-space:nowrap}table.es td:first-child{white-space:nowrap}";

    private const string PageStyle =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1b1f24;max-width:72em;margin:2em auto;padding:0 1.5em;line-height:1.45}" +
        "h1{font-size:1.8em;margin-bottom:.1em}h2{border-bottom:2px solid #08519c;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}" +
        ".subtitle{color:#555;margin-top:0}nav ol{columns:2}figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}" +
        "figcaption{color:#444;font-size:.9em}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em}" +
        ".scroll{overflow-x:auto}" + TableStyle;

    public static string Render(Report report)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(E(report.Title)).Append("</title>\n<style>").Append(PageStyle).Append("</style>\n</head>\n<body>\n")
          .Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        if (report.Subtitle is not null) sb.Append("<p class=\"subtitle\">").Append(E(report.Subtitle)).Append("</p>\n");
        sb.Append("<nav><ol>");
        foreach (var s in report.Sections) sb.Append("<li><a href=\"#").Append(s.Id).Append("\">").Append(E(s.Title)).Append("</a></li>");
        sb.Append("</ol></nav>\n");
        foreach (var s in report.Sections)
        {
            sb.Append("<section id=\"").Append(s.Id).Append("\">\n<h2>").Append(E(s.Title)).Append("</h2>\n");
            foreach (var b in s.Blocks) Block(sb, b);
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Block(StringBuilder sb, ReportBlock block)
    {
        switch (block)
        {
            case ReportParagraph p: sb.Append("<p>").Append(E(p.Text)).Append("</p>\n"); break;
            case ReportSubheading h: sb.Append("<h3>").Append(E(h.Text)).Append("</h3>\n"); break;
            case ReportList l:
                sb.Append("<ul>");
                foreach (var i in l.Items) sb.Append("<li>").Append(E(i)).Append("</li>");
                sb.Append("</ul>\n");
                break;
            case ReportPreformatted p: sb.Append("<pre>").Append(E(p.Text)).Append("</pre>\n"); break;
            case ReportTable t: sb.Append("<div class=\"scroll\">").Append(Table(t)).Append("</div>\n"); break;
            case ReportFigure f:
                sb.Append("<figure id=\"chart-").Append(f.Png.Name).Append("\"><img src=\"").Append(f.Png.ToDataUri())
                  .Append("\" width=\"").Append(f.Png.Width).Append("\" height=\"").Append(f.Png.Height)
                  .Append("\" alt=\"").Append(E(f.Caption)).Append("\"><figcaption>").Append(E(f.Caption)).Append("</figcaption></figure>\n");
                break;
            default: throw new NotSupportedException($"No HTML for {block.GetType().Name}.");
        }
    }

    /// <summary>One table as an HTML fragment (class <c>es</c>, see <see cref="TableStyle"/>); number-like cells are right-aligned.</summary>
    public static string Table(ReportTable t)
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"es\" id=\"table-").Append(t.Name).Append("\"><caption>").Append(E(t.Caption)).Append("</caption><thead><tr>");
        foreach (var c in t.Columns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in t.Rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append(NumberLike().IsMatch(cell) ? "<td class=\"num\">" : "<td>").Append(E(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    // "1,234", "+3.2", "<0.001", "12.5 to 14.0", "0.95 (0.80 to 1.10)": cells that read as numbers line up on the right.
    [GeneratedRegex(@"^[<>+\-−]?[0-9][0-9,]*(\.[0-9]+)?%?( to [+\-−]?[0-9.,]+%?| \([^)]*\))?$")]
    private static partial Regex NumberLike();
}

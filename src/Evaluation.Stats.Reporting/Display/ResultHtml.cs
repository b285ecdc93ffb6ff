using System.Net;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// HTML fragments of the results, in the report's table style: what a notebook shows (the
/// <c>Evaluation.Stats.Interactive</c> extension registers these as the <c>text/html</c> formatters) and what a web
/// page can embed. Each fragment carries its own small style block, so it needs nothing around it.
/// </summary>
public static class ResultHtml
{
    private static string Wrap(string inner) =>
        $"<div class=\"evalstats\"><style>{HtmlReportRenderer.TableStyle}</style>{inner}</div>";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Notes(IEnumerable<string> notes)
    {
        var list = notes.ToArray();
        return list.Length == 0 ? "" : "<ul class=\"notes\">" + string.Concat(list.Select(n => $"<li>{E(n)}</li>")) + "</ul>";
    }

    /// <summary>A table as an HTML fragment.</summary>
    public static string ToHtml(this ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Wrap(HtmlReportRenderer.Table(table));
    }

    /// <summary>An evaluation: for each outcome, the DiD table and the adjusted models; then the exclusion ledger.</summary>
    public static string ToHtml(this EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        foreach (var outcome in result.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())
        {
            var pairs = result.Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).ToArray();
            var dids = pairs.Select(p => p.Outcomes[outcome].Did).ToArray();
            sb.Append(HtmlReportRenderer.Table(ResultTables.Did(dids, $"did-{outcome}", $"{outcome}: cells and DiD (% and percentage points)")));
            sb.Append(Notes(dids.SelectMany(d => d.Warnings.Select(w => $"{d.Pair}: {w}"))));
            var adjusted = pairs.Where(p => p.Outcomes[outcome].Adjusted is not null).Select(p => (p.Name, p.Outcomes[outcome].Adjusted!)).ToArray();
            if (adjusted.Length > 0)
                sb.Append(HtmlReportRenderer.Table(ResultTables.Adjusted(adjusted, outcome, $"adjusted-{outcome}", $"{outcome}: adjusted DiD (logistic pilot:post; ATT in points)")));
        }
        sb.Append(HtmlReportRenderer.Table(ResultTables.Ledger(result.Exclusions)));
        return Wrap(sb.ToString());
    }

    /// <summary>One pair's outcomes, as <see cref="ToHtml(EvaluationResult)"/> shows them, without the ledger.</summary>
    public static string ToHtml(this PairResult pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var sb = new StringBuilder();
        sb.Append(HtmlReportRenderer.Table(ResultTables.Did(pair.Outcomes.Values.Select(o => o.Did with { Pair = o.Outcome }), "did",
            $"{pair.Name}: cells and DiD by outcome (% and percentage points)")));
        var adjusted = pair.Outcomes.Values.Where(o => o.Adjusted is not null).Select(o => (o.Outcome, o.Adjusted!)).ToArray();
        if (adjusted.Length > 0)
            sb.Append(HtmlReportRenderer.Table(ResultTables.Adjusted(adjusted, "", "adjusted", $"{pair.Name}: adjusted DiD by outcome")));
        return Wrap(sb.ToString());
    }

    /// <summary>One DiD as a one-row report table, with its log-odds interaction and warnings below.</summary>
    public static string ToHtml(this DidResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Wrap(HtmlReportRenderer.Table(ResultTables.Did([result]))
            + $"<p>Log-odds interaction: {E(result.LogOddsInteraction?.ToString() ?? "undefined")}. DiD × pilot post n = {E(result.People.ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture))} people.</p>"
            + Notes(result.Warnings));
    }

    /// <summary>Several pairs' DiDs as one report table.</summary>
    public static string ToHtml(this IEnumerable<DidResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToArray();
        return Wrap(HtmlReportRenderer.Table(ResultTables.Did(list)) + Notes(list.SelectMany(d => d.Warnings.Select(w => $"{d.Pair}: {w}"))));
    }

    /// <summary>An adjusted DiD: its headline row and the full coefficient table.</summary>
    public static string ToHtml(this AdjustedDid adjusted)
    {
        ArgumentNullException.ThrowIfNull(adjusted);
        return Wrap(HtmlReportRenderer.Table(ResultTables.Adjusted([("", adjusted)], "", "adjusted", "Adjusted DiD"))
            + HtmlReportRenderer.Table(ResultTables.Coefficients(adjusted.Model)) + Notes(adjusted.Model.Warnings));
    }

    /// <summary>A logistic fit: the coefficient table, the fit statistics and every warning.</summary>
    public static string ToHtml(this LogisticResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Wrap(HtmlReportRenderer.Table(ResultTables.Coefficients(fit))
            + $"<p>Deviance {fit.Deviance.ToString("0.000", inv)} (null {fit.NullDeviance.ToString("0.000", inv)}); AIC {fit.Aic.ToString("0.000", inv)}; {fit.Iterations} iterations{(fit.Converged ? "" : " (did NOT converge)")}.</p>"
            + Notes(fit.Warnings));
    }

    /// <summary>The exclusion ledger as a table, with the first lines of each data error.</summary>
    public static string ToHtml(this ExclusionLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Wrap(HtmlReportRenderer.Table(ResultTables.Ledger(ledger)));
    }

    /// <summary>One ledger entry: analysis, reason, rows and its lines (the first 50).</summary>
    public static string ToHtml(this ExclusionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Wrap($"<p><b>{E(entry.Analysis)}</b>: {E(entry.Reason)} — {ResultTables.N(entry.Rows)} row(s)"
            + (entry.Lines.Count > 0 ? $"; lines {E(ResultTables.Lines(entry.Lines, 50))}" : "") + "</p>");
    }

    /// <summary>A chart as an <c>img</c> with a data URI (PNG) or inline SVG.</summary>
    public static string ToHtml(this ChartImage chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Format == ChartFormat.Svg
            ? Encoding.UTF8.GetString(chart.Bytes.Span)
            : $"<img src=\"{chart.ToDataUri()}\" width=\"{chart.Width}\" height=\"{chart.Height}\" alt=\"{E(chart.Name)}\">";
    }
}

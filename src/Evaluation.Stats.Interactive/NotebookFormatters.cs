using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Reporting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace Evaluation.Stats.Interactive;

/// <summary>
/// Loaded by a .NET Interactive kernel from the <c>interactive-extensions/dotnet</c> folder of the
/// Evaluation.Stats.Reporting package: registers the notebook formatters.
/// </summary>
public sealed class EvaluationStatsKernelExtension : IKernelExtension
{
    /// <summary>Registers the formatters (<see cref="NotebookFormatters.Register"/>).</summary>
    public Task OnLoadAsync(Kernel kernel)
    {
        NotebookFormatters.Register();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The formatters: <c>text/html</c> as report-style tables (<see cref="ResultHtml"/>), preferred in notebooks, and
/// <c>text/plain</c> as the results' own multi-line text with its line breaks kept (instead of the default object tree).
/// </summary>
public static class NotebookFormatters
{
    /// <summary>Registers every formatter. Safe to call more than once (a later registration replaces an earlier one).</summary>
    public static void Register()
    {
        Both<EvaluationResult>(r => r.ToHtml());
        Both<PairResult>(r => r.ToHtml(), r => string.Join(Environment.NewLine, r.Outcomes.Values.Select(o => $"{o.Outcome}: {o.Did}" + (o.Adjusted is null ? "" : $"{Environment.NewLine}  adjusted: {o.Adjusted}"))));
        Both<DidResult>(r => r.ToHtml());
        Both<IEnumerable<DidResult>>(r => r.ToHtml(), r => DidTable.Format(r));
        Both<AdjustedDid>(r => r.ToHtml(), r => r + Environment.NewLine + r.Model);
        Both<LogisticResult>(r => r.ToHtml());
        Both<ExclusionLedger>(r => r.ToHtml());
        Both<ExclusionEntry>(r => r.ToHtml(), e => $"{e.Analysis}: {e.Reason}, {e.Rows} row(s)" + (e.Lines.Count > 0 ? $"; lines {string.Join(", ", e.Lines.Take(50))}{(e.Lines.Count > 50 ? ", ..." : "")}" : ""));
        Both<ReportTable>(r => r.ToHtml(), t => string.Join(Environment.NewLine, new[] { t.Caption, string.Join(" | ", t.Columns) }.Concat(t.Rows.Select(x => string.Join(" | ", x)))));
        Both<ChartImage>(r => r.ToHtml(), c => $"{c.Name}.{c.Extension} ({c.Width} x {c.Height})");
        Text<WaldEstimate>();
        Text<PairCells>();
        Text<Cell>();
    }

    private static void Both<T>(Func<T, string> html, Func<T, string>? text = null)
    {
        Formatter.Register<T>((value, context) =>
        {
            context.Writer.Write(html(value));
            return true;
        }, HtmlFormatter.MimeType);
        Text(text);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }

    // The text keeps the value's line breaks: a multi-line ToString() is written as it is, not as an escaped string.
    private static void Text<T>(Func<T, string>? text = null) =>
        Formatter.Register<T>((value, context) =>
        {
            context.Writer.Write(text is null ? value?.ToString() : text(value));
            return true;
        }, PlainTextFormatter.MimeType);
}

using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary><c>ToDataFrame()</c> for the exclusion ledger.</summary>
public static class LedgerFrames
{
    /// <summary>
    /// One row per ledger entry: <c>analysis</c>, <c>reason</c>, <c>rows</c>, <c>inputRows</c> (the analysis's input
    /// rows), <c>dataError</c>, and <c>lines</c>: the source lines of data-error rows, comma-separated in full (one
    /// row per line is <see cref="ToLinesDataFrame"/>).
    /// </summary>
    public static DataFrame ToDataFrame(this ExclusionLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Entries(ledger.Entries, a => ledger.Analyses.Contains(a) ? ledger.InputRows(a) : null);
    }

    /// <summary>Ledger entries (for example the ledger plus entries of a second input) as a frame; <c>inputRows</c> is missing.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<ExclusionEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Entries(entries.ToArray(), _ => null);
    }

    /// <summary>One row per source line of each data-error entry: <c>analysis</c>, <c>reason</c>, <c>line</c>. Lines to fix in the data.</summary>
    public static DataFrame ToLinesDataFrame(this ExclusionLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var rows = ledger.Entries.SelectMany(e => e.Lines.Select(l => (e.Analysis, e.Reason, Line: l))).ToArray();
        return FrameBuilder.Of(rows).Text("analysis", r => r.Analysis).Text("reason", r => r.Reason).Long("line", r => r.Line).Build();
    }

    internal static DataFrame Entries(IReadOnlyList<ExclusionEntry> entries, Func<string, long?> inputRows) =>
        FrameBuilder.Of(entries)
            .Text("analysis", e => e.Analysis).Text("reason", e => e.Reason).Long("rows", e => e.Rows)
            .Long("inputRows", e => inputRows(e.Analysis))
            .Flag("dataError", e => ExclusionReasons.IsDataError(e.Reason))
            .Text("lines", e => string.Join(",", e.Lines))
            .Build();
}

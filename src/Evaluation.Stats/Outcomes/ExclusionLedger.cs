using System.Text;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// One line of the exclusion ledger: how many input rows one analysis set aside for one reason.
/// </summary>
/// <param name="Analysis">The analysis, <c>outcome/window</c>, for example <c>effectiveTreatment/pre</c>.</param>
/// <param name="Reason">The reason (see <see cref="ExclusionReasons"/>).</param>
/// <param name="Rows">How many rows.</param>
/// <param name="Lines">For data errors, the 1-based source lines of those rows (0 for rows that did not come from a file); empty for other reasons.</param>
public sealed record ExclusionEntry(string Analysis, string Reason, long Rows, IReadOnlyList<long> Lines);

/// <summary>
/// The exclusion ledger (methodology §8): for each analysis, every input row that is not in a cell,
/// counted by reason. For each analysis, the cells' rows plus the ledger's rows equal the input rows.
/// </summary>
public sealed class ExclusionLedger
{
    private readonly ExclusionEntry[] _entries;
    private readonly Dictionary<string, long> _inputRows;

    internal ExclusionLedger(IEnumerable<ExclusionEntry> entries, Dictionary<string, long> inputRows)
    {
        _entries = entries.ToArray();
        _inputRows = inputRows;
    }

    /// <summary>Every entry, in analysis order then by decreasing row count.</summary>
    public IReadOnlyList<ExclusionEntry> Entries => _entries;

    /// <summary>The analyses covered, in order.</summary>
    public IEnumerable<string> Analyses => _inputRows.Keys;

    /// <summary>The input rows of <paramref name="analysis"/> (parsed plus set aside as unparseable).</summary>
    public long InputRows(string analysis) => _inputRows.TryGetValue(analysis, out var n) ? n : throw new KeyNotFoundException($"No analysis '{analysis}' in the ledger.");

    /// <summary>The rows <paramref name="analysis"/> set aside, over all reasons.</summary>
    public long ExcludedRows(string analysis) => _entries.Where(e => e.Analysis == analysis).Sum(e => e.Rows);

    /// <summary>
    /// Tallies row statuses into ledger entries for one analysis and appends them to <paramref name="into"/>.
    /// Unparseable rows are added as <see cref="ExclusionReasons.Unparseable"/> with their lines.
    /// </summary>
    internal static void Tally(string analysis, IReadOnlyList<RowStatus> status, Func<int, long> lineOf,
        IReadOnlyList<RejectedRow> rejected, List<ExclusionEntry> into, Dictionary<string, long> inputRows)
    {
        var counts = status is CodedStatuses coded ? TallyCodes(coded, lineOf) : null;
        if (counts is null)
        {
            counts = new Dictionary<string, (long Rows, List<long> Lines)>(StringComparer.Ordinal);
            for (int i = 0; i < status.Count; i++)
            {
                if (status[i].Reason is not { } reason) continue;
                if (!counts.TryGetValue(reason, out var c)) c = (0, []);
                if (ExclusionReasons.IsDataError(reason)) c.Lines.Add(lineOf(i));
                counts[reason] = (c.Rows + 1, c.Lines);
            }
        }
        if (rejected.Count > 0)
            counts[ExclusionReasons.Unparseable] = (rejected.Count, rejected.Select(r => r.Line).ToList());
        foreach (var (reason, c) in counts.OrderByDescending(kv => kv.Value.Rows).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            into.Add(new ExclusionEntry(analysis, reason, c.Rows, c.Lines));
        inputRows[analysis] = status.Count + rejected.Count;
    }

    /// <summary>
    /// The same tally from the classification's one byte a row: rows are counted by code, and only the rows of data
    /// errors are looked at one by one (for their lines). Null (tally row by row) when a caller's reason for some rows
    /// is also a classifier's reason, since their lines would then interleave.
    /// </summary>
    private static Dictionary<string, (long Rows, List<long> Lines)>? TallyCodes(CodedStatuses status, Func<int, long> lineOf)
    {
        var reasons = FastJourneyClassifier.Reasons;
        var rows = new long[256];
        var lines = new List<long>?[256];
        var dataError = new bool[256];
        for (int c = 2; c < reasons.Count; c++) dataError[c] = reasons[c] is { } r && ExclusionReasons.IsDataError(r);
        var codes = status.Codes;
        var callers = new Dictionary<string, (long Rows, List<long> Lines)>(StringComparer.Ordinal);
        for (int i = 0; i < codes.Length; i++)
        {
            byte c = codes[i];
            if (c <= 1) continue;
            if (c < reasons.Count)
            {
                rows[c]++;
                if (dataError[c]) (lines[c] ??= []).Add(lineOf(i));
                continue;
            }
            var reason = status[i].Reason!; // a reason given by the caller (a blank covariate)
            if (!callers.TryGetValue(reason, out var e)) e = (0, []);
            if (ExclusionReasons.IsDataError(reason)) e.Lines.Add(lineOf(i));
            callers[reason] = (e.Rows + 1, e.Lines);
        }
        var counts = callers;
        for (int c = 2; c < reasons.Count; c++)
        {
            if (rows[c] == 0) continue;
            if (!counts.TryAdd(reasons[c]!, (rows[c], lines[c] ?? []))) return null;
        }
        return counts;
    }

    /// <summary>The ledger as a table: analysis, reason, rows.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int wa = Math.Max("analysis".Length, _entries.Select(e => e.Analysis.Length).DefaultIfEmpty(0).Max());
        int wr = Math.Max("reason".Length, _entries.Select(e => e.Reason.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"{"analysis".PadRight(wa)}  {"reason".PadRight(wr)}  {"rows",10}");
        foreach (var e in _entries)
            sb.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{e.Analysis.PadRight(wa)}  {e.Reason.PadRight(wr)}  {e.Rows,10:N0}"));
        return sb.ToString();
    }
}

using System.Collections;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// One analysis's row statuses kept as the fast classification's one byte a row (see
/// <see cref="FastJourneyClassifier.Reasons"/>), read as <see cref="RowStatus"/> values on demand: a 5M-row,
/// six-analysis evaluation holds 30 MB of codes instead of 720 MB of statuses.
/// </summary>
internal sealed class CodedStatuses(byte[] codes, int[] areaOf, int[] pairOfArea, byte[] groupOfArea, IReadOnlyList<string?>? rowErrors) : IReadOnlyList<RowStatus>
{
    private const byte Event = 1, CallerError = 255;

    /// <summary>The codes, one a row.</summary>
    public ReadOnlySpan<byte> Codes => codes;

    public RowStatus this[int index]
    {
        get
        {
            byte c = codes[index];
            return c <= Event ? RowStatus.Included(pairOfArea[areaOf[index]], (Group)groupOfArea[areaOf[index]], c == Event)
                : c == CallerError ? RowStatus.Excluded(rowErrors![index]!) : RowStatus.Excluded(FastJourneyClassifier.Reasons[c]!);
        }
    }

    public int Count => codes.Length;

    /// <summary>The pair and group of included row <paramref name="index"/>'s area.</summary>
    public (int Pair, Group Group) CellOf(int index) => (pairOfArea[areaOf[index]], (Group)groupOfArea[areaOf[index]]);

    public IEnumerator<RowStatus> GetEnumerator()
    {
        for (int i = 0; i < codes.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace Evaluation.Stats.Outcomes;

/// <summary>The two arms of a pair.</summary>
public enum Group
{
    /// <summary>The area that made the change.</summary>
    Pilot,
    /// <summary>The similar area that did not.</summary>
    Comparison,
}

/// <summary>
/// Where one input row ended in one analysis: in a cell (<see cref="IsIncluded"/>, with its pair,
/// group and whether it is an event) or in the exclusion ledger with a <see cref="Reason"/>.
/// </summary>
/// <param name="Pair">The index of the pair in the design; -1 when excluded.</param>
/// <param name="Group">The arm of the pair, when included.</param>
/// <param name="IsEvent">True when the row counts as an event (the numerator), when included.</param>
/// <param name="Reason">The exclusion reason (see <see cref="ExclusionReasons"/>); <c>null</c> when included.</param>
public readonly record struct RowStatus(int Pair, Group Group, bool IsEvent, string? Reason)
{
    /// <summary>True when the row is counted in a cell.</summary>
    public bool IsIncluded => Reason is null;

    /// <summary>A row counted in a cell.</summary>
    public static RowStatus Included(int pair, Group group, bool isEvent) => new(pair, group, isEvent, null);

    /// <summary>A row set aside with <paramref name="reason"/>.</summary>
    public static RowStatus Excluded(string reason) => new(-1, default, false, reason);
}

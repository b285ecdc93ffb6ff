using System.Collections.Frozen;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// One community treatment journey (methodology §2). Immutable.
/// </summary>
/// <param name="ClientId">The client's identifier. A client may have several journeys.</param>
/// <param name="Area">The area (for example a DAT) that recorded the journey.</param>
/// <param name="Start">The journey's start date.</param>
/// <param name="End">The journey's end date; <c>null</c> while the journey is ongoing or when it was not recorded.</param>
/// <param name="ExitReason">The NDTMS exit reason code; <c>null</c> when there is no exit.</param>
/// <param name="Age">The client's age in whole years at the journey's start; <c>null</c> when not recorded (a data error).</param>
public sealed record Journey(string ClientId, string Area, DateOnly Start, DateOnly? End, int? ExitReason, int? Age)
{
    /// <summary>Client characteristics by column name (for example <c>sex</c>, <c>ethnicity</c>). A blank value is <c>null</c>.</summary>
    public IReadOnlyDictionary<string, string?> Characteristics { get; init; } = FrozenDictionary<string, string?>.Empty;

    /// <summary>The 1-based line of the source file this record came from, or 0 when it did not come from a file.</summary>
    public long SourceLine { get; init; }

    /// <summary>The date the client was referred for this journey (optional column <c>referral_date</c>; methodology §13 waiting times).</summary>
    public DateOnly? ReferralDate { get; init; }

    /// <summary>The date of the journey's first intervention (optional column <c>first_intervention_date</c>; methodology §13 waiting times).</summary>
    public DateOnly? FirstInterventionDate { get; init; }
}

/// <summary>
/// One referral from a prison drug service to a community criminal-justice team (methodology §3). Immutable.
/// </summary>
/// <param name="ReferralId">The referral's identifier.</param>
/// <param name="ClientId">The client's identifier. A client may have several referrals, each counted.</param>
/// <param name="Area">The area where the client lives.</param>
/// <param name="CjitArea">The area of the team the referral went to. The referral is local when this equals <paramref name="Area"/>.</param>
/// <param name="Prison">The prison the client left.</param>
/// <param name="PrisonLeavingDate">The date the client left prison: the index date of the outcome.</param>
public sealed record Referral(string ReferralId, string ClientId, string Area, string CjitArea, string Prison, DateOnly PrisonLeavingDate)
{
    /// <summary>Client characteristics by column name. A blank value is <c>null</c>.</summary>
    public IReadOnlyDictionary<string, string?> Characteristics { get; init; } = FrozenDictionary<string, string?>.Empty;

    /// <summary>The 1-based line of the source file this record came from, or 0 when it did not come from a file.</summary>
    public long SourceLine { get; init; }
}

/// <summary>A community team's pick-up of a client released from prison: a care plan started on <paramref name="CarePlanDate"/>.</summary>
/// <param name="ClientId">The client's identifier.</param>
/// <param name="Prison">The prison the referral came from.</param>
/// <param name="CarePlanDate">The date the care plan was made.</param>
public sealed record Pickup(string ClientId, string Prison, DateOnly CarePlanDate)
{
    /// <summary>The 1-based line of the source file this record came from, or 0 when it did not come from a file.</summary>
    public long SourceLine { get; init; }
}

/// <summary>One area's aggregate counts for one quarter (methodology §4).</summary>
/// <param name="Area">The area.</param>
/// <param name="QuarterStart">The first day of the quarter; the quarter runs three calendar months from it.</param>
/// <param name="Count">The base count, for example clients referred in the quarter (the denominator).</param>
/// <param name="Successes">How many of <paramref name="Count"/> succeeded, for example were triaged within six weeks.</param>
public sealed record QuarterlyCount(string Area, DateOnly QuarterStart, long Count, long Successes)
{
    /// <summary>The 1-based line of the source file this record came from, or 0 when it did not come from a file.</summary>
    public long SourceLine { get; init; }
}

/// <summary>
/// A row of an input file that did not parse and was set aside (<c>--on-bad-rows exclude</c>) rather than stopping the run.
/// It is counted in every analysis's exclusion ledger as <see cref="ExclusionReasons.Unparseable"/>.
/// </summary>
/// <param name="Line">The 1-based line number of the row in its file.</param>
/// <param name="Column">The column that failed to parse, or <c>null</c> for a ragged row.</param>
/// <param name="Message">What was wrong.</param>
public sealed record RejectedRow(long Line, string? Column, string Message);

/// <summary>
/// Records read from a source, with the rows that were set aside because they did not parse.
/// Every data row of the source is in exactly one of the two lists.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Records">The rows that parsed, in input order.</param>
/// <param name="Rejected">The rows that did not parse and were set aside.</param>
public sealed record RecordSet<T>(IReadOnlyList<T> Records, IReadOnlyList<RejectedRow> Rejected)
{
    /// <summary>A record set with no rejected rows.</summary>
    public RecordSet(IReadOnlyList<T> records) : this(records, Array.Empty<RejectedRow>()) { }

    /// <summary>Every data row of the source: parsed plus rejected.</summary>
    public long InputRows => Records.Count + Rejected.Count;
}

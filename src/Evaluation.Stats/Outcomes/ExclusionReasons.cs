namespace Evaluation.Stats.Outcomes;

/// <summary>
/// The reasons a row is set aside from an analysis (methodology §8). These strings appear in the
/// exclusion ledger and in the CLI's JSON; they are part of the public contract.
/// </summary>
public static class ExclusionReasons
{
    /// <summary>The prefix shared by every data-error reason: a row that parses but cannot be right.</summary>
    public const string DataErrorPrefix = "data error: ";

    /// <summary>A row that did not parse and was set aside with <c>--on-bad-rows exclude</c>.</summary>
    public const string Unparseable = "data error: unparseable row";

    /// <summary>A journey whose end date is before its start date.</summary>
    public const string EndBeforeStart = "data error: end before start";

    /// <summary>A journey with an exit reason but no end date.</summary>
    public const string ExitReasonWithoutEnd = "data error: exit reason without end date";

    /// <summary>A journey or referral with no age.</summary>
    public const string MissingAge = "data error: missing age";

    /// <summary>A journey or referral with a negative age.</summary>
    public const string NegativeAge = "data error: negative age";

    /// <summary>A row with a blank value in a numeric covariate of the model.</summary>
    public const string BlankNumericCovariate = "data error: blank numeric covariate";

    /// <summary>A quarterly row with a negative count, or more successes than its count.</summary>
    public const string InvalidCounts = "data error: invalid counts";

    /// <summary>A row whose area belongs to no pair of the design.</summary>
    public const string AreaNotInPair = "area not in any pair";

    /// <summary>A journey that does not cross into the window, or a referral whose leaving date is outside it.</summary>
    public const string OutsideWindow = "outside window";

    /// <summary>A journey that crosses into the window but starts too late to reach the effective-treatment length before the window ends.</summary>
    public const string StartedTooLate = "started too late to reach effective length";

    /// <summary>A journey that is not the client's latest candidate in the window.</summary>
    public const string NotLatest = "not the client's latest journey";

    /// <summary>A client younger than the minimum age on the selected journey.</summary>
    public const string UnderMinimumAge = "under minimum age";

    /// <summary>A client whose selected journey did not end inside the window (successful completion only).</summary>
    public const string NotEndedInWindow = "journey not ended in window";

    /// <summary>A referral whose leaving date is inside the window but leaves fewer than F days of follow-up.</summary>
    public const string NoFollowUp = "leaving date within follow-up days of window end";

    /// <summary>A referral to a team in another area.</summary>
    public const string NotLocal = "not local";

    /// <summary>A pilot-area referral from a prison that is not on the pair's list of pilot prisons.</summary>
    public const string NotPilotPrison = "not from a pilot prison";

    /// <summary>A quarter that does not lie wholly inside the window.</summary>
    public const string QuarterNotInWindow = "quarter not wholly inside window";

    /// <summary>True when <paramref name="reason"/> is a data error, whose line numbers the ledger keeps.</summary>
    public static bool IsDataError(string reason) => reason.StartsWith(DataErrorPrefix, StringComparison.Ordinal);
}

using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Indicators;

/// <summary>
/// The exclusion-ledger reasons of the national indicators (methodology §13), beside the journey reasons of
/// <see cref="ExclusionReasons"/>. These strings appear in the ledger and the CLI's JSON; they are part of the public contract.
/// </summary>
public static class IndicatorReasons
{
    /// <summary>A caseload client whose selected journey completed after <c>e − R</c>: the R days after it are not all observed.</summary>
    public const string FollowUpIncomplete = "follow-up incomplete";

    /// <summary>A journey starting in the window without both <c>referral_date</c> and <c>first_intervention_date</c>.</summary>
    public const string NoWaitingTime = "no waiting time recorded";

    /// <summary>A journey whose first intervention is dated before its referral.</summary>
    public const string FirstInterventionBeforeReferral = "data error: first intervention before referral";

    /// <summary>A journey that did not start inside the window (waiting times count journeys by their start).</summary>
    public const string NotStartedInWindow = "journey not started in window";

    /// <summary>A TOP row whose client has no journey at all.</summary>
    public const string ClientNotInJourneys = "client not in journeys";

    /// <summary>A review or exit TOP: read as a follow-up of a start TOP, never an index itself.</summary>
    public const string NotStartTop = "review or exit TOP (follow-up, not an index)";

    /// <summary>A start TOP dated outside the window.</summary>
    public const string TopOutsideWindow = "start TOP outside window";

    /// <summary>A start TOP in the window that is not the client's latest one there.</summary>
    public const string NotLatestStartTop = "not the client's latest start TOP in the window";

    /// <summary>A start TOP whose client has no valid journey starting on or before the TOP date (so no area and age).</summary>
    public const string NoJourneyAtTop = "no journey started by the TOP date";

    /// <summary>A start TOP with no review or exit TOP 5 to 26 weeks (35 to 182 days) later.</summary>
    public const string NoReview = "no review 5 to 26 weeks after start";

    /// <summary>A start TOP or its review with the substance's days of use blank.</summary>
    public const string SubstanceNotRecorded = "substance not recorded";

    /// <summary>A client reporting no use of the substance at the start TOP (abstinence is measured among users at start).</summary>
    public const string NotUsingAtStart = "not using the substance at start";

    /// <summary>A TOP row with days of use outside 0 to 28 (the TOP asks about the last 28 days).</summary>
    public const string DaysOutOfRange = "data error: days of use outside 0 to 28";
}

/// <summary>The parameters of the national indicators (methodology §13), validated; <see cref="Default"/> holds the national values.</summary>
public sealed record IndicatorOptions
{
    /// <summary>R = 182 and 365 days, waits over 21 and 42 days, reviews 35 to 182 days after the start TOP.</summary>
    public static IndicatorOptions Default { get; } = new();

    private readonly IReadOnlyList<int> _representationDays = [182, 365];
    private readonly IReadOnlyList<int> _waitThresholds = [21, 42];

    /// <summary>The follow-up periods R, in days, for completion without re-presentation: 182 (six months) and 365 (twelve).</summary>
    public IReadOnlyList<int> RepresentationDays
    {
        get => _representationDays;
        init => _representationDays = Positive(value, nameof(RepresentationDays));
    }

    /// <summary>The waiting-time thresholds in days: a wait over 21 days (three weeks) and over 42 (six weeks).</summary>
    public IReadOnlyList<int> WaitThresholds
    {
        get => _waitThresholds;
        init => _waitThresholds = Positive(value, nameof(WaitThresholds));
    }

    /// <summary>The first day after the start TOP on which a review counts: 35 (5 weeks).</summary>
    public int ReviewFromDays { get; init; } = 35;

    /// <summary>The last day after the start TOP on which a review counts: 182 (26 weeks).</summary>
    public int ReviewToDays { get; init; } = 182;

    /// <summary>A benchmark proportion for the funnel limits of every proportion; <c>null</c> to use each indicator's all-area proportion.</summary>
    public double? Benchmark { get; init; }

    private static int[] Positive(IReadOnlyList<int> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || values.Any(v => v < 1) || values.Distinct().Count() != values.Count)
            throw new ArgumentException($"{name} needs distinct values of 1 day or more; got [{string.Join(", ", values)}].", name);
        return values.ToArray();
    }

    /// <summary>Checks the review range.</summary>
    internal void Validate()
    {
        if (ReviewFromDays < 1 || ReviewToDays < ReviewFromDays)
            throw new ArgumentException($"The TOP review range must be 1 day or more after the start and not end before it begins; got {ReviewFromDays} to {ReviewToDays} days.");
        if (Benchmark is double b && !(b > 0 && b < 1))
            throw new ArgumentException($"The funnel benchmark must be a proportion strictly between 0 and 1; got {b}.");
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Indicators;

/// <summary>
/// The reference classification of the journey indicators of methodology §13, written record at a time to be read
/// against the specification; <see cref="FastIndicatorClassifier"/> gives the same answers on columns. Each method
/// returns, for every input journey, where it ends in one analysis: in a cell or in the ledger with a reason.
/// </summary>
public static class IndicatorClassifier
{
    /// <summary>A year of 365.25 days, the unit of the time-in-treatment bands.</summary>
    public const double DaysPerYear = 365.25;

    /// <summary>
    /// Completion without re-presentation within <paramref name="days"/> (R) days. The denominator is the caseload of
    /// §2.1. A caseload client is an event when the selected journey ended in <c>[s, e − R]</c> with a completed exit
    /// and no journey of the client (any row, any area) starts in <c>(end, end + R]</c>. A selected journey that
    /// completed in <c>(e − R, e]</c> sends the client to the ledger as <see cref="IndicatorReasons.FollowUpIncomplete"/>;
    /// one still open at <c>e</c> (a blank end or an end after <c>e</c>), or ended without a completion, is a non-event.
    /// </summary>
    /// <remarks>
    /// A re-presentation that starts on or before <c>e − D</c> is itself a caseload candidate and, being later, becomes
    /// the client's selected journey; so the test on later starts matters for re-presentations in the window's last D
    /// days or after it. Both count.
    /// </remarks>
    public static RowStatus[] Representation(IReadOnlyList<Journey> journeys, DateWindow window, int days, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var status = JourneyClassifier.Classify(journeys, window, JourneyOutcome.EffectiveTreatment, rules, pairs, rowErrors);
        var starts = new Dictionary<string, List<DateOnly>>(StringComparer.Ordinal);
        foreach (var j in journeys)
        {
            if (!starts.TryGetValue(j.ClientId, out var list)) starts[j.ClientId] = list = [];
            list.Add(j.Start);
        }
        var lastFollowed = window.End.AddDays(-days);
        for (int i = 0; i < status.Length; i++)
        {
            if (!status[i].IsIncluded) continue;
            var j = journeys[i];
            if (j.End is DateOnly end && end <= window.End && rules.IsCompleted(j.ExitReason))
            {
                if (end > lastFollowed) { status[i] = RowStatus.Excluded(IndicatorReasons.FollowUpIncomplete); continue; }
                var until = end.AddDays(days);
                bool represented = starts[j.ClientId].Any(s => s > end && s <= until);
                status[i] = status[i] with { IsEvent = !represented };
            }
            else
            {
                status[i] = status[i] with { IsEvent = false };
            }
        }
        return status;
    }

    /// <summary>
    /// Time in treatment: each client's latest journey crossing into W (the selection of §2.2, with the minimum age
    /// and the pairs' areas, but no requirement to have ended) is in the cell with its days from start to
    /// <c>min(end, e)</c> in <paramref name="days"/>; the event is two years (730.5 days) or more.
    /// </summary>
    /// <param name="journeys">The journeys.</param>
    /// <param name="window">W.</param>
    /// <param name="rules">The minimum age and completed exit reasons.</param>
    /// <param name="pairs">The pairs.</param>
    /// <param name="days">Set to the days in treatment of each included row, -1 elsewhere.</param>
    public static RowStatus[] TimeInTreatment(IReadOnlyList<Journey> journeys, DateWindow window, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, out int[] days)
    {
        var status = JourneyClassifier.Classify(journeys, window, JourneyOutcome.SuccessfulCompletion, rules, pairs);
        var areas = new AreaMap(pairs);
        days = new int[status.Length];
        for (int i = 0; i < status.Length; i++)
        {
            days[i] = -1;
            if (status[i].Reason == ExclusionReasons.NotEndedInWindow)
            {
                areas.TryFind(journeys[i].Area, out int pair, out var group);
                status[i] = RowStatus.Included(pair, group, false);
            }
            if (!status[i].IsIncluded) continue;
            var j = journeys[i];
            var until = j.End is DateOnly e && e < window.End ? e : window.End;
            days[i] = until.DayNumber - j.Start.DayNumber;
            status[i] = status[i] with { IsEvent = days[i] >= 2 * DaysPerYear };
        }
        return status;
    }

    /// <summary>
    /// Waiting times: every journey that starts in W, in a pair's area, at or over the minimum age and without a data
    /// error is in the cell when it has both <c>referral_date</c> and <c>first_intervention_date</c>, with its wait in
    /// days (first intervention minus referral) in <paramref name="waits"/>; without them it goes to the ledger as
    /// <see cref="IndicatorReasons.NoWaitingTime"/>. A first intervention before the referral is a data error, checked
    /// with the others before any other test. The event is a wait over <paramref name="threshold"/> days.
    /// </summary>
    public static RowStatus[] WaitingTimes(IReadOnlyList<Journey> journeys, DateWindow window, JourneyRules rules,
        IReadOnlyList<AreaPair> pairs, int threshold, out int[] waits)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(window);
        var areas = new AreaMap(pairs);
        var status = new RowStatus[journeys.Count];
        waits = new int[journeys.Count];
        for (int i = 0; i < journeys.Count; i++)
        {
            var j = journeys[i];
            waits[i] = -1;
            var error = JourneyClassifier.DataError(j) ?? WaitError(j);
            if (error is not null) status[i] = RowStatus.Excluded(error);
            else if (!window.Contains(j.Start)) status[i] = RowStatus.Excluded(IndicatorReasons.NotStartedInWindow);
            else if (!areas.TryFind(j.Area, out int pair, out var group)) status[i] = RowStatus.Excluded(ExclusionReasons.AreaNotInPair);
            else if (j.Age < rules.MinimumAge) status[i] = RowStatus.Excluded(ExclusionReasons.UnderMinimumAge);
            else if (j.ReferralDate is not DateOnly referral || j.FirstInterventionDate is not DateOnly first)
                status[i] = RowStatus.Excluded(IndicatorReasons.NoWaitingTime);
            else
            {
                waits[i] = first.DayNumber - referral.DayNumber;
                status[i] = RowStatus.Included(pair, group, waits[i] > threshold);
            }
        }
        return status;
    }

    /// <summary>The waiting-time data error of a journey, or <c>null</c>.</summary>
    public static string? WaitError(Journey journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return journey.ReferralDate is DateOnly r && journey.FirstInterventionDate is DateOnly f && f < r
            ? IndicatorReasons.FirstInterventionBeforeReferral : null;
    }
}

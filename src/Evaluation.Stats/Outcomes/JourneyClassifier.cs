using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Outcomes;

/// <summary>The journey outcomes of methodology §2.</summary>
public enum JourneyOutcome
{
    /// <summary>§2.1: in treatment for at least D days, or completed, among clients in treatment.</summary>
    EffectiveTreatment,
    /// <summary>§2.2: completed, among clients whose latest journey ended in the window.</summary>
    SuccessfulCompletion,
    /// <summary>§2.3: the completions of §2.2 over the caseload of §2.1 (the report's "SC as % of TT").</summary>
    SuccessfulCompletionOfCaseload,
}

/// <summary>
/// The reference classification of journeys (methodology §2), written record at a time to be read
/// against the specification. For each input row it returns where that row ends: in a cell, or in
/// the exclusion ledger with a reason.
/// </summary>
/// <remarks>
/// Order of the tests, each applied only to rows that passed the earlier ones:
/// data errors; crossing into the window; (effective treatment) starting on or before <c>end - D</c>;
/// being the client's latest candidate; the area belonging to a pair; the minimum age;
/// (successful completion) ending inside the window. The latest journey is chosen per client id
/// across every area of the input.
/// </remarks>
public static class JourneyClassifier
{
    /// <summary>Classifies every journey for one outcome in one window.</summary>
    /// <param name="journeys">The journeys, in input order (the order breaks the last tie of §2).</param>
    /// <param name="window">The window W.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="rules">Minimum age, D and the completed exit reasons.</param>
    /// <param name="pairs">The design's pairs; rows of other areas are excluded.</param>
    /// <param name="rowErrors">Optional extra data errors found by the caller (for example a blank numeric covariate), one per row, <c>null</c> where none.</param>
    /// <returns>One <see cref="RowStatus"/> per journey, aligned with <paramref name="journeys"/>.</returns>
    public static RowStatus[] Classify(IReadOnlyList<Journey> journeys, DateWindow window, JourneyOutcome outcome,
        JourneyRules rules, IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(pairs);
        if (rowErrors is not null && rowErrors.Count != journeys.Count)
            throw new ArgumentException($"rowErrors has {rowErrors.Count} entries for {journeys.Count} journeys.", nameof(rowErrors));
        var areas = new AreaMap(pairs);
        return outcome switch
        {
            JourneyOutcome.EffectiveTreatment => Select(journeys, window, rules, areas, rowErrors, effective: true),
            JourneyOutcome.SuccessfulCompletion => Select(journeys, window, rules, areas, rowErrors, effective: false),
            JourneyOutcome.SuccessfulCompletionOfCaseload => OfCaseload(journeys, window, rules, areas, rowErrors),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
        };
    }

    /// <summary>The data error of a journey that parses but cannot be right, or <c>null</c>.</summary>
    public static string? DataError(Journey journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        int code = JourneyPredicates.DataError(journey.Start.DayNumber, EndDay(journey), journey.ExitReason ?? JourneyTable.Blank, journey.Age ?? JourneyTable.Blank);
        return code == 0 ? null : JourneyPredicates.DataErrorReasons[code - 1];
    }

    /// <summary>True when the journey crosses into W: it starts on or before W's end and has not ended before W's start.</summary>
    public static bool CrossesInto(Journey journey, DateWindow window) =>
        JourneyPredicates.CrossesInto<Day, bool>(new(journey.Start.DayNumber), new(EndDay(journey)), new(window.Start.DayNumber), new(window.End.DayNumber));

    /// <summary>
    /// True when <paramref name="a"/> (at input position <paramref name="ia"/>) is later than <paramref name="b"/>
    /// (at <paramref name="ib"/>): a greater start; then a blank end over any end; then a later end; then the later row.
    /// </summary>
    public static bool IsLater(Journey a, int ia, Journey b, int ib)
    {
        long ka = JourneyPredicates.LatestKey(a.Start.DayNumber, EndDay(a)), kb = JourneyPredicates.LatestKey(b.Start.DayNumber, EndDay(b));
        return ka != kb ? ka > kb : ia > ib;
    }

    /// <summary>§2.1 step 3: the journey ended within W with a completed exit reason, or lasted at least D days up to W's end.</summary>
    public static bool IsEffective(Journey journey, DateWindow window, JourneyRules rules) =>
        JourneyPredicates.IsEffective<Day, bool>(new(journey.Start.DayNumber), new(EndDay(journey)), new(window.End.DayNumber),
            new(rules.EffectiveTreatmentDays), rules.IsCompleted(journey.ExitReason));

    private static int EndDay(Journey journey) => journey.End?.DayNumber ?? JourneyTable.NoEnd;

    private static RowStatus[] Select(IReadOnlyList<Journey> journeys, DateWindow w, JourneyRules rules, AreaMap areas,
        IReadOnlyList<string?>? rowErrors, bool effective)
    {
        var status = new RowStatus[journeys.Count];
        int latestStart = w.End.DayNumber - rules.EffectiveTreatmentDays;
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < journeys.Count; i++)
        {
            var j = journeys[i];
            var error = rowErrors?[i] ?? DataError(j);
            if (error is not null) { status[i] = RowStatus.Excluded(error); continue; }
            if (!CrossesInto(j, w)) { status[i] = RowStatus.Excluded(ExclusionReasons.OutsideWindow); continue; }
            if (effective && !JourneyPredicates.StartsInTime<Day, bool>(new(j.Start.DayNumber), new(latestStart))) { status[i] = RowStatus.Excluded(ExclusionReasons.StartedTooLate); continue; }
            if (latest.TryGetValue(j.ClientId, out int other))
            {
                if (IsLater(j, i, journeys[other], other))
                {
                    status[other] = RowStatus.Excluded(ExclusionReasons.NotLatest);
                    latest[j.ClientId] = i;
                }
                else
                {
                    status[i] = RowStatus.Excluded(ExclusionReasons.NotLatest);
                }
            }
            else
            {
                latest[j.ClientId] = i;
            }
        }

        foreach (int i in latest.Values)
        {
            var j = journeys[i];
            if (!areas.TryFind(j.Area, out int pair, out var group)) status[i] = RowStatus.Excluded(ExclusionReasons.AreaNotInPair);
            else if (j.Age < rules.MinimumAge) status[i] = RowStatus.Excluded(ExclusionReasons.UnderMinimumAge);
            else if (effective) status[i] = RowStatus.Included(pair, group, IsEffective(j, w, rules));
            else if (!JourneyPredicates.EndedInWindow<Day, bool>(new(EndDay(j)), new(w.End.DayNumber))) status[i] = RowStatus.Excluded(ExclusionReasons.NotEndedInWindow);
            else status[i] = RowStatus.Included(pair, group, rules.IsCompleted(j.ExitReason));
        }
        return status;
    }

    // §2.3: the caseload of §2.1 is the denominator; a client of that caseload is an event when
    // the client has a successful completion under §2.2.
    private static RowStatus[] OfCaseload(IReadOnlyList<Journey> journeys, DateWindow w, JourneyRules rules, AreaMap areas,
        IReadOnlyList<string?>? rowErrors)
    {
        var caseload = Select(journeys, w, rules, areas, rowErrors, effective: true);
        var completion = Select(journeys, w, rules, areas, rowErrors, effective: false);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < completion.Length; i++)
            if (completion[i].IsIncluded && completion[i].IsEvent) completed.Add(journeys[i].ClientId);
        for (int i = 0; i < caseload.Length; i++)
            if (caseload[i].IsIncluded)
                caseload[i] = caseload[i] with { IsEvent = completed.Contains(journeys[i].ClientId) };
        return caseload;
    }
}

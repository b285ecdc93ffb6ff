using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// The reference classification of prison referrals (methodology §3), record at a time.
/// The unit is the referral, so a client can count more than once.
/// </summary>
/// <remarks>
/// Order of the tests: data errors; the leaving date inside W; the leaving date leaving F days of
/// follow-up (<c>[s, e - F]</c>); the area belonging to a pair; the referral being local; for a pilot
/// area with a list of pilot prisons, the prison being on it. An eligible referral is an event when a
/// pick-up has the same client and prison and a care plan date in <c>[leaving, leaving + F]</c>.
/// </remarks>
public static class ReferralClassifier
{
    /// <summary>Classifies every referral for one window.</summary>
    /// <param name="referrals">The referrals, in input order.</param>
    /// <param name="pickups">Every pick-up, from any window: a pick-up after W's end still counts within the follow-up.</param>
    /// <param name="window">The window W.</param>
    /// <param name="followUpDays">F, the days allowed for a pick-up (42 by default, <see cref="Nta.ReferralFollowUpDays"/>).</param>
    /// <param name="pairs">The design's pairs.</param>
    /// <param name="rowErrors">Optional data errors found by the caller, one per referral, <c>null</c> where none.</param>
    /// <returns>One <see cref="RowStatus"/> per referral.</returns>
    public static RowStatus[] Classify(IReadOnlyList<Referral> referrals, IReadOnlyList<Pickup> pickups, DateWindow window,
        int followUpDays, IReadOnlyList<AreaPair> pairs, IReadOnlyList<string?>? rowErrors = null)
    {
        ArgumentNullException.ThrowIfNull(referrals);
        ArgumentNullException.ThrowIfNull(pickups);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(pairs);
        if (rowErrors is not null && rowErrors.Count != referrals.Count)
            throw new ArgumentException($"rowErrors has {rowErrors.Count} entries for {referrals.Count} referrals.", nameof(rowErrors));
        var eligible = window.TruncateForFollowUp(followUpDays);
        var areas = new AreaMap(pairs);
        var prisons = pairs.Select(p => p.PilotPrisons is null ? null : new HashSet<string>(p.PilotPrisons, StringComparer.Ordinal)).ToArray();
        var carePlans = IndexPickups(pickups);

        var status = new RowStatus[referrals.Count];
        for (int i = 0; i < referrals.Count; i++)
        {
            var r = referrals[i];
            string? reason = rowErrors?[i];
            int pair = -1;
            Group group = default;
            if (reason is null && !window.Contains(r.PrisonLeavingDate)) reason = ExclusionReasons.OutsideWindow;
            if (reason is null && !eligible.Contains(r.PrisonLeavingDate)) reason = ExclusionReasons.NoFollowUp;
            if (reason is null && !areas.TryFind(r.Area, out pair, out group)) reason = ExclusionReasons.AreaNotInPair;
            if (reason is null && !string.Equals(r.CjitArea, r.Area, StringComparison.Ordinal)) reason = ExclusionReasons.NotLocal;
            if (reason is null && group == Group.Pilot && prisons[pair] is { } list && !list.Contains(r.Prison)) reason = ExclusionReasons.NotPilotPrison;
            status[i] = reason is null
                ? RowStatus.Included(pair, group, IsPickedUp(r, carePlans, followUpDays))
                : RowStatus.Excluded(reason);
        }
        return status;
    }

    /// <summary>True when a care plan for the same client and prison falls in <c>[leaving, leaving + F]</c>.</summary>
    private static bool IsPickedUp(Referral r, Dictionary<(string, string), List<DateOnly>> carePlans, int followUpDays)
    {
        if (!carePlans.TryGetValue((r.ClientId, r.Prison), out var dates)) return false;
        int k = dates.BinarySearch(r.PrisonLeavingDate);
        if (k < 0) k = ~k; // first date on or after the leaving date
        return k < dates.Count && dates[k] <= r.PrisonLeavingDate.AddDays(followUpDays);
    }

    private static Dictionary<(string, string), List<DateOnly>> IndexPickups(IReadOnlyList<Pickup> pickups)
    {
        var index = new Dictionary<(string, string), List<DateOnly>>();
        foreach (var p in pickups)
        {
            if (!index.TryGetValue((p.ClientId, p.Prison), out var list)) index[(p.ClientId, p.Prison)] = list = [];
            list.Add(p.CarePlanDate);
        }
        foreach (var list in index.Values) list.Sort();
        return index;
    }
}

/// <summary>The reference classification of quarterly aggregate rows (methodology §4).</summary>
public static class QuarterlyClassifier
{
    /// <summary>The data error of a quarterly row that parses but cannot be right, or <c>null</c>.</summary>
    public static string? DataError(QuarterlyCount row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Count < 0 || row.Successes < 0 || row.Successes > row.Count ? ExclusionReasons.InvalidCounts : null;
    }

    /// <summary>
    /// Classifies every quarterly row for one window: a row counts when its area is in a pair and its quarter
    /// lies wholly inside the window. <see cref="RowStatus.IsEvent"/> is not used here; the counts are summed by the caller.
    /// </summary>
    public static RowStatus[] Classify(IReadOnlyList<QuarterlyCount> rows, DateWindow window, IReadOnlyList<AreaPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(pairs);
        var areas = new AreaMap(pairs);
        var status = new RowStatus[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string? reason = DataError(r);
            int pair = -1;
            Group group = default;
            if (reason is null && !new Quarter(r.QuarterStart).LiesWhollyInside(window)) reason = ExclusionReasons.QuarterNotInWindow;
            if (reason is null && !areas.TryFind(r.Area, out pair, out group)) reason = ExclusionReasons.AreaNotInPair;
            status[i] = reason is null ? RowStatus.Included(pair, group, false) : RowStatus.Excluded(reason);
        }
        return status;
    }
}

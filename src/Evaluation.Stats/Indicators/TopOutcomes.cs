using System.Collections.Frozen;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Indicators;

/// <summary>The kind of a Treatment Outcomes Profile (TOP) interview.</summary>
public enum TopReviewType
{
    /// <summary>At the start of treatment: the index of the outcome.</summary>
    Start,
    /// <summary>A review during treatment.</summary>
    Review,
    /// <summary>At exit from treatment.</summary>
    Exit,
}

/// <summary>
/// One Treatment Outcomes Profile interview (methodology §13): the client, the date, the kind, and for each substance
/// the days of use in the 28 days before it (<c>null</c> when not recorded). Immutable.
/// </summary>
/// <param name="ClientId">The client, as in the journeys.</param>
/// <param name="ReviewDate">The interview date.</param>
/// <param name="ReviewType">Start, review or exit.</param>
public sealed record TopRecord(string ClientId, DateOnly ReviewDate, TopReviewType ReviewType)
{
    /// <summary>Days of use in the last 28 days, by substance column (for example <c>opiates</c>); <c>null</c> where blank.</summary>
    public IReadOnlyDictionary<string, int?> DaysOfUse { get; init; } = FrozenDictionary<string, int?>.Empty;

    /// <summary>The 1-based line of the source file this record came from, or 0 when it did not come from a file.</summary>
    public long SourceLine { get; init; }
}

/// <summary>
/// The reference classification of TOP abstinence (methodology §13), per substance and window. Each TOP row ends in
/// one place: a client's start TOP is in the cell, every other row is in the ledger with its reason.
/// </summary>
/// <remarks>
/// Rules in order, each applied to the rows that passed the earlier ones: days of use outside 0 to 28 (a data error);
/// a client with no journey at all; review and exit TOPs (follow-ups, never an index); a start TOP outside W; not the
/// client's latest start TOP in W (greatest date, then the later row); the client's latest valid journey (the §2 order)
/// that started on or before the TOP date gives the area and age: none, an area in no pair, or an age under the
/// minimum sends the row to the ledger; the outcome review is the client's latest review or exit TOP 35 to 182 days
/// (5 to 26 weeks, both included) after the start, none sends it to the ledger (it may fall after W); then, for the
/// substance: blank at start or review, or no use at start, sends it to the ledger; otherwise it is in the cell and
/// is an event when its days of use at the review are 0.
/// </remarks>
public static class TopClassifier
{
    /// <summary>The substance columns of a set of TOP records: every key of their <see cref="TopRecord.DaysOfUse"/>, in first-seen order.</summary>
    public static IReadOnlyList<string> Substances(IEnumerable<TopRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var seen = new List<string>();
        foreach (var r in records)
            foreach (var k in r.DaysOfUse.Keys)
                if (!seen.Contains(k)) seen.Add(k);
        return seen;
    }

    /// <summary>Classifies every TOP row for abstinence from <paramref name="substance"/> in <paramref name="window"/>.</summary>
    public static RowStatus[] Classify(IReadOnlyList<TopRecord> top, IReadOnlyList<Journey> journeys, DateWindow window, string substance,
        JourneyRules rules, IReadOnlyList<AreaPair> pairs, IndicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rules);
        options ??= IndicatorOptions.Default;
        options.Validate();
        var areas = new AreaMap(pairs);
        var byClient = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < journeys.Count; i++)
        {
            if (!byClient.TryGetValue(journeys[i].ClientId, out var list)) byClient[journeys[i].ClientId] = list = [];
            list.Add(i);
        }
        var topByClient = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < top.Count; i++)
        {
            if (!topByClient.TryGetValue(top[i].ClientId, out var list)) topByClient[top[i].ClientId] = list = [];
            list.Add(i);
        }

        var status = new RowStatus[top.Count];
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < top.Count; i++)
        {
            var t = top[i];
            if (DataError(t) is { } error) status[i] = RowStatus.Excluded(error);
            else if (!byClient.ContainsKey(t.ClientId)) status[i] = RowStatus.Excluded(IndicatorReasons.ClientNotInJourneys);
            else if (t.ReviewType != TopReviewType.Start) status[i] = RowStatus.Excluded(IndicatorReasons.NotStartTop);
            else if (!window.Contains(t.ReviewDate)) status[i] = RowStatus.Excluded(IndicatorReasons.TopOutsideWindow);
            else if (latest.TryGetValue(t.ClientId, out int other))
            {
                // The later date wins; on a tie, the later row.
                if (t.ReviewDate >= top[other].ReviewDate) { status[other] = RowStatus.Excluded(IndicatorReasons.NotLatestStartTop); latest[t.ClientId] = i; }
                else status[i] = RowStatus.Excluded(IndicatorReasons.NotLatestStartTop);
            }
            else latest[t.ClientId] = i;
        }

        foreach (var (client, i) in latest)
        {
            var t = top[i];
            int journey = -1;
            foreach (int k in byClient[client])
            {
                var j = journeys[k];
                if (JourneyClassifier.DataError(j) is not null || j.Start > t.ReviewDate) continue;
                if (journey < 0 || JourneyClassifier.IsLater(j, k, journeys[journey], journey)) journey = k;
            }
            if (journey < 0) { status[i] = RowStatus.Excluded(IndicatorReasons.NoJourneyAtTop); continue; }
            if (!areas.TryFind(journeys[journey].Area, out int pair, out var group)) { status[i] = RowStatus.Excluded(ExclusionReasons.AreaNotInPair); continue; }
            if (journeys[journey].Age < rules.MinimumAge) { status[i] = RowStatus.Excluded(ExclusionReasons.UnderMinimumAge); continue; }
            int review = -1;
            DateOnly from = t.ReviewDate.AddDays(options.ReviewFromDays), to = t.ReviewDate.AddDays(options.ReviewToDays);
            foreach (int k in topByClient[client])
            {
                var r = top[k];
                if (r.ReviewType == TopReviewType.Start || r.ReviewDate < from || r.ReviewDate > to || DataError(r) is not null) continue;
                if (review < 0 || r.ReviewDate >= top[review].ReviewDate) review = k;
            }
            if (review < 0) { status[i] = RowStatus.Excluded(IndicatorReasons.NoReview); continue; }
            int? atStart = t.DaysOfUse.GetValueOrDefault(substance), atReview = top[review].DaysOfUse.GetValueOrDefault(substance);
            if (atStart is null || atReview is null) status[i] = RowStatus.Excluded(IndicatorReasons.SubstanceNotRecorded);
            else if (atStart == 0) status[i] = RowStatus.Excluded(IndicatorReasons.NotUsingAtStart);
            else status[i] = RowStatus.Included(pair, group, atReview == 0);
        }
        return status;
    }

    /// <summary>The data error of a TOP row (days of use outside 0 to 28), or <c>null</c>.</summary>
    public static string? DataError(TopRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var d in record.DaysOfUse.Values)
            if (d is int v && (v < 0 || v > 28)) return IndicatorReasons.DaysOutOfRange;
        return null;
    }
}

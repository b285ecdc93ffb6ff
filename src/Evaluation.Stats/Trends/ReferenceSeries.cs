using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Trends;

/// <summary>
/// The reference series (methodology §11), written to be read against the specification: for each interval, each
/// measure classifies every row record at a time (the §2 outcomes by <see cref="JourneyClassifier"/> itself, with the
/// interval as W), and the statuses are tallied into cells and the ledger before the next interval.
/// </summary>
internal static class ReferenceSeries
{
    public static TrendSeries Build(EvaluationDesign design, RecordSet<Journey> journeys, IntervalKind kind)
    {
        var counts = new SeriesCounts(design, kind);
        var rows = journeys.Records;
        var rules = design.Rules;
        var areas = new AreaMap(design.Pairs);
        for (int k = 0; k < counts.Intervals.Count; k++)
        {
            var w = counts.Intervals[k].Window;
            Tally(counts, k, TrendSeries.NewJourneys, NewJourneys(rows, w, areas), journeys, SeriesCounts.New, -1);
            Tally(counts, k, TrendSeries.InTreatment, InTreatment(rows, w, rules, areas), journeys, SeriesCounts.Treated, -1);
            if (counts.EffectiveDefined[k])
                Tally(counts, k, OutcomeNames.EffectiveTreatment, JourneyClassifier.Classify(rows, w, JourneyOutcome.EffectiveTreatment, rules, design.Pairs),
                    journeys, SeriesCounts.EtN, SeriesCounts.EtEvents);
            Tally(counts, k, OutcomeNames.SuccessfulCompletion, JourneyClassifier.Classify(rows, w, JourneyOutcome.SuccessfulCompletion, rules, design.Pairs),
                journeys, SeriesCounts.ScN, SeriesCounts.ScEvents);
            if (counts.EffectiveDefined[k])
                Tally(counts, k, OutcomeNames.SuccessfulCompletionOfCaseload, JourneyClassifier.Classify(rows, w, JourneyOutcome.SuccessfulCompletionOfCaseload, rules, design.Pairs),
                    journeys, SeriesCounts.SccN, SeriesCounts.SccEvents);
        }
        return counts.Finish();
    }

    /// <summary>New journeys: rows (without data errors) that start in W, in an area of a pair, at any age.</summary>
    private static RowStatus[] NewJourneys(IReadOnlyList<Journey> rows, Periods.DateWindow w, AreaMap areas)
    {
        var status = new RowStatus[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var j = rows[i];
            status[i] = JourneyClassifier.DataError(j) is { } error ? RowStatus.Excluded(error)
                : !w.Contains(j.Start) ? RowStatus.Excluded(TrendSeries.NotStartedInInterval)
                : areas.TryFind(j.Area, out int pair, out var group) ? RowStatus.Included(pair, group, false)
                : RowStatus.Excluded(ExclusionReasons.AreaNotInPair);
        }
        return status;
    }

    /// <summary>
    /// Clients in treatment: each client's latest journey among those crossing into W (§2's crossing and latest rules),
    /// counted in its area's arm when the client is at least the minimum age on it.
    /// </summary>
    private static RowStatus[] InTreatment(IReadOnlyList<Journey> rows, Periods.DateWindow w, JourneyRules rules, AreaMap areas)
    {
        var status = new RowStatus[rows.Count];
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var j = rows[i];
            if (JourneyClassifier.DataError(j) is { } error) { status[i] = RowStatus.Excluded(error); continue; }
            if (!JourneyClassifier.CrossesInto(j, w)) { status[i] = RowStatus.Excluded(ExclusionReasons.OutsideWindow); continue; }
            status[i] = RowStatus.Excluded(ExclusionReasons.NotLatest); // until it proves to be the latest
            if (!latest.TryGetValue(j.ClientId, out int other) || JourneyClassifier.IsLater(j, i, rows[other], other)) latest[j.ClientId] = i;
        }
        foreach (int i in latest.Values)
        {
            var j = rows[i];
            status[i] = !areas.TryFind(j.Area, out int pair, out var group) ? RowStatus.Excluded(ExclusionReasons.AreaNotInPair)
                : j.Age < rules.MinimumAge ? RowStatus.Excluded(ExclusionReasons.UnderMinimumAge)
                : RowStatus.Included(pair, group, false);
        }
        return status;
    }

    private static void Tally(SeriesCounts counts, int k, string measure, RowStatus[] status, RecordSet<Journey> journeys, int nSlot, int eventSlot)
    {
        var rows = journeys.Records;
        ExclusionLedger.Tally(TrendSeries.Analysis(measure, counts.Intervals[k]), status, i => rows[i].SourceLine, journeys.Rejected, counts.Entries, counts.InputRows);
        foreach (var s in status)
        {
            if (!s.IsIncluded) continue;
            counts.Cells[counts.At(s.Pair, s.Group, k, nSlot)]++;
            if (eventSlot >= 0 && s.IsEvent) counts.Cells[counts.At(s.Pair, s.Group, k, eventSlot)]++;
        }
    }
}

using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Methodology §13, one test per rule and edge, each able to fail if the rule is broken. Written once and run against
/// the reference classifier and the fast one (the two subclasses at the end). The post window is 2009-10-01 to
/// 2011-03-31: e − 182 = 2010-09-30, e − 365 = 2010-03-31, e − 83 = 2011-01-07.
/// </summary>
public abstract class IndicatorRuleTests
{
    /// <summary>Classifies every journey indicator in one window.</summary>
    protected abstract IndicatorClassification Run(IReadOnlyList<Journey> journeys, DateWindow window, IndicatorOptions options);

    private static readonly DateWindow Post = StudyDesign.Dscp.Post;
    private static Journey J(string client, string start, string? end = null, int? exit = null, int? age = 30, string area = "P") =>
        JourneyRuleTests.J(client, start, end, exit, age, area);
    private static Journey W(string client, string start, string? referral, string? first, int? age = 30, string area = "P") =>
        J(client, start, age: age, area: area) with
        {
            ReferralDate = referral is null ? null : JourneyRuleTests.D(referral),
            FirstInterventionDate = first is null ? null : JourneyRuleTests.D(first),
        };

    private IReadOnlyList<RowStatus> Representation(int days, params Journey[] js) =>
        Run(js, Post, IndicatorOptions.Default with { RepresentationDays = [days] }).Representation[0][0];

    [Fact]
    public void Completion_ExactlyRDaysBeforeWindowEnd_IsFollowedUp_ADayLaterIsNot()
    {
        var s = Representation(182, J("a", "2010-01-01", "2010-09-30", 1), J("b", "2010-01-01", "2010-10-01", 1));
        Assert.True(s[0].IsIncluded && s[0].IsEvent);
        Assert.Equal(IndicatorReasons.FollowUpIncomplete, s[1].Reason);
        var y = Representation(365, J("a", "2009-11-01", "2010-03-31", 2), J("b", "2009-11-01", "2010-04-01", 2));
        Assert.True(y[0].IsIncluded && y[0].IsEvent);
        Assert.Equal(IndicatorReasons.FollowUpIncomplete, y[1].Reason);
    }

    [Fact]
    public void RepresentationOnDayR_IsARepresentation_OnDayRPlus1_IsNot()
    {
        // The re-presentations start after e − D, so they are not caseload candidates and the completion stays selected.
        var s = Representation(182,
            J("a", "2010-01-01", "2010-09-01", 1), J("a", "2011-03-02"),   // day 182
            J("b", "2010-01-01", "2010-09-01", 1), J("b", "2011-03-03"));  // day 183
        Assert.True(s[0].IsIncluded);
        Assert.False(s[0].IsEvent);
        Assert.Equal(ExclusionReasons.StartedTooLate, s[1].Reason);
        Assert.True(s[2].IsIncluded && s[2].IsEvent);
        var y = Representation(365,
            J("a", "2009-11-01", "2010-03-01", 1), J("a", "2011-03-01"),   // day 365
            J("b", "2009-11-01", "2010-03-01", 1), J("b", "2011-03-02"));  // day 366
        Assert.False(y[0].IsEvent);
        Assert.True(y[0].IsIncluded);
        Assert.True(y[2].IsEvent);
        Assert.Equal(ExclusionReasons.StartedTooLate, y[3].Reason);
    }

    [Fact]
    public void RepresentationStartingOnTheEndDay_DoesNotCount_AndAnyAreaCounts()
    {
        var s = Representation(182,
            J("a", "2010-01-01", "2010-09-01", 1), J("a", "2010-09-01", "2010-09-01", 4),
            J("b", "2010-01-01", "2010-09-01", 1), J("b", "2011-02-01", area: "X"));
        Assert.True(s[2].IsIncluded);
        Assert.False(s[2].IsEvent); // re-presented in an area outside the design: still a re-presentation
        Assert.Equal(ExclusionReasons.StartedTooLate, s[3].Reason);
        // a's later journey (start 2010-09-01) is the latest candidate and ended without a completion: a non-event.
        Assert.Equal(ExclusionReasons.NotLatest, s[0].Reason);
        Assert.True(s[1].IsIncluded && !s[1].IsEvent);
        // With R = 30 (e − R = 2011-03-01) a journey starting on the completion's end day, after e − D so not a
        // candidate, is not a re-presentation (the interval is (end, end + R]); one starting the next day is.
        var r = Representation(30, J("e", "2010-01-01", "2011-02-01", 1), J("e", "2011-02-01"), J("f", "2010-01-01", "2011-02-01", 1), J("f", "2011-02-02"));
        Assert.True(r[0].IsIncluded && r[0].IsEvent);
        Assert.True(r[2].IsIncluded && !r[2].IsEvent);
        var t = Representation(182, J("c", "2010-01-01", "2010-09-01", 1), J("c", "2010-09-01", null, null, area: "X") with { Start = JourneyRuleTests.D("2010-09-01"), End = null });
        Assert.Equal(ExclusionReasons.AreaNotInPair, t[1].Reason); // the latest candidate decides the area
    }

    [Fact]
    public void OpenOrNotCompleted_StayAsNonEvents()
    {
        var s = Representation(182,
            J("a", "2010-01-01"),                        // ongoing
            J("b", "2010-01-01", "2010-05-01", 4),       // ended without completion
            J("c", "2010-01-01", "2011-05-01", 1),       // completed after the window: open at e
            J("d", "2010-01-01", "2011-03-15", 3));      // not completed, late: no follow-up needed
        Assert.All(s, x => Assert.True(x.IsIncluded && !x.IsEvent));
    }

    [Fact]
    public void SeveralCompletions_TheSelectedOneIsJudged()
    {
        // Two completions; the later one is selected and is clean: an event. The earlier one's re-presentation
        // (the later journey itself) does not matter once it is not selected.
        var s = Representation(182, J("a", "2009-10-15", "2010-01-15", 1), J("a", "2010-03-01", "2010-06-01", 2));
        Assert.Equal(ExclusionReasons.NotLatest, s[0].Reason);
        Assert.True(s[1].IsIncluded && s[1].IsEvent);
        // The later completion is too late to follow up: the client goes to the ledger, not back to the earlier completion.
        var t = Representation(182, J("b", "2009-10-15", "2010-01-15", 1), J("b", "2010-08-01", "2010-12-01", 2));
        Assert.Equal(ExclusionReasons.NotLatest, t[0].Reason);
        Assert.Equal(IndicatorReasons.FollowUpIncomplete, t[1].Reason);
    }

    [Fact]
    public void Representation_KeepsCaseloadExclusions()
    {
        var s = Representation(182, J("a", "2010-01-01", "2010-03-01", 1, age: 17), J("b", "2011-02-01", "2011-02-10", 1), J("c", "2010-01-01", "2009-12-01", 1));
        Assert.Equal(ExclusionReasons.UnderMinimumAge, s[0].Reason);
        Assert.Equal(ExclusionReasons.StartedTooLate, s[1].Reason);
        Assert.Equal(ExclusionReasons.EndBeforeStart, s[2].Reason);
    }

    [Fact]
    public void TimeInTreatment_CountsToTheEarlierOfEndAndWindowEnd()
    {
        var c = Run([J("a", "2010-03-31"), J("b", "2010-01-01", "2010-06-01", 4), J("c", "2011-03-30", "2011-04-30", 1), J("d", "2009-01-01", "2009-09-30", 1)],
            Post, IndicatorOptions.Default);
        Assert.Equal(365, c.TreatmentDays[0][0]);
        Assert.Equal(151, c.TreatmentDays[0][1]);
        Assert.Equal(1, c.TreatmentDays[0][2]);          // latest journey, no start restriction, open at e
        Assert.True(c.TimeInTreatment[0][2].IsIncluded);
        Assert.Equal(ExclusionReasons.OutsideWindow, c.TimeInTreatment[0][3].Reason);
        Assert.Equal(-1, c.TreatmentDays[0][3]);
    }

    [Fact]
    public void TimeInTreatment_Bands_UseYearsOf365Point25Days()
    {
        Assert.Equal(0, TreatmentBands.Of(365));
        Assert.Equal(1, TreatmentBands.Of(366));
        Assert.Equal(1, TreatmentBands.Of(730));
        Assert.Equal(2, TreatmentBands.Of(731));
        Assert.Equal(2, TreatmentBands.Of(1460));
        Assert.Equal(3, TreatmentBands.Of(1461));
        Assert.Equal(3, TreatmentBands.Of(2191));
        Assert.Equal(4, TreatmentBands.Of(2192));
        // The event (2 years or more) agrees with the bands: 731 days is, 730 is not.
        var c = Run([J("a", "2009-03-30"), J("b", "2009-03-31")], Post, IndicatorOptions.Default);
        Assert.Equal(731, c.TreatmentDays[0][0]);
        Assert.Equal(730, c.TreatmentDays[0][1]);
        Assert.True(c.TimeInTreatment[0][0].IsEvent);
        Assert.False(c.TimeInTreatment[0][1].IsEvent);
    }

    [Fact]
    public void Waits_OfExactly21And42Days_AreNotOver()
    {
        var c = Run([W("a", "2010-01-01", "2010-01-01", "2010-01-22"), W("b", "2010-01-01", "2010-01-01", "2010-01-23"),
                     W("c", "2010-01-01", "2010-01-01", "2010-02-12"), W("d", "2010-01-01", "2010-01-01", "2010-02-13")], Post, IndicatorOptions.Default);
        Assert.Equal([21, 22, 42, 43], c.Waits[0]);
        Assert.Equal([false, true, true, true], c.Waiting[0].Select(s => s.IsEvent));
        Assert.All(c.Waiting[0], s => Assert.True(s.IsIncluded));
    }

    [Fact]
    public void Waits_LedgerReasons()
    {
        var c = Run([
            W("a", "2010-01-01", null, "2010-01-05"),                 // no referral date
            W("b", "2010-01-01", "2010-01-05", null),                 // no first intervention
            W("c", "2010-01-01", "2010-01-05", "2010-01-04"),         // first before referral
            W("d", "2009-09-30", "2009-09-01", "2009-09-30"),         // started before the window
            W("e", "2010-01-01", "2010-01-01", "2010-01-02", area: "X"),
            W("f", "2010-01-01", "2010-01-01", "2010-01-02", age: 17),
            W("g", "2011-03-31", "2011-03-01", "2011-03-31"),         // starts on the window's last day: in
            W("h", "2010-01-01", "2010-01-05", "2010-01-05"),         // a wait of 0 days
        ], Post, IndicatorOptions.Default);
        var s = c.Waiting[0];
        Assert.Equal(IndicatorReasons.NoWaitingTime, s[0].Reason);
        Assert.Equal(IndicatorReasons.NoWaitingTime, s[1].Reason);
        Assert.Equal(IndicatorReasons.FirstInterventionBeforeReferral, s[2].Reason);
        Assert.True(ExclusionReasons.IsDataError(s[2].Reason!));
        Assert.Equal(IndicatorReasons.NotStartedInWindow, s[3].Reason);
        Assert.Equal(ExclusionReasons.AreaNotInPair, s[4].Reason);
        Assert.Equal(ExclusionReasons.UnderMinimumAge, s[5].Reason);
        Assert.True(s[6].IsIncluded && s[6].IsEvent);
        Assert.True(s[7].IsIncluded && !s[7].IsEvent);
        Assert.Equal(0, c.Waits[0][7]);
    }
}

public sealed class IndicatorRuleTests_Reference : IndicatorRuleTests
{
    protected override IndicatorClassification Run(IReadOnlyList<Journey> journeys, DateWindow window, IndicatorOptions options) =>
        IndicatorClassification.Reference(journeys, [window], JourneyRules.Default, JourneyRuleTests.Pairs, options);
}

public sealed class IndicatorRuleTests_Fast : IndicatorRuleTests
{
    protected override IndicatorClassification Run(IReadOnlyList<Journey> journeys, DateWindow window, IndicatorOptions options) =>
        FastIndicatorClassifier.Classify(IndicatorTable.From(journeys), [window], JourneyRules.Default, JourneyRuleTests.Pairs, options);
}

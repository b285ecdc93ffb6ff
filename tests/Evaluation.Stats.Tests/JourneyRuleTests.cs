using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Methodology §2: one test per rule, each able to fail if the rule is broken. The suite is written once and runs
/// against the reference classifier and the fast one (the two subclasses at the end).
/// </summary>
public abstract class JourneyRuleTests
{
    /// <summary>The classifier under test.</summary>
    protected abstract RowStatus[] Run(IReadOnlyList<Journey> journeys, DateWindow window, JourneyOutcome outcome, JourneyRules rules, IReadOnlyList<AreaPair> pairs);

    internal static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
    internal static readonly AreaPair[] Pairs = [new("site", ["P"], ["C"])];
    private static readonly DateWindow Post = StudyDesign.Dscp.Post;

    internal static Journey J(string client, string start, string? end = null, int? exit = null, int? age = 30, string area = "P") =>
        new(client, area, D(start), end is null ? null : D(end), exit, age);

    private RowStatus[] Classify(JourneyOutcome outcome, params Journey[] js) => Run(js, Post, outcome, JourneyRules.Default, Pairs);

    [Fact]
    public void EffectiveTreatment_StartOn2011_01_07_IsCandidate_AndOn2011_01_08_IsNot()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2011-01-07"), J("b", "2011-01-08"));
        Assert.True(s[0].IsIncluded);
        Assert.True(s[0].IsEvent); // ongoing: 2011-01-07 to 2011-03-31 is 83 days
        Assert.Equal(ExclusionReasons.StartedTooLate, s[1].Reason);
    }

    [Fact]
    public void Effective_WhenJourneyEndsAfterWindow_UsesWindowEnd()
    {
        // 82 days to the window's end, even though the journey ran on for a year: not effective.
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2011-01-08", "2012-01-01", 3), J("b", "2011-01-07", "2012-01-01", 3));
        Assert.Equal(ExclusionReasons.StartedTooLate, s[0].Reason);
        Assert.True(s[1].IsEvent);
    }

    [Fact]
    public void Effective_83DaysCounts_82DaysDoesNot()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2010-01-01", "2010-03-25", 3), J("b", "2010-01-01", "2010-03-24", 3));
        Assert.True(s[0].IsEvent);  // 83 days
        Assert.False(s[1].IsEvent); // 82 days, exit 3 not completed
        Assert.True(s[1].IsIncluded);
    }

    [Fact]
    public void Effective_ShortJourneyCompletedInWindow_IsEffective()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2010-01-01", "2010-01-20", 2), J("b", "2010-01-01", "2010-01-20", 83));
        Assert.True(s[0].IsEvent);  // completed
        Assert.False(s[1].IsEvent); // 83 is not a completed code
    }

    [Fact]
    public void Effective_EndAfterWindow_CountsDaysOnlyToWindowEnd_NotTheCompletion()
    {
        // A completed exit after the window is not "ended within W"; the 83 days to the window end still count.
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2011-01-07", "2011-04-30", 3), J("b", "2010-12-01", "2011-04-02", 1));
        Assert.True(s[0].IsEvent);
        Assert.True(s[1].IsEvent);
        // In the pre window, ending on the window's last day with a completed code after 30 days is effective.
        var pre = Run([J("c", "2009-01-01", "2009-01-31", 1), J("d", "2009-01-01", "2009-01-31", 4)],
            StudyDesign.Dscp.Pre, JourneyOutcome.EffectiveTreatment, JourneyRules.Default, Pairs);
        Assert.True(pre[0].IsEvent);
        Assert.False(pre[1].IsEvent);
    }

    [Fact]
    public void CrossesInto_EndOnWindowStart_Counts_EndDayBefore_DoesNot()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2009-01-01", "2009-10-01", 3), J("b", "2009-01-01", "2009-09-30", 3));
        Assert.True(s[0].IsIncluded);
        Assert.Equal(ExclusionReasons.OutsideWindow, s[1].Reason);
        var s2 = Classify(JourneyOutcome.SuccessfulCompletion, J("c", "2011-04-01"));
        Assert.Equal(ExclusionReasons.OutsideWindow, s2[0].Reason);
    }

    [Fact]
    public void Latest_GreatestStartWins()
    {
        var s = Classify(JourneyOutcome.SuccessfulCompletion, J("a", "2010-05-01", "2010-06-01", 1), J("a", "2010-01-01", "2010-02-01", 3));
        Assert.True(s[0].IsIncluded);
        Assert.Equal(ExclusionReasons.NotLatest, s[1].Reason);
    }

    [Fact]
    public void Latest_TieOnStart_BlankEndWins()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2010-01-01"), J("a", "2010-01-01", "2010-12-01", 3));
        Assert.True(s[0].IsIncluded);
        Assert.Equal(ExclusionReasons.NotLatest, s[1].Reason);
        var reversed = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2010-01-01", "2010-12-01", 3), J("a", "2010-01-01"));
        Assert.Equal(ExclusionReasons.NotLatest, reversed[0].Reason);
        Assert.True(reversed[1].IsIncluded);
    }

    [Fact]
    public void Latest_TieOnStart_LaterEndWins()
    {
        var s = Classify(JourneyOutcome.SuccessfulCompletion, J("a", "2010-01-01", "2010-06-01", 1), J("a", "2010-01-01", "2010-03-01", 3));
        Assert.True(s[0].IsIncluded);
        Assert.True(s[0].IsEvent);
        Assert.Equal(ExclusionReasons.NotLatest, s[1].Reason);
    }

    [Fact]
    public void Latest_FullTie_LaterRowWins()
    {
        var s = Classify(JourneyOutcome.SuccessfulCompletion, J("a", "2010-01-01", "2010-06-01", 1), J("a", "2010-01-01", "2010-06-01", 3));
        Assert.Equal(ExclusionReasons.NotLatest, s[0].Reason);
        Assert.True(s[1].IsIncluded);
        Assert.False(s[1].IsEvent);
    }

    [Fact]
    public void AgeFilter_AppliesAfterSelection()
    {
        // The latest journey is at 17: the client is excluded, and the earlier adult journey does not replace it.
        var s = Classify(JourneyOutcome.EffectiveTreatment, J("a", "2009-11-01", "2010-03-01", 1, age: 18), J("a", "2010-06-01", age: 17));
        Assert.Equal(ExclusionReasons.NotLatest, s[0].Reason);
        Assert.Equal(ExclusionReasons.UnderMinimumAge, s[1].Reason);
        var adult = Classify(JourneyOutcome.EffectiveTreatment, J("b", "2010-06-01", age: 18));
        Assert.True(adult[0].IsIncluded);
    }

    [Fact]
    public void SuccessfulCompletion_DenominatorIsLatestEndedInWindow()
    {
        var s = Classify(JourneyOutcome.SuccessfulCompletion,
            J("a", "2010-01-01", "2010-06-01", 1),  // completed in window: event
            J("b", "2010-01-01", "2010-06-01", 4),  // ended in window, not completed
            J("c", "2010-01-01"),                   // ongoing: not in the denominator
            J("d", "2010-01-01", "2011-04-01", 1),  // ended after the window
            J("e", "2011-03-30", "2011-03-31", 2)); // no start restriction; ends on the last day
        Assert.True(s[0].IsEvent);
        Assert.True(s[1].IsIncluded);
        Assert.False(s[1].IsEvent);
        Assert.Equal(ExclusionReasons.NotEndedInWindow, s[2].Reason);
        Assert.Equal(ExclusionReasons.NotEndedInWindow, s[3].Reason);
        Assert.True(s[4].IsEvent);
    }

    [Fact]
    public void SuccessfulCompletionOfCaseload_UsesEffectiveTreatmentDenominator()
    {
        var js = new[]
        {
            J("a", "2010-01-01", "2010-06-01", 1),  // in caseload, completed
            J("b", "2010-01-01"),                   // in caseload, ongoing
            J("c", "2011-03-01", "2011-03-20", 1),  // completed but started too late for the caseload
        };
        var s = Classify(JourneyOutcome.SuccessfulCompletionOfCaseload, js);
        Assert.True(s[0].IsIncluded && s[0].IsEvent);
        Assert.True(s[1].IsIncluded && !s[1].IsEvent);
        Assert.Equal(ExclusionReasons.StartedTooLate, s[2].Reason);
        var sc = Classify(JourneyOutcome.SuccessfulCompletion, js);
        Assert.Equal(2, sc.Count(x => x.IsEvent));
    }

    [Fact]
    public void DataErrors_GoToLedgerBeforeSelection()
    {
        var s = Classify(JourneyOutcome.EffectiveTreatment,
            J("a", "2010-05-01", "2010-04-01", 3),
            J("b", "2010-05-01", null, 3),
            J("c", "2010-05-01", age: null),
            J("d", "2010-05-01", age: -1),
            J("e", "2010-05-01", area: "X"));
        Assert.Equal(ExclusionReasons.EndBeforeStart, s[0].Reason);
        Assert.Equal(ExclusionReasons.ExitReasonWithoutEnd, s[1].Reason);
        Assert.Equal(ExclusionReasons.MissingAge, s[2].Reason);
        Assert.Equal(ExclusionReasons.NegativeAge, s[3].Reason);
        Assert.Equal(ExclusionReasons.AreaNotInPair, s[4].Reason);
    }

    [Fact]
    public void CompletedExitReasons_AreTheNtaList()
    {
        int[] expected = [1, 2, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 80, 81, 82];
        Assert.Equal(expected, Nta.CompletedExitReasons.Order());
        for (int code = 0; code <= 100; code++)
            Assert.Equal(expected.Contains(code), JourneyRules.Default.IsCompleted(code));
        Assert.False(JourneyRules.Default.IsCompleted(null));
        var custom = new JourneyRules(18, 83, [99]);
        Assert.True(custom.IsCompleted(99));
        Assert.False(custom.IsCompleted(1));
    }

    [Fact]
    public void Rules_Validate()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JourneyRules(-1, 83, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JourneyRules(18, 0, [1]));
        Assert.Throws<ArgumentException>(() => new JourneyRules(18, 83, []));
    }

    [Fact]
    public void MinimumAgeAndDays_AreOptions()
    {
        var rules = new JourneyRules(21, 10, Nta.CompletedExitReasons);
        var s = Run([J("a", "2011-03-15", age: 20), J("b", "2011-03-15", age: 21)], Post, JourneyOutcome.EffectiveTreatment, rules, Pairs);
        Assert.Equal(ExclusionReasons.UnderMinimumAge, s[0].Reason);
        Assert.True(s[1].IsEvent); // 16 days >= 10
    }
}

public sealed class JourneyRuleTests_Reference : JourneyRuleTests
{
    protected override RowStatus[] Run(IReadOnlyList<Journey> journeys, DateWindow window, JourneyOutcome outcome, JourneyRules rules, IReadOnlyList<AreaPair> pairs) =>
        JourneyClassifier.Classify(journeys, window, outcome, rules, pairs);
}

public sealed class JourneyRuleTests_Fast : JourneyRuleTests
{
    protected override RowStatus[] Run(IReadOnlyList<Journey> journeys, DateWindow window, JourneyOutcome outcome, JourneyRules rules, IReadOnlyList<AreaPair> pairs) =>
        FastJourneyClassifier.Classify(JourneyTable.From(journeys), window, outcome, rules, pairs);
}

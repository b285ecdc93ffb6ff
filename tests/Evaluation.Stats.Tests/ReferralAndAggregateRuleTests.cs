using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using static Evaluation.Stats.Tests.JourneyRuleTests;

namespace Evaluation.Stats.Tests;

/// <summary>Methodology §3 and §4.</summary>
public class ReferralAndAggregateRuleTests
{
    private static readonly AreaPair[] Pairs = [new("site", ["P"], ["C"], ["HMP1"])];
    private static readonly DateWindow Pre = StudyDesign.Dscp.Pre;

    private static Referral R(string client, string leaving, string area = "P", string? cjit = null, string prison = "HMP1") =>
        new($"r-{client}", client, area, cjit ?? area, prison, D(leaving));

    private static RowStatus[] Classify(Referral[] rs, params Pickup[] ps) => ReferralClassifier.Classify(rs, ps, Pre, 42, Pairs);

    [Fact]
    public void Pickup_OnDay42_Counts_OnDay43_DoesNot()
    {
        var s = Classify([R("a", "2008-01-01"), R("b", "2008-01-01")],
            new Pickup("a", "HMP1", D("2008-02-12")), new Pickup("b", "HMP1", D("2008-02-13")));
        Assert.True(s[0].IsEvent);
        Assert.False(s[1].IsEvent);
        Assert.True(s[1].IsIncluded);
    }

    [Fact]
    public void Pickup_OnLeavingDay_Counts_DayBefore_DoesNot()
    {
        var s = Classify([R("a", "2008-01-01"), R("b", "2008-01-01")],
            new Pickup("a", "HMP1", D("2008-01-01")), new Pickup("b", "HMP1", D("2007-12-31")));
        Assert.True(s[0].IsEvent);
        Assert.False(s[1].IsEvent);
    }

    [Fact]
    public void Pickup_FromWrongPrisonOrClient_DoesNotCount()
    {
        var s = Classify([R("a", "2008-01-01"), R("b", "2008-01-01")],
            new Pickup("a", "HMP2", D("2008-01-05")), new Pickup("z", "HMP1", D("2008-01-05")));
        Assert.False(s[0].IsEvent);
        Assert.False(s[1].IsEvent);
    }

    [Fact]
    public void Pickup_AfterWindowEnd_CountsWithinFollowUp()
    {
        var s = Classify([R("a", "2009-02-17")], new Pickup("a", "HMP1", D("2009-03-31")));
        Assert.True(s[0].IsEvent);
    }

    [Fact]
    public void LeavingDate_MustLeaveFollowUpInsideWindow()
    {
        var s = Classify([R("a", "2009-02-17"), R("b", "2009-02-18"), R("c", "2007-10-01"), R("d", "2007-09-30")]);
        Assert.True(s[0].IsIncluded);
        Assert.Equal(ExclusionReasons.NoFollowUp, s[1].Reason);
        Assert.True(s[2].IsIncluded);
        Assert.Equal(ExclusionReasons.OutsideWindow, s[3].Reason);
    }

    [Fact]
    public void NonLocal_AndNonPilotPrison_AreExcluded_ComparisonTakesAnyPrison()
    {
        var s = Classify([R("a", "2008-01-01", cjit: "C"), R("b", "2008-01-01", prison: "HMP9"), R("c", "2008-01-01", area: "C", prison: "HMP9"), R("d", "2008-01-01", area: "Q")]);
        Assert.Equal(ExclusionReasons.NotLocal, s[0].Reason);
        Assert.Equal(ExclusionReasons.NotPilotPrison, s[1].Reason);
        Assert.True(s[2].IsIncluded);
        Assert.Equal(Group.Comparison, s[2].Group);
        Assert.Equal(ExclusionReasons.AreaNotInPair, s[3].Reason);
    }

    [Fact]
    public void PilotWithoutPrisonList_TakesEveryPrison()
    {
        var s = ReferralClassifier.Classify([R("a", "2008-01-01", prison: "HMP9")], [], Pre, 42, [new AreaPair("site", ["P"], ["C"])]);
        Assert.True(s[0].IsIncluded);
    }

    [Fact]
    public void UnitIsTheReferral_ClientCountsTwice()
    {
        var rs = new[] { R("a", "2008-01-01") with { ReferralId = "1" }, R("a", "2008-06-01") with { ReferralId = "2" } };
        var s = Classify(rs, new Pickup("a", "HMP1", D("2008-06-10")));
        Assert.True(s[0].IsIncluded && !s[0].IsEvent);
        Assert.True(s[1].IsIncluded && s[1].IsEvent);
    }

    [Fact]
    public void Aggregate_SumsWholeQuartersOnly()
    {
        var pairs = new[] { new AreaPair("site", ["P"], ["C"]) };
        var rows = new List<QuarterlyCount>();
        foreach (var area in new[] { "P", "C" })
            for (var q = D("2007-09-01"); q <= D("2011-03-01"); q = q.AddMonths(3))
                rows.Add(new QuarterlyCount(area, q, 100, area == "P" && q >= D("2009-10-01") ? 80 : 60));
        var design = new EvaluationDesign(StudyDesign.Dscp, pairs);
        var result = Evaluator.Aggregate(design, new RecordSet<QuarterlyCount>(rows));
        var o = result.Pairs[0].Outcomes[OutcomeNames.Aggregate];
        Assert.Equal(new Cell(500, 300), o.Cells.PilotPre);   // Dec 07 to Feb 09: five quarters
        Assert.Equal(new Cell(500, 400), o.Cells.PilotPost);
        Assert.Equal(5, o.CellRows.PilotPre.N);
        Assert.Equal(0.2, o.Did.RiskDifference.Estimate, 12);
        Assert.Equal(0.0, o.Did.BaseCount.Difference, 12);
        // 15 quarters per area; 5 in each window; the other 10 per window are in the ledger.
        Assert.Equal(20, result.Exclusions.ExcludedRows("aggregate/pre"));
    }

    [Fact]
    public void Aggregate_InvalidCounts_AreDataErrors()
    {
        Assert.Equal(ExclusionReasons.InvalidCounts, QuarterlyClassifier.DataError(new QuarterlyCount("P", D("2008-12-01"), 10, 11)));
        Assert.Equal(ExclusionReasons.InvalidCounts, QuarterlyClassifier.DataError(new QuarterlyCount("P", D("2008-12-01"), -1, 0)));
        Assert.Null(QuarterlyClassifier.DataError(new QuarterlyCount("P", D("2008-12-01"), 10, 10)));
    }
}

using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Tests;

public class PeriodTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Window_IncludesBothEnds()
    {
        var w = new DateWindow(D("2009-10-01"), D("2011-03-31"));
        Assert.True(w.Contains(D("2009-10-01")));
        Assert.True(w.Contains(D("2011-03-31")));
        Assert.False(w.Contains(D("2009-09-30")));
        Assert.False(w.Contains(D("2011-04-01")));
        Assert.Equal(547, w.LengthInDays);
    }

    [Fact]
    public void Window_EndBeforeStart_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new DateWindow(D("2011-03-31"), D("2011-03-30")));
        Assert.Contains("2011-03-30", e.Message);
    }

    [Fact]
    public void FollowUpTruncation_Dscp42Days_GivesFeb17()
    {
        Assert.Equal(new DateWindow(D("2007-10-01"), D("2009-02-17")), StudyDesign.Dscp.Pre.TruncateForFollowUp(42));
        Assert.Equal(new DateWindow(D("2009-10-01"), D("2011-02-17")), StudyDesign.Dscp.Post.TruncateForFollowUp(42));
    }

    [Fact]
    public void FollowUpTruncation_LongerThanWindow_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DateWindow(D("2010-01-01"), D("2010-01-10")).TruncateForFollowUp(10));
        Assert.Equal(D("2010-01-01"), new DateWindow(D("2010-01-01"), D("2010-01-10")).TruncateForFollowUp(9).End);
    }

    [Fact]
    public void Quarters_DscpWindows_LeaveFiveEach()
    {
        var pre = StudyDesign.Dscp.Pre.WholeQuarters(D("2007-12-01"));
        var post = StudyDesign.Dscp.Post.WholeQuarters(D("2007-12-01"));
        Assert.Equal(5, pre.Count);
        Assert.Equal(5, post.Count);
        Assert.Equal(D("2007-12-01"), pre[0].Start);
        Assert.Equal(D("2009-02-28"), pre[^1].End);
        Assert.Equal(D("2009-12-01"), post[0].Start);
        Assert.Equal(D("2011-02-28"), post[^1].End);
    }

    [Fact]
    public void Quarter_StraddlingWindowEdge_IsNotInside()
    {
        var w = StudyDesign.Dscp.Pre;
        Assert.False(new Quarter(D("2007-09-01")).LiesWhollyInside(w)); // Sep–Nov 2007 straddles 1 Oct
        Assert.False(new Quarter(D("2009-03-01")).LiesWhollyInside(w)); // Mar–May 2009 straddles 31 Mar
        Assert.True(new Quarter(D("2008-12-01")).LiesWhollyInside(w));
        Assert.True(new Quarter(D("2008-01-01")).LiesWhollyInside(w));  // Jan–Mar 2009 ends on 31 Mar exactly
        Assert.Equal(D("2008-02-29"), new Quarter(D("2007-12-01")).End);
    }

    [Fact]
    public void FiscalYear_RunsAprilToMarch()
    {
        Assert.Equal(new FiscalYear(2009), FiscalYear.Containing(D("2010-03-31")));
        Assert.Equal(new FiscalYear(2010), FiscalYear.Containing(D("2010-04-01")));
        Assert.Equal(D("2009-04-01"), new FiscalYear(2009).Start);
        Assert.Equal(D("2010-03-31"), new FiscalYear(2009).End);
        Assert.Equal("2009-10", new FiscalYear(2009).ToString());
    }

    [Fact]
    public void StudyDesign_OverlappingWindows_Throws()
    {
        Assert.Throws<ArgumentException>(() => new StudyDesign(new DateWindow(D("2008-01-01"), D("2009-01-01")), new DateWindow(D("2009-01-01"), D("2010-01-01"))));
        Assert.Equal(183, StudyDesign.Dscp.LagDays);
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Trends;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>Methodology §11's series: the intervals, the reference against the fast pass, and balanced ledgers.</summary>
public class TrendSeriesTests
{
    private static readonly DateOnly Origin = new(2007, 1, 1);
    private static readonly EvaluationDesign Design = new(StudyDesign.Dscp,
        [new AreaPair("s1", ["P1"], ["C1"]), new AreaPair("s2", ["P2"], ["C2"])]);
    private static readonly string[] Areas = ["P1", "C1", "P2", "C2", "X"];

    private static Gen<Journey> JourneyGen =>
        from client in Gen.Choose(0, 40)
        from area in Gen.Elements(Areas)
        from start in Gen.Choose(0, 1800)
        from length in Gen.OneOf(Gen.Choose(-20, 900), Gen.Choose(80, 86), Gen.Choose(0, 3))
        from hasEnd in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from exit in Gen.Frequency((2, Gen.Constant<int?>(null)), (3, Gen.Choose(1, 90).Select(x => (int?)x)))
        from age in Gen.Frequency((8, Gen.Choose(16, 20).Select(x => (int?)x)), (1, Gen.Constant<int?>(null)), (1, Gen.Constant<int?>(-2)))
        select new Journey($"c{client}", area, Origin.AddDays(start), hasEnd ? Origin.AddDays(start + length) : null, exit, age) { SourceLine = start + 2 };

    [Fact]
    public void Intervals_Dscp_Are14Quarters_42Months_And4FiscalYears()
    {
        var q = TrendIntervals.For(StudyDesign.Dscp, IntervalKind.Quarter);
        Assert.Equal(14, q.Count);
        Assert.Equal(new DateOnly(2007, 10, 1), q[0].Start);
        Assert.Equal(new DateOnly(2011, 3, 31), q[^1].End);
        Assert.Equal(6, q.Count(i => i.Phase == IntervalPhase.Pre));
        Assert.Equal(2, q.Count(i => i.Phase == IntervalPhase.Gap));
        Assert.Equal(6, q.Count(i => i.Phase == IntervalPhase.Post));
        Assert.Equal(42, TrendIntervals.For(StudyDesign.Dscp, IntervalKind.Month).Count);
        var fy = TrendIntervals.For(StudyDesign.Dscp, IntervalKind.FiscalYear);
        // Table 7.4's four fiscal years, 2007-08 to 2010-11: only 2008-09 lies wholly inside the pre window.
        Assert.Equal(new[] { 2007, 2008, 2009, 2010 }, fy.Select(i => i.Start.Year));
        Assert.Equal(new[] { IntervalPhase.Straddles, IntervalPhase.Pre, IntervalPhase.Straddles, IntervalPhase.Post }, fy.Select(i => i.Phase));
        Assert.All(fy, i => Assert.Equal(4, i.Start.Month));
    }

    [Fact]
    public void Intervals_WindowsOffTheGrid_TakeWholeUnits()
    {
        var study = new StudyDesign(new DateWindow(new(2008, 2, 15), new(2008, 8, 10)), new DateWindow(new(2008, 9, 1), new(2009, 1, 20)));
        var q = TrendIntervals.For(study, IntervalKind.Quarter);
        Assert.Equal(new DateOnly(2008, 1, 1), q[0].Start);
        Assert.Equal(new DateOnly(2009, 3, 31), q[^1].End);
        Assert.Equal(IntervalPhase.Straddles, q[0].Phase);
        Assert.Equal(IntervalPhase.Pre, q[1].Phase); // April-June 2008
        Assert.Equal(IntervalPhase.Post, q[3].Phase); // October-December 2008
    }

    [Theory]
    [InlineData(IntervalKind.Quarter)]
    [InlineData(IntervalKind.Month)]
    [InlineData(IntervalKind.FiscalYear)]
    [Trait("Category", "FastPath")]
    public void FastAndReference_Agree_OnSyntheticData(IntervalKind kind)
    {
        var data = Data.Synthetic.SyntheticData.Generate(7, 600);
        var set = new RecordSet<Journey>(data.Journeys, [new RejectedRow(99_999, "age", "bad")]);
        AssertSame(Trends.Trends.Series(data.Design, set, kind, Implementation.Reference), Trends.Trends.Series(data.Design, set, kind, Implementation.Fast));
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void FastAndReference_Agree_AcrossClientBlocks()
    {
        // About 100,000 journeys and 60,000 clients: several 16,384-client blocks on both threads.
        var data = Data.Synthetic.SyntheticData.Generate(11, 5_000);
        var set = new RecordSet<Journey>(data.Journeys);
        AssertSame(Trends.Trends.Series(data.Design, set, IntervalKind.Quarter, Implementation.Reference), Trends.Trends.Series(data.Design, set, IntervalKind.Quarter, Implementation.Fast));
    }

    [Property(MaxTest = 200)]
    [Trait("Category", "FastPath")]
    public Property FastAndReference_Agree_OnRandomJourneys() =>
        Prop.ForAll(Gen.ListOf(JourneyGen).ToArbitrary(), Gen.Elements(IntervalKind.Quarter, IntervalKind.Month, IntervalKind.FiscalYear).ToArbitrary(), (list, kind) =>
        {
            // One row in each pair's area, since a pair naming an area absent from the data is an error.
            var anchors = Areas.Take(4).Select(a => new Journey($"anchor-{a}", a, new DateOnly(2008, 1, 10), null, null, 30));
            var set = new RecordSet<Journey>(list.Concat(anchors).ToList());
            var reference = Trends.Trends.Series(Design, set, kind, Implementation.Reference);
            var fast = Trends.Trends.Series(Design, set, kind, Implementation.Fast);
            AssertSame(reference, fast);
            return Balanced(fast, set.InputRows);
        });

    [Fact]
    public void EveryIntervalAnalysis_HasABalancedLedger_AndUndefinedEffectiveTreatmentIsAbsent()
    {
        var data = Data.Synthetic.SyntheticData.Generate(7, 300);
        var set = new RecordSet<Journey>(data.Journeys);
        var months = Trends.Trends.Series(data.Design, set, IntervalKind.Month);
        Assert.True(Balanced(months, set.InputRows));
        // A month (28-31 days) is shorter than D = 83: effective treatment and the caseload share are undefined, and say so.
        Assert.All(months.Points, p => { Assert.Null(p.EffectiveTreatment); Assert.Null(p.SuccessfulCompletionOfCaseload); });
        Assert.DoesNotContain(months.Exclusions.Analyses, a => a.StartsWith(OutcomeNames.EffectiveTreatment + "/", StringComparison.Ordinal));
        Assert.Contains(months.Warnings, w => w.Contains("shorter than D = 83", StringComparison.Ordinal));
        // 5 analyses a quarter: new journeys, in treatment and the three outcomes, each named outcome/first-day.
        var quarters = Trends.Trends.Series(data.Design, set);
        Assert.Equal(14 * 5, quarters.Exclusions.Analyses.Count());
        Assert.Contains("effectiveTreatment/2008-01-01", quarters.Exclusions.Analyses);
        Assert.True(Balanced(quarters, set.InputRows));
        Assert.Empty(quarters.Warnings);
    }

    [Fact]
    public void SeriesOutcome_InAQuarter_EqualsTheClassifierWithThatQuarterAsTheWindow()
    {
        var data = Data.Synthetic.SyntheticData.Generate(13, 300);
        var series = Trends.Trends.Series(data.Design, new RecordSet<Journey>(data.Journeys));
        var q = series.Intervals[3];
        foreach (var outcome in Enum.GetValues<JourneyOutcome>())
        {
            var status = JourneyClassifier.Classify(data.Journeys, q.Window, outcome, data.Design.Rules, data.Design.Pairs);
            for (int p = 0; p < data.Design.Pairs.Count; p++)
                foreach (var arm in new[] { Group.Pilot, Group.Comparison })
                {
                    var cell = series[p, 3, arm].Outcome(OutcomeNames.Of(outcome))!.Value;
                    Assert.Equal(status.LongCount(s => s.IsIncluded && s.Pair == p && s.Group == arm), cell.N);
                    Assert.Equal(status.LongCount(s => s.IsIncluded && s.Pair == p && s.Group == arm && s.IsEvent), cell.Events);
                }
        }
    }

    /// <summary>For every analysis: rows in its cells plus its ledger rows equal the input rows.</summary>
    internal static bool Balanced(TrendSeries series, long inputRows)
    {
        foreach (var analysis in series.Exclusions.Analyses)
        {
            var parts = analysis.Split('/');
            int k = series.Intervals.Single(i => i.Name == parts[1]).Index;
            long inCells = series.Points.Where(p => p.Interval.Index == k).Sum(p => parts[0] switch
            {
                TrendSeries.NewJourneys => p.NewJourneys,
                TrendSeries.InTreatment => p.InTreatment,
                _ => p.Outcome(parts[0])!.Value.N,
            });
            if (series.Exclusions.InputRows(analysis) != inputRows) return false;
            if (inCells + series.Exclusions.ExcludedRows(analysis) != inputRows) return false;
        }
        return true;
    }

    internal static void AssertSame(TrendSeries expected, TrendSeries actual)
    {
        Assert.Equal(expected.Intervals, actual.Intervals);
        Assert.Equal(expected.Points.Count, actual.Points.Count);
        for (int i = 0; i < expected.Points.Count; i++)
        {
            var (e, a) = (expected.Points[i], actual.Points[i]);
            Assert.Equal((e.Pair, e.Interval, e.Arm, e.NewJourneys, e.InTreatment), (a.Pair, a.Interval, a.Arm, a.NewJourneys, a.InTreatment));
            foreach (var o in TrendSeries.Outcomes)
                Assert.Equal((e.Outcome(o)?.N, e.Outcome(o)?.Events), (a.Outcome(o)?.N, a.Outcome(o)?.Events));
        }
        Assert.Equal(expected.Exclusions.Analyses, actual.Exclusions.Analyses);
        Assert.Equal(expected.Exclusions.Entries.Count, actual.Exclusions.Entries.Count);
        for (int i = 0; i < expected.Exclusions.Entries.Count; i++)
        {
            var (e, a) = (expected.Exclusions.Entries[i], actual.Exclusions.Entries[i]);
            Assert.Equal((e.Analysis, e.Reason, e.Rows), (a.Analysis, a.Reason, a.Rows));
            Assert.Equal(e.Lines, a.Lines);
        }
        Assert.Equal(expected.Warnings, actual.Warnings);
    }
}

/// <summary>
/// The series of a small hand-made fixture (fixtures/trends/series: 24 journeys on the edges of the rules) against an
/// independent count written from the methodology in Python (expected_series.py, its output committed beside it).
/// </summary>
public class TrendSeriesFixtureTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "trends", "series");

    [Theory]
    [InlineData(IntervalKind.Quarter, Implementation.Reference)]
    [InlineData(IntervalKind.Quarter, Implementation.Fast)]
    [InlineData(IntervalKind.Month, Implementation.Reference)]
    [InlineData(IntervalKind.Month, Implementation.Fast)]
    public void Series_MatchesTheIndependentCount(IntervalKind kind, Implementation implementation)
    {
        var design = Data.DesignFile.Load(Path.Combine(Dir, "design.json"));
        var journeys = Data.Readers.Journeys(Path.Combine(Dir, "journeys.csv"));
        var series = Trends.Trends.Series(design, journeys, kind, implementation);
        string name = kind == IntervalKind.Quarter ? "quarter" : "month";

        var expected = File.ReadAllLines(Path.Combine(Dir, "expected_series.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == name).ToArray();
        Assert.Equal(series.Intervals.Select(i => i.Name), expected.Select(f => f[1]).Distinct());
        int compared = 0;
        foreach (var f in expected)
        {
            var point = series.Points.Single(p => p.Interval.Name == f[1] && p.Pair == f[2] && p.Arm == (f[3] == "pilot" ? Group.Pilot : Group.Comparison));
            var (n, events) = f[4] switch
            {
                TrendSeries.NewJourneys => (point.NewJourneys, 0L),
                TrendSeries.InTreatment => (point.InTreatment, 0L),
                _ => (point.Outcome(f[4])!.Value.N, point.Outcome(f[4])!.Value.Events),
            };
            Assert.True((long.Parse(f[5]), long.Parse(f[6])) == (n, events), $"{f[1]} {f[2]} {f[3]} {f[4]}: expected {f[5]}/{f[6]}, got {n}/{events}");
            compared++;
        }
        Assert.Equal(series.Points.Count * (kind == IntervalKind.Quarter ? 5 : 3), compared);

        var ledger = File.ReadAllLines(Path.Combine(Dir, "expected_ledger.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == name)
            .Select(f => (Analysis: f[1], Reason: f[2], Rows: long.Parse(f[3]))).OrderBy(x => x).ToArray();
        var actual = series.Exclusions.Entries.Select(e => (e.Analysis, e.Reason, e.Rows)).OrderBy(x => x).ToArray();
        Assert.Equal(ledger, actual);
        Assert.True(TrendSeriesTests.Balanced(series, journeys.InputRows));
        // Data errors keep their lines: 'j' (end before start, line 16), 'k' (exit without end, line 17), 'l' (no age, line 18).
        Assert.Equal([16L], series.Exclusions.Entries.First(e => e.Reason == ExclusionReasons.EndBeforeStart).Lines);
        Assert.Equal([18L], series.Exclusions.Entries.First(e => e.Reason == ExclusionReasons.MissingAge).Lines);
    }
}

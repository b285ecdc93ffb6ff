using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The fast and reference classifications of the journey indicators agree row for row (FsCheck), on random journeys
/// and on journeys placed on the rules' edges (completions around e − R, re-presentations around day R, starts
/// around e − D, waits around the thresholds), and whole evaluations agree on the demo data across row blocks.
/// </summary>
[Trait("Category", "FastPath")]
public class IndicatorAgreementTests
{
    private static readonly EvaluationDesign Design = new(StudyDesign.Dscp,
        [new AreaPair("s1", ["P1"], ["C1"]), new AreaPair("s2", ["P2"], ["C2"])]);
    private static readonly string[] Areas = ["P1", "C1", "P2", "C2", "X"];
    private static readonly DateWindow[] Windows = [StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post];

    /// <summary>The ledger tests' random journeys (clients c0–c30, areas P1, C1, P2, C2, X) with random waiting dates.</summary>
    private static Gen<Journey> RandomJourney =>
        from j in LedgerPropertyTests.JourneyGen
        from referral in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(-60, 5).Select(x => (int?)x)))
        from wait in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(-3, 60).Select(x => (int?)x)))
        select j with
        {
            ReferralDate = referral is int r ? j.Start.AddDays(r) : null,
            FirstInterventionDate = referral is int r2 && wait is int w ? j.Start.AddDays(r2 + w) : null,
        };

    /// <summary>Completions ending around e − R for both R, and later journeys of the same client around day R.</summary>
    private static Gen<Journey[]> EdgeClient =>
        from client in Gen.Choose(0, 100_000)
        from area in Gen.Elements(Areas)
        from window in Gen.Elements(Windows)
        from r in Gen.Elements(182, 365)
        from endShift in Gen.Choose(-2, 2)
        from length in Gen.Choose(1, 400)
        from exit in Gen.Elements(1, 2, 4, 80)
        from again in Gen.Elements(0, 1, 2)    // 0: no other journey; 1: one around day R; 2: one around e − D
        from againShift in Gen.Choose(-2, 2)
        from age in Gen.Choose(17, 19)
        let end = window.End.AddDays(-r + endShift - (again == 1 ? 30 : 0))
        let first = new Journey($"e{client}", area, end.AddDays(-length), end, exit, age)
        let nextStart = again == 1 ? end.AddDays(r + againShift) : window.End.AddDays(-JourneyRules.Default.EffectiveTreatmentDays + againShift)
        select again == 0 ? new[] { first } : [first, new Journey($"e{client}", area, nextStart, null, null, age)];

    private static bool Agree(IndicatorClassification a, IndicatorClassification b) =>
        a.Representation.Zip(b.Representation).All(x => x.First.Zip(x.Second).All(y => y.First.SequenceEqual(y.Second)))
        && a.TimeInTreatment.Zip(b.TimeInTreatment).All(x => x.First.SequenceEqual(x.Second))
        && a.TreatmentDays.Zip(b.TreatmentDays).All(x => x.First.SequenceEqual(x.Second))
        && a.Waiting.Zip(b.Waiting).All(x => x.First.SequenceEqual(x.Second))
        && a.Waits.Zip(b.Waits).All(x => x.First.SequenceEqual(x.Second));

    private static bool FastMatchesReference(List<Journey> rows) =>
        Agree(IndicatorClassification.Reference(rows, Windows, JourneyRules.Default, Design.Pairs, IndicatorOptions.Default),
              FastIndicatorClassifier.Classify(IndicatorTable.From(rows), Windows, JourneyRules.Default, Design.Pairs, IndicatorOptions.Default));

    [Property(MaxTest = 300)]
    public Property FastAndReference_Agree_OnRandomJourneys() =>
        Prop.ForAll(Gen.ListOf(RandomJourney).ToArbitrary(), list => FastMatchesReference(list.ToList()));

    [Property(MaxTest = 200)]
    public Property FastAndReference_Agree_OnEdgeJourneys() =>
        Prop.ForAll(Gen.Choose(20, 200).SelectMany(k => Gen.ListOf(EdgeClient, k)).ToArbitrary(),
            list => FastMatchesReference(list.SelectMany(x => x).ToList()));

    [Fact]
    public void EdgeJourneys_ReachEveryBranch()
    {
        // The edge generator is only worth running if it hits follow-up incomplete, events and re-presented non-events.
        var rows = Gen.ListOf(EdgeClient, 400).Sample(1, 1).Single().SelectMany(x => x).ToList();
        var c = IndicatorClassification.Reference(rows, Windows, JourneyRules.Default, Design.Pairs, IndicatorOptions.Default);
        var all = c.Representation.SelectMany(x => x).SelectMany(x => x).ToList();
        Assert.Contains(all, s => s.Reason == IndicatorReasons.FollowUpIncomplete);
        Assert.Contains(all, s => s.IsIncluded && s.IsEvent);
        Assert.Contains(all, s => s.IsIncluded && !s.IsEvent);
    }

    [Fact]
    public void WholeEvaluation_FastAndReference_Agree_OnDemoScaleData_AcrossBlocks()
    {
        // About 70,000 journeys: two 65,536-row blocks.
        var data = Data.Synthetic.IndicatorData.Generate(7, 4_000);
        var fast = IndicatorEvaluator.Evaluate(data.Design with { Covariates = CovariateSpec.None }, new RecordSet<Journey>(data.Journeys), null, null, Implementation.Fast);
        var reference = IndicatorEvaluator.Evaluate(data.Design with { Covariates = CovariateSpec.None }, new RecordSet<Journey>(data.Journeys), null, null, Implementation.Reference);
        foreach (var (name, statuses) in reference.Classifications)
            Assert.True(statuses.SequenceEqual(fast.Classifications[name]), name);
        Assert.Equal(reference.ProportionCells().SelectMany(x => x.Value.Select(p => p.Cells)), fast.ProportionCells().SelectMany(x => x.Value.Select(p => p.Cells)));
        Assert.Equal(reference.TimeInTreatment.Select(t => t.MeanDid), fast.TimeInTreatment.Select(t => t.MeanDid));
    }
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>Methodology §8 as properties: every input row ends in exactly one place.</summary>
public class LedgerPropertyTests
{
    private static readonly DateOnly Origin = new(2007, 1, 1);
    private static readonly EvaluationDesign Design = new(StudyDesign.Dscp,
        [new AreaPair("s1", ["P1"], ["C1"], ["H1"]), new AreaPair("s2", ["P2"], ["C2"])]);
    private static readonly string[] Areas = ["P1", "C1", "P2", "C2", "X"];

    internal static Gen<Journey> JourneyGen =>
        from client in Gen.Choose(0, 30)
        from area in Gen.Elements(Areas)
        from start in Gen.Choose(0, 1800)
        from length in Gen.Choose(-20, 900)
        from hasEnd in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from exit in Gen.Frequency((2, Gen.Constant<int?>(null)), (3, Gen.Choose(1, 90).Select(x => (int?)x)))
        from age in Gen.Frequency((8, Gen.Choose(14, 70).Select(x => (int?)x)), (1, Gen.Constant<int?>(null)), (1, Gen.Constant<int?>(-2)))
        select new Journey($"c{client}", area, Origin.AddDays(start), hasEnd ? Origin.AddDays(start + length) : null, exit, age);

    private static Gen<Referral> ReferralGen =>
        from client in Gen.Choose(0, 30)
        from area in Gen.Elements(Areas)
        from local in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        from prison in Gen.Elements("H1", "H2")
        from leaving in Gen.Choose(0, 1800)
        select new Referral($"r{client}-{leaving}", $"c{client}", area, local ? area : "X", prison, Origin.AddDays(leaving));

    private static Gen<Pickup> PickupGen =>
        from client in Gen.Choose(0, 30)
        from prison in Gen.Elements("H1", "H2")
        from day in Gen.Choose(0, 1900)
        select new Pickup($"c{client}", prison, Origin.AddDays(day));

    private static bool Balances(EvaluationResult result)
    {
        foreach (var analysis in result.Exclusions.Analyses)
        {
            var (outcome, period) = (analysis.Split('/')[0], analysis.EndsWith("/pre") ? "Pre" : "Post");
            long inCells = result.Pairs.Sum(p => p.Outcomes[outcome].CellRows.Named()
                .Where(c => c.Name.EndsWith(period, StringComparison.Ordinal)).Sum(c => c.Cell.N));
            long statusRows = result.Classifications[analysis].Count(s => s.IsIncluded);
            if (inCells != statusRows) return false;
            if (inCells + result.Exclusions.ExcludedRows(analysis) != result.Exclusions.InputRows(analysis)) return false;
        }
        return true;
    }

    private static EvaluationResult Journeys(List<Journey> journeys, int rejected)
    {
        // Anchor clients give every cell of every outcome at least one row, so no cell has n = 0 (a documented error).
        var anchors = Areas.Take(4).SelectMany(a => new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post }.Select(w =>
            new Journey($"anchor-{a}-{w.Start}", a, w.Start.AddDays(10), w.Start.AddDays(100), 1, 40)));
        var rows = journeys.Concat(anchors).ToList();
        var rejectedRows = Enumerable.Range(0, rejected).Select(i => new RejectedRow(1000 + i, "age", "bad")).ToList();
        return Evaluator.Journeys(Design, new RecordSet<Journey>(rows, rejectedRows));
    }

    [Property(MaxTest = 200)]
    public Property JourneyLedger_Balances() =>
        Prop.ForAll(Gen.ListOf(JourneyGen).Zip(Gen.Choose(0, 3)).ToArbitrary(), t =>
        {
            var result = Journeys(t.Item1.ToList(), t.Item2);
            return Balances(result);
        });

    [Property(MaxTest = 200)]
    public Property ReferralLedger_Balances() =>
        Prop.ForAll(Gen.ListOf(ReferralGen).Zip(Gen.ListOf(PickupGen)).ToArbitrary(), t =>
        {
            var anchors = Areas.Take(4).SelectMany(a => new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post }.Select(w =>
                new Referral($"anchor-{a}-{w.Start}", "anchor", a, a, "H1", w.Start.AddDays(5))));
            var result = Evaluator.Referrals(Design, new RecordSet<Referral>(t.Item1.Concat(anchors).ToList()), t.Item2.ToList());
            return Balances(result);
        });

    [Property(MaxTest = 300)]
    [Trait("Category", "FastPath")]
    public Property FastAndReferenceClassification_Agree() =>
        Prop.ForAll(Gen.ListOf(JourneyGen).ToArbitrary(), Gen.Elements(JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion, JourneyOutcome.SuccessfulCompletionOfCaseload).ToArbitrary(), (list, outcome) =>
        {
            var rows = list.ToList();
            var table = JourneyTable.From(rows);
            return new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post }.All(w =>
                JourneyClassifier.Classify(rows, w, outcome, JourneyRules.Default, Design.Pairs)
                    .SequenceEqual(FastJourneyClassifier.Classify(table, w, outcome, JourneyRules.Default, Design.Pairs)));
        });

    /// <summary>
    /// Journeys on the edges the rules test: starts and ends on or next to a window's first and last days, lengths
    /// around the effective-treatment threshold, completed and other exit reasons, ages around the minimum. Many
    /// clients have one journey, so most rows are their client's latest and reach the winners' tests.
    /// </summary>
    private static Gen<Journey> EdgeJourneyGen =>
        from client in Gen.Choose(0, 400)
        from area in Gen.Elements(Areas)
        from window in Gen.Elements(StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post)
        from anchor in Gen.Elements(0, 1, 2)
        from shift in Gen.Choose(-2, 2)
        from length in Gen.OneOf(Gen.Choose(JourneyRules.Default.EffectiveTreatmentDays - 2, JourneyRules.Default.EffectiveTreatmentDays + 2), Gen.Choose(0, 400))
        from endShift in Gen.Choose(-2, 2)
        from endKind in Gen.Elements(0, 1, 2) // 0: start + length, 1: on or next to the window's last day, 2: no end
        from exit in Gen.OneOf(Gen.Elements(JourneyRules.Default.CompletedExitReasons.ToArray()).Select(x => (int?)x), Gen.Choose(1, 90).Select(x => (int?)x), Gen.Constant<int?>(null))
        from age in Gen.Choose(JourneyRules.Default.MinimumAge - 1, JourneyRules.Default.MinimumAge + 1)
        let start = (anchor == 0 ? window.Start : anchor == 1 ? window.End : window.End.AddDays(-JourneyRules.Default.EffectiveTreatmentDays)).AddDays(shift)
        let end = endKind == 0 ? start.AddDays(length) : endKind == 1 ? window.End.AddDays(endShift) : (DateOnly?)null
        select new Journey($"c{client}", area, start, end, end is null ? null : exit, age);

    /// <summary>The same agreement on tables of 64 to 400 edge journeys, so that most rows go through the vector paths (32 rows a step).</summary>
    [Property(MaxTest = 200)]
    [Trait("Category", "FastPath")]
    public Property FastAndReferenceClassification_Agree_OnEdgeJourneys() =>
        Prop.ForAll(Gen.Choose(64, 400).SelectMany(k => Gen.ListOf(EdgeJourneyGen, k)).ToArbitrary(),
            Gen.Elements(JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion, JourneyOutcome.SuccessfulCompletionOfCaseload).ToArbitrary(), (list, outcome) =>
        {
            var rows = list.ToList();
            var table = JourneyTable.From(rows);
            return new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post }.All(w =>
                JourneyClassifier.Classify(rows, w, outcome, JourneyRules.Default, Design.Pairs)
                    .SequenceEqual(FastJourneyClassifier.Classify(table, w, outcome, JourneyRules.Default, Design.Pairs)));
        });

    [Fact]
    [Trait("Category", "FastPath")]
    public void FastAndReferenceClassification_Agree_OnTheDemoData_AcrossBlocks()
    {
        // 168,000 journeys: several 65,536-row blocks and both threads' ranges of the latest-journey pass.
        var data = Data.Synthetic.SyntheticData.Generate(3, 10_000);
        var table = JourneyTable.From(data.Journeys);
        foreach (var outcome in Enum.GetValues<JourneyOutcome>())
            foreach (var w in new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post })
                Assert.Equal(JourneyClassifier.Classify(data.Journeys, w, outcome, data.Design.Rules, data.Design.Pairs),
                    FastJourneyClassifier.Classify(table, w, outcome, data.Design.Rules, data.Design.Pairs));
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void FastClassifyMany_SharedPasses_MatchTheReference_InAnyOrder()
    {
        // Six analyses in one call, the caseload outcome both before and after the ones it reuses.
        var data = Data.Synthetic.SyntheticData.Generate(5, 2_000);
        var table = JourneyTable.From(data.Journeys);
        var windows = new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post };
        var order = new[] { JourneyOutcome.SuccessfulCompletionOfCaseload, JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion };
        var analyses = order.SelectMany(o => windows.Select(w => (w, o))).ToArray();
        var many = FastJourneyClassifier.ClassifyMany(table, analyses, data.Design.Rules, data.Design.Pairs);
        for (int k = 0; k < analyses.Length; k++)
            Assert.Equal(JourneyClassifier.Classify(data.Journeys, analyses[k].w, analyses[k].o, data.Design.Rules, data.Design.Pairs), many[k]);
    }

    [Fact]
    public void JourneyLedger_Balances_OnTheDemoData()
    {
        var data = Data.Synthetic.SyntheticData.Generate();
        var result = Evaluator.Journeys(data.Design, new RecordSet<Journey>(data.Journeys));
        Assert.True(Balances(result));
        Assert.Equal(data.Journeys.Count, result.Exclusions.InputRows("effectiveTreatment/pre"));
        var referrals = Evaluator.Referrals(data.Design, new RecordSet<Referral>(data.Referrals), data.Pickups);
        Assert.True(Balances(referrals));
    }

    [Fact]
    public void Ledger_KeepsLineNumbersOfDataErrors()
    {
        var rows = new List<Journey>
        {
            new("a", "P1", new DateOnly(2010, 1, 1), new DateOnly(2009, 1, 1), 3, 30) { SourceLine = 7 },
            new("b", "C1", new DateOnly(2010, 1, 1), null, null, 30) { SourceLine = 8 },
            new("c", "P2", new DateOnly(2010, 1, 1), null, null, 30) { SourceLine = 9 },
            new("d", "C2", new DateOnly(2010, 1, 1), null, null, 30) { SourceLine = 10 },
            new("e", "P1", new DateOnly(2010, 1, 1), null, null, 30) { SourceLine = 11 },
            new("f", "P1", new DateOnly(2008, 1, 1), new DateOnly(2008, 12, 1), 1, 30) { SourceLine = 12 },
            new("g", "C1", new DateOnly(2008, 1, 1), new DateOnly(2008, 12, 1), 1, 30) { SourceLine = 13 },
            new("h", "P2", new DateOnly(2008, 1, 1), new DateOnly(2008, 12, 1), 1, 30) { SourceLine = 14 },
            new("i", "C2", new DateOnly(2008, 1, 1), new DateOnly(2008, 12, 1), 1, 30) { SourceLine = 15 },
        };
        var scRows = rows.Select(j => j.End is null ? j with { End = new DateOnly(2010, 6, 1), ExitReason = 1 } : j).ToList();
        var result = Evaluator.Journeys(Design, new RecordSet<Journey>(scRows, [new RejectedRow(3, "age", "'x' is not a whole number")]));
        var e = Assert.Single(result.Exclusions.Entries, x => x.Analysis == "effectiveTreatment/pre" && x.Reason == ExclusionReasons.EndBeforeStart);
        Assert.Equal([7L], e.Lines);
        var u = Assert.Single(result.Exclusions.Entries, x => x.Analysis == "effectiveTreatment/pre" && x.Reason == ExclusionReasons.Unparseable);
        Assert.Equal([3L], u.Lines);
        Assert.Equal(10, result.Exclusions.InputRows("effectiveTreatment/pre"));
    }
}

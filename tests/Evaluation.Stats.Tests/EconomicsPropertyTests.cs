using Evaluation.Stats.Economics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>Properties of the economics stage under FsCheck, each against a closed form written independently.</summary>
public class EconomicsPropertyTests
{
    private static Arbitrary<(double Rate, int Years, double Value)> Streams() =>
        (from rate in Gen.Choose(-500, 2000).Select(k => k / 10_000.0)
         from years in Gen.Choose(1, 40)
         from value in Gen.Choose(-100_000, 100_000).Select(v => (double)v)
         select (rate, years, value)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property PresentValueOfAConstantStream_IsTheAnnuityFormula() => Prop.ForAll(Streams(), s =>
    {
        double pv = PresentValue.Of(Enumerable.Repeat(s.Value, s.Years).ToArray(), s.Rate);
        double annuity = s.Rate == 0 ? s.Value * s.Years : s.Value * (1 - Math.Pow(1 + s.Rate, -s.Years)) / s.Rate;
        return Math.Abs(pv - annuity) <= 1e-9 * Math.Max(1, Math.Abs(annuity));
    });

    private static Arbitrary<(double Et, double Sc, long N, double Cost)> Effects() =>
        (from et in Gen.Choose(-1000, 1000).Select(k => k / 1000.0)
         from sc in Gen.Choose(-1000, 1000).Select(k => k / 1000.0)
         from n in Gen.Choose(0, 100_000).Select(k => (long)k)
         from cost in Gen.Choose(1, 5_000_000).Select(c => (double)c)
         select (et, sc, n, cost)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Chain_IsDidTimesNTimesUnitValue_WithTheRatioCarryingTheSign() => Prop.ForAll(Effects(), e =>
    {
        var u = UnitValueParameters.Report.Compute();
        var pair = new PairEffects("p", new OutcomeEffect(e.Et, e.N), new OutcomeEffect(e.Sc, e.N));
        var r = CostBenefit.Evaluate([pair], [new PairCosts("p", [e.Cost])]).Pairs[0];
        double total = e.Et * e.N * u.EffectiveTreatment + e.Sc * e.N * u.SuccessfulCompletion;
        bool close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
        return close(r.Benefits.Total, total) && close(r.NetBenefit!.Value, total - e.Cost) && close(r.Ratio!.Value, total / e.Cost)
            && Math.Sign(r.Ratio.Value) == Math.Sign(total) && close(r.Sensitivity.Total, 0.5 * total);
    });

    private static Arbitrary<(double Pi, double Decay, double Decline, double Rate)> Parameters() =>
        (from pi in Gen.Choose(0, 100).Select(k => k / 100.0)
         from decay in Gen.Choose(0, 100).Select(k => k / 100.0)
         from decline in Gen.Choose(0, 100).Select(k => k / 100.0)
         from rate in Gen.Choose(0, 100).Select(k => k / 1000.0)
         select (pi, decay, decline, rate)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property CompletionValue_IsShortTermPlusPiTimesRecovery_AndFallsWithSlowerDecay() => Prop.ForAll(Parameters(), q =>
    {
        var p = UnitValueParameters.Report with { RecoveryProbability = q.Pi, RecoveredHarmDecayRate = q.Decay, NoTreatmentHarmDeclineRate = q.Decline, DiscountRate = q.Rate };
        var u = p.Compute();
        var slower = (p with { RecoveredHarmDecayRate = q.Decay / 2 }).Compute();
        return Math.Abs(u.SuccessfulCompletion - (u.EffectiveTreatment + q.Pi * u.Recovery)) <= 1e-7
            && slower.SuccessfulCompletion <= u.SuccessfulCompletion + 1e-7
            && u.Years.Count == 12;
    });
}

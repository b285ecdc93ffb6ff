using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Monte Carlo calibration of the programme-level methods (methodology §10; figures in docs/validation.md,
/// "Programme-level inference with six pairs"). Six pairs of two areas, no true effect, area-by-window shocks on the
/// probability scale with intra-cluster correlation ICC. Seeds are fixed, so every run is deterministic. CI runs
/// 400 replicates; the recorded figures are
/// <c>EVALSTATS_CALIBRATION_REPS=4000 dotnet test tests/Evaluation.Stats.Tests -c Release --filter "FullyQualifiedName~ProgrammeCalibration" --logger "console;verbosity=detailed"</c>.
/// </summary>
public class ProgrammeCalibrationTests(ITestOutputHelper output)
{
    private static readonly int Reps = int.TryParse(Environment.GetEnvironmentVariable("EVALSTATS_CALIBRATION_REPS"), out var r) ? r : 400;

    private static double Allowed(double p) => 3.5 * Math.Sqrt(p * (1 - p) / Reps);

    /// <summary>The cell sizes (pilot pre, pilot post, comparison pre, comparison post) and pre-period rates of six pairs, in the range of report Tables 6.2 and 6.4.</summary>
    internal static readonly (int[] N, double Rate)[] Pairs =
    [
        ([1657, 1661, 608, 699], 0.45), ([1131, 1233, 1954, 2309], 0.36), ([1015, 1152, 1018, 1199], 0.38),
        ([793, 878, 608, 789], 0.42), ([608, 780, 749, 956], 0.33), ([949, 1091, 674, 1017], 0.31),
    ];

    /// <summary>Rejections at 5% and coverage of 95% intervals (for the true effect, 0) by method.</summary>
    internal sealed record Rates(double NaivePair, double NaivePairCoverage, double FixedEffect, double FixedEffectCoverage,
        double RandomEffects, double RandomEffectsCoverage, double KnappHartung, double KnappHartungCoverage, double Randomization);

    /// <summary>
    /// One replicate: each area × window gets a shock e ~ N(0, ICC·p(1−p)) on its rate (so two records of one area and
    /// window correlate by ICC), a common trend of +3 points, and binomial cells. No pilot effect: the DiD's truth is 0.
    /// </summary>
    internal static Rates Simulate(double icc, int reps, int seed)
    {
        var rng = new Random(seed);
        var normal = new Normal(0, 1, rng);
        int naive = 0, naiveCover = 0, naiveTests = 0, fe = 0, feCover = 0, re = 0, reCover = 0, hk = 0, hkCover = 0, ri = 0;
        for (int k = 0; k < reps; k++)
        {
            var estimates = new List<PairEstimate>();
            foreach (var (n, rate) in Pairs)
            {
                var cells = new Cell[4];
                for (int c = 0; c < 4; c++)
                {
                    double p = rate + (c % 2 == 1 ? 0.03 : 0);
                    double shocked = Math.Clamp(p + Math.Sqrt(icc * p * (1 - p)) * normal.Sample(), 0.01, 0.99);
                    cells[c] = new Cell(n[c], Binomial.Sample(rng, shocked, n[c]));
                }
                var rd = DidEstimator.RiskDifference(new PairCells(cells[0], cells[1], cells[2], cells[3]));
                naiveTests++;
                if (rd.PValue < 0.05) naive++;
                if (rd.CiLower <= 0 && 0 <= rd.CiUpper) naiveCover++;
                estimates.Add(new PairEstimate($"p{estimates.Count}", rd.Estimate, rd.StdError));
            }
            var f = MetaAnalysis.FixedEffect(estimates);
            var random = MetaAnalysis.RandomEffects(estimates);
            var rnd = random.Pooled;
            if (random.KnappHartung.PValue < 0.05) hk++;
            if (random.KnappHartung.CiLower <= 0 && 0 <= random.KnappHartung.CiUpper) hkCover++;
            if (f.PValue < 0.05) fe++;
            if (f.CiLower <= 0 && 0 <= f.CiUpper) feCover++;
            if (rnd.PValue < 0.05) re++;
            if (rnd.CiLower <= 0 && 0 <= rnd.CiUpper) reCover++;
            if (RandomizationTest.SignFlip(estimates).PValue <= 0.05) ri++;
        }
        double R(int x, int of) => (double)x / of;
        return new Rates(R(naive, naiveTests), R(naiveCover, naiveTests), R(fe, reps), R(feCover, reps), R(re, reps), R(reCover, reps), R(hk, reps), R(hkCover, reps), R(ri, reps));
    }

    private void Report(double icc, Rates r) => output.WriteLine(
        $"ICC {icc}: rejection at 5% (coverage of 95% CI): naive pair Wald {r.NaivePair:0.0000} ({r.NaivePairCoverage:0.0000}), " +
        $"pooled FE Wald {r.FixedEffect:0.0000} ({r.FixedEffectCoverage:0.0000}), random effects DL {r.RandomEffects:0.0000} ({r.RandomEffectsCoverage:0.0000}), " +
        $"DL with Knapp-Hartung {r.KnappHartung:0.0000} ({r.KnappHartungCoverage:0.0000}), randomization {r.Randomization:0.0000} (exact level 2/64 = 0.0313); {Reps} replicates");

    [Fact]
    public void NoShocks_EveryMethodHoldsItsLevel()
    {
        var r = Simulate(0, Reps, 1501);
        Report(0, r);
        Assert.InRange(r.FixedEffect, 0.05 - Allowed(0.05), 0.05 + Allowed(0.05));
        Assert.InRange(r.FixedEffectCoverage, 0.95 - Allowed(0.05), 0.95 + Allowed(0.05));
        // With 64 sign flips, an assignment and its mirror (every sign flipped) have the same |T|, so p is a multiple
        // of 2/64 and p ≤ 0.05 only at p = 2/64: the exact level is 2/64 = 0.03125.
        Assert.InRange(r.Randomization, 2.0 / 64 - Allowed(2.0 / 64), 2.0 / 64 + Allowed(2.0 / 64));
        Assert.InRange(r.KnappHartung, 0.05 - Allowed(0.05), 0.05 + Allowed(0.05));
    }

    [Theory]
    [InlineData(0.01, 1502)]
    [InlineData(0.05, 1503)]
    public void AreaShocks_WaldTestsOverReject_KnappHartungAndRandomizationHoldTheirLevels(double icc, int seed)
    {
        var r = Simulate(icc, Reps, seed);
        Report(icc, r);
        // The recommended default, random effects with the Knapp-Hartung interval: within 5% ± 1.5% (and within the
        // Monte Carlo error of 5%). The randomization test is exact but, with 6 pairs, its level is 2/64.
        Assert.InRange(r.KnappHartung, 0.035, 0.065);
        Assert.InRange(r.KnappHartung, 0.05 - Allowed(0.05), 0.05 + Allowed(0.05));
        Assert.InRange(r.KnappHartungCoverage, 0.95 - Allowed(0.05), 0.95 + Allowed(0.05));
        Assert.InRange(r.Randomization, 2.0 / 64 - Allowed(2.0 / 64), 2.0 / 64 + Allowed(2.0 / 64));
        // The Wald tests that treat records as independent do not: area shocks make them reject far too often.
        Assert.True(r.NaivePair > 0.2, $"naive pair Wald rejects {r.NaivePair}");
        Assert.True(r.FixedEffect > 0.2, $"pooled FE Wald rejects {r.FixedEffect}");
        Assert.True(r.RandomEffects > r.Randomization, $"random effects {r.RandomEffects} vs randomization {r.Randomization}");
    }
}

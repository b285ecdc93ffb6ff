using Evaluation.Stats.Inference;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>The sign-flip randomization test against brute force, and its Monte Carlo path.</summary>
public class RandomizationTests
{
    /// <summary>
    /// Brute force, written independently: every sign vector as an explicit array, the pooled FE estimate recomputed
    /// from scratch by <see cref="MetaAnalysis.FixedEffect"/> on the flipped pairs, and the share with |T| ≥ |T_obs|.
    /// </summary>
    private static double BruteForce(PairEstimate[] pairs)
    {
        double observed = Math.Abs(MetaAnalysis.FixedEffect(pairs).Estimate);
        int k = pairs.Length, count = 0, total = 0;
        var signs = new int[k];
        Array.Fill(signs, 1);
        while (true)
        {
            var flipped = pairs.Select((p, i) => p with { Estimate = signs[i] * p.Estimate }).ToArray();
            if (Math.Abs(MetaAnalysis.FixedEffect(flipped).Estimate) >= observed * (1 - 1e-12)) count++;
            total++;
            int j = 0; // odometer over {+1, −1}^k
            while (j < k && signs[j] == -1) signs[j++] = 1;
            if (j == k) break;
            signs[j] = -1;
        }
        Assert.Equal(1 << k, total);
        return (double)count / total;
    }

    [Property(MaxTest = 200)]
    public Property ExactP_EqualsBruteForce()
    {
        var gen = Gen.Choose(1, 10).SelectMany(k =>
            Gen.Choose(-5000, 5000).Two().Select(t => (t.Item1 / 1000.0, 0.1 + Math.Abs(t.Item2) / 1000.0)).ArrayOf(k));
        return Prop.ForAll(gen.ToArbitrary(), xs =>
        {
            var pairs = xs.Select((x, i) => new PairEstimate($"p{i}", x.Item1, x.Item2)).ToArray();
            var r = RandomizationTest.SignFlip(pairs);
            return r.Exact && r.Draws == 1L << pairs.Length && Math.Abs(r.PValue - BruteForce(pairs)) < 1e-15;
        });
    }

    [Fact]
    public void SixEqualPairs_AllPositive_GiveTwoOf64()
    {
        // Only all + and all − reach the observed |T|: p = 2/64.
        var pairs = Enumerable.Range(0, 6).Select(i => new PairEstimate($"p{i}", 0.02, 0.01)).ToArray();
        var r = RandomizationTest.SignFlip(pairs);
        Assert.Equal(2.0 / 64, r.PValue);
        Assert.Equal(64, r.Draws);
        Assert.True(r.Exact);
        Assert.Equal("p = 0.031 (exact, 64 sign flips)", r.ToString());
    }

    [Fact]
    public void SeventeenPairs_UseSeededMonteCarlo_WithItsError()
    {
        var pairs = Enumerable.Range(0, 17).Select(i => new PairEstimate($"p{i}", (i % 3 - 1) * 0.01 + 0.004, 0.01 + i * 0.001)).ToArray();
        var a = RandomizationTest.SignFlip(pairs, seed: 7, monteCarloDraws: 20_000);
        var b = RandomizationTest.SignFlip(pairs, seed: 7, monteCarloDraws: 20_000);
        Assert.False(a.Exact);
        Assert.Equal(a, b); // deterministic given the seed
        Assert.Equal(20_001, a.Draws);
        Assert.Equal(Math.Sqrt(a.PValue * (1 - a.PValue) / a.Draws), a.MonteCarloError, 15);
        // 2^17 = 131,072 is still enumerable by brute force here: the MC p must lie within 4 MC errors of the exact one.
        double exact = BruteForce(pairs);
        Assert.True(Math.Abs(a.PValue - exact) < 4 * a.MonteCarloError + 1e-4, $"MC {a.PValue}, exact {exact}");
    }

    [Fact]
    public void MonteCarlo_CountsTheObservedAssignment()
    {
        // Seventeen equal positive DiDs: only the all-+ and all-− assignments (2 in 131,072) reach the observed |T|,
        // and 1,000 seeded draws hit neither, so p is exactly (0 + 1)/(1,000 + 1), the observed assignment counted once.
        var pairs = Enumerable.Range(0, 17).Select(i => new PairEstimate($"p{i}", 0.02, 0.01)).ToArray();
        var r = RandomizationTest.SignFlip(pairs, seed: 3, monteCarloDraws: 1000);
        Assert.Equal(1.0 / 1001, r.PValue);
        Assert.Equal(1001, r.Draws);
    }
}

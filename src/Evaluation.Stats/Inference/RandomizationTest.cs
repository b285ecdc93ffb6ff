using System.Globalization;

namespace Evaluation.Stats.Inference;

/// <summary>The result of a randomization (sign-flip) test.</summary>
/// <param name="PValue">The share of draws whose |T| is at least the observed |T|, the observed assignment included.</param>
/// <param name="Draws">The number of sign assignments the p-value is over: 2^K when exact, else the Monte Carlo draws plus the observed one.</param>
/// <param name="Exact">True when every one of the 2^K assignments was enumerated.</param>
/// <param name="MonteCarloError">For a Monte Carlo p, its standard error <c>√(p(1 − p)/draws)</c>; 0 when exact.</param>
/// <param name="Seed">The seed of the Monte Carlo draws; <c>null</c> when exact.</param>
public sealed record RandomizationResult(double PValue, long Draws, bool Exact, double MonteCarloError, int? Seed)
{
    /// <summary>For example <c>p = 0.3125 (exact, 64 sign flips)</c>.</summary>
    public override string ToString() => Exact
        ? string.Create(CultureInfo.InvariantCulture, $"p = {PValueText.Format(PValue)} (exact, {Draws} sign flips)")
        : string.Create(CultureInfo.InvariantCulture, $"p = {PValueText.Format(PValue)} (Monte Carlo, {Draws} draws, seed {Seed}, MC error {MonteCarloError:0.0000})");
}

/// <summary>
/// Randomization inference across pairs (methodology §10). Swapping the pilot and comparison labels of a pair
/// flips the sign of its DiD and leaves its SE unchanged, so under the sharp null of no effect in any pair every
/// one of the 2^K sign assignments is equally likely. The statistic is the fixed-effect pooled estimate
/// <c>T(s) = Σ wᵢ sᵢ dᵢ / Σ wᵢ</c> (weights do not change with the signs).
/// </summary>
public static class RandomizationTest
{
    /// <summary>Enumerate exactly while 2^K is at most this (K ≤ 16).</summary>
    public const long MaxExactDraws = 65_536;

    /// <summary>The default number of Monte Carlo draws beyond <see cref="MaxExactDraws"/>.</summary>
    public const int DefaultMonteCarloDraws = 99_999;

    // |T| within this relative margin of the observed counts as "at least as large": the sums of the
    // same terms in other orders (and sign patterns that give the same |T|) must not fall out by rounding.
    private const double RelativeTieTolerance = 1e-12;

    /// <summary>The sign-flip test of the pooled fixed-effect estimate.</summary>
    /// <param name="pairs">The pair estimates (at least one, finite, positive SEs).</param>
    /// <param name="seed">The seed for Monte Carlo draws (used only when K &gt; 16).</param>
    /// <param name="monteCarloDraws">The Monte Carlo draws when not exact (at least 1).</param>
    public static RandomizationResult SignFlip(IReadOnlyList<PairEstimate> pairs, int seed = 1, int monteCarloDraws = DefaultMonteCarloDraws)
    {
        MetaAnalysis.FixedEffect(pairs); // validates
        if (monteCarloDraws < 1) throw new ArgumentOutOfRangeException(nameof(monteCarloDraws), monteCarloDraws, "At least one Monte Carlo draw is needed.");
        int k = pairs.Count;
        // The weighted terms wᵢdᵢ; the common factor 1/Σw does not change which |T| are larger.
        var terms = pairs.Select(p => p.Estimate / (p.StdError * p.StdError)).ToArray();
        double observed = Math.Abs(terms.Sum());
        double threshold = observed * (1 - RelativeTieTolerance);
        if (k <= 16)
        {
            long total = 1L << k, atLeast = 0;
            for (long mask = 0; mask < total; mask++)
                if (Math.Abs(SignedSum(terms, mask)) >= threshold) atLeast++;
            return new RandomizationResult((double)atLeast / total, total, true, 0, null);
        }
        var rng = new Random(seed);
        long hits = 1; // the observed assignment
        for (int b = 0; b < monteCarloDraws; b++)
        {
            double s = 0;
            for (int i = 0; i < k; i++) s += rng.Next(2) == 0 ? terms[i] : -terms[i];
            if (Math.Abs(s) >= threshold) hits++;
        }
        long draws = monteCarloDraws + 1L;
        double p = (double)hits / draws;
        return new RandomizationResult(p, draws, false, Math.Sqrt(p * (1 - p) / draws), seed);
    }

    // Σ sᵢ tᵢ with sᵢ = −1 where bit i of mask is set.
    private static double SignedSum(double[] terms, long mask)
    {
        double s = 0;
        for (int i = 0; i < terms.Length; i++) s += (mask >> i & 1) == 1 ? -terms[i] : terms[i];
        return s;
    }
}

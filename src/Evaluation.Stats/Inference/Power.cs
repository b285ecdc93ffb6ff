using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Inference;

/// <summary>One cell of a planned or observed design: its size and its base rate.</summary>
/// <param name="Name">The row's name, used in errors (for example <c>site 2 pilotPre</c>).</param>
/// <param name="N">The cell size, finite and positive.</param>
/// <param name="Rate">The base rate, a probability strictly between 0 and 1.</param>
public sealed record PowerCell(string Name, double N, double Rate);

/// <summary>The options of a power calculation; every default is named.</summary>
public sealed record PowerOptions
{
    /// <summary>The two-sided significance level, 0.05 by default.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The target power for the minimum detectable effect, 0.8 by default.</summary>
    public double Power { get; init; } = 0.8;

    /// <summary>The intra-cluster correlation, in [0, 1); 0 by default (no design effect).</summary>
    public double Icc { get; init; }

    /// <summary>The mean cluster size m (at least 1); 1 by default.</summary>
    public double ClusterSize { get; init; } = 1;

    /// <summary>An effect (a risk difference, as a fraction) whose power is wanted; none by default.</summary>
    public double? Effect { get; init; }
}

/// <summary>The power figures of one pair.</summary>
/// <param name="Name">The pair's name.</param>
/// <param name="Se0">The SE of the risk-difference DiD under the base rates, without the design effect.</param>
/// <param name="DesignEffect">1 + (m − 1)·ICC.</param>
/// <param name="Mde">The minimum detectable effect (a fraction) at the options' α and power, with the design effect.</param>
/// <param name="PowerForEffect">The power for <see cref="PowerOptions.Effect"/>, with the design effect; <c>null</c> when no effect was given.</param>
public sealed record PairPower(string Name, double Se0, double DesignEffect, double Mde, double? PowerForEffect)
{
    /// <summary>For example <c>site 2: SE0 0.0213, MDE 5.97 points (deff 1.00), power 0.339 for 5.00 points</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: SE0 {Se0:0.0000}, MDE {100 * Mde:0.00} points (deff {DesignEffect:0.00})")
        + (PowerForEffect is double p ? string.Create(CultureInfo.InvariantCulture, $", power {p:0.000}") : "");
}

/// <summary>
/// Power and the minimum detectable effect of a DiD of proportions (methodology §10):
/// <c>SE₀ = √Σ p(1−p)/n</c> over the four cells, <c>MDE = (z₁₋α/₂ + z₁₋β)·SE₀·√deff</c> with
/// <c>deff = 1 + (m − 1)·ICC</c>, and <c>power(δ) = Φ(|δ|/SE − z₁₋α/₂) + Φ(−|δ|/SE − z₁₋α/₂)</c> with <c>SE = SE₀·√deff</c>.
/// </summary>
public static class Power
{
    /// <summary><c>√Σ p(1−p)/n</c> over the cells.</summary>
    /// <exception cref="ArgumentException">When there are no cells, an n is not finite and positive, or a rate is not strictly between 0 and 1 (the message names the row).</exception>
    public static double StandardError0(IReadOnlyList<PowerCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0) throw new ArgumentException("There are no cells.", nameof(cells));
        double v = 0;
        foreach (var c in cells)
        {
            if (!(double.IsFinite(c.N) && c.N > 0)) throw new ArgumentException($"Row '{c.Name}': n = {Show(c.N)} must be finite and positive.", nameof(cells));
            if (!(double.IsFinite(c.Rate) && c.Rate > 0 && c.Rate < 1))
                throw new ArgumentException($"Row '{c.Name}': the rate {Show(c.Rate)} must be a probability strictly between 0 and 1.", nameof(cells));
            v += c.Rate * (1 - c.Rate) / c.N;
        }
        return Math.Sqrt(v);
    }

    /// <summary>The design effect <c>1 + (m − 1)·ICC</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the ICC is outside [0, 1) or m is not finite and at least 1.</exception>
    public static double DesignEffect(double clusterSize, double icc)
    {
        if (!(icc >= 0 && icc < 1)) throw new ArgumentOutOfRangeException(nameof(icc), icc, "The ICC must lie in [0, 1).");
        if (!(double.IsFinite(clusterSize) && clusterSize >= 1)) throw new ArgumentOutOfRangeException(nameof(clusterSize), clusterSize, "The cluster size must be finite and at least 1.");
        return 1 + (clusterSize - 1) * icc;
    }

    /// <summary>The minimum detectable effect <c>(z₁₋α/₂ + z₁₋β)·SE</c> for a test whose estimate has standard error <paramref name="stdError"/>.</summary>
    public static double MinimumDetectableEffect(double stdError, double alpha = 0.05, double power = 0.8)
    {
        RequireSe(stdError);
        RequireProbability(alpha, nameof(alpha));
        RequireProbability(power, nameof(power));
        return (Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power)) * stdError;
    }

    /// <summary>The power of the two-sided level-α z test for a true effect δ: <c>Φ(|δ|/SE − z) + Φ(−|δ|/SE − z)</c>.</summary>
    public static double PowerFor(double effect, double stdError, double alpha = 0.05)
    {
        if (!double.IsFinite(effect)) throw new ArgumentOutOfRangeException(nameof(effect), effect, "The effect must be finite.");
        RequireSe(stdError);
        RequireProbability(alpha, nameof(alpha));
        double z = Normal.InvCDF(0, 1, 1 - alpha / 2), d = Math.Abs(effect) / stdError;
        return Normal.CDF(0, 1, d - z) + Normal.CDF(0, 1, -d - z);
    }

    /// <summary>The power figures of one pair from its observed cells (the rates are events/n).</summary>
    /// <exception cref="ArgumentException">When a cell has n = 0, or 0 or n events (its rate is not strictly between 0 and 1): the message names the pair and the cell.</exception>
    public static PairPower ForPair(string name, PairCells cells, PowerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return ForPair(name, cells.Named().Select(c => new PowerCell($"{name} {c.Name}", c.Cell.N, c.Cell.N == 0 ? double.NaN : c.Cell.Proportion)).ToArray(), options);
    }

    /// <summary>The power figures of one pair from its cells' sizes and base rates.</summary>
    public static PairPower ForPair(string name, IReadOnlyList<PowerCell> cells, PowerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        options ??= new PowerOptions();
        double se0 = StandardError0(cells);
        double deff = DesignEffect(options.ClusterSize, options.Icc);
        double se = se0 * Math.Sqrt(deff);
        return new PairPower(name, se0, deff, MinimumDetectableEffect(se, options.Alpha, options.Power),
            options.Effect is double e ? PowerFor(e, se, options.Alpha) : null);
    }

    private static void RequireSe(double se)
    {
        if (!(double.IsFinite(se) && se > 0)) throw new ArgumentOutOfRangeException(nameof(se), se, "The standard error must be finite and positive.");
    }

    private static void RequireProbability(double p, string name)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(name, p, $"{name} must lie strictly between 0 and 1.");
    }

    private static string Show(double x) => x.ToString(CultureInfo.InvariantCulture);
}

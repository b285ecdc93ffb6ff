using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Indicators;

/// <summary>A proportion with its Wilson score interval (the interval of R's <c>prop.test(x, n, correct = FALSE)</c>).</summary>
/// <param name="Events">The numerator.</param>
/// <param name="N">The denominator.</param>
/// <param name="Proportion">Events / N; NaN when N is 0.</param>
/// <param name="WilsonLower">The interval's lower end; NaN when N is 0.</param>
/// <param name="WilsonUpper">The interval's upper end; NaN when N is 0.</param>
/// <param name="ConfidenceLevel">The interval's level.</param>
public sealed record WilsonProportion(long Events, long N, double Proportion, double WilsonLower, double WilsonUpper, double ConfidenceLevel)
{
    /// <summary>The proportion and interval as percentages.</summary>
    public override string ToString() => N == 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Events}/{N}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Events}/{N} ({100 * Proportion:0.0}%, {100 * ConfidenceLevel:0.#}% CI {100 * WilsonLower:0.0} to {100 * WilsonUpper:0.0})");
}

/// <summary>The control limits of a funnel plot at one denominator.</summary>
/// <param name="N">The denominator.</param>
/// <param name="Benchmark">The benchmark proportion the funnel is drawn around.</param>
/// <param name="Lower95">Lower 95% limit.</param>
/// <param name="Upper95">Upper 95% limit.</param>
/// <param name="Lower998">Lower 99.8% limit.</param>
/// <param name="Upper998">Upper 99.8% limit.</param>
public sealed record FunnelLimits(long N, double Benchmark, double Lower95, double Upper95, double Lower998, double Upper998)
{
    /// <summary>Where a proportion at this denominator lies: <c>"within"</c>, or above/below the 95% or 99.8% limits.</summary>
    public string Classify(double proportion) =>
        proportion > Upper998 ? "above 99.8%" : proportion > Upper95 ? "above 95%"
        : proportion < Lower998 ? "below 99.8%" : proportion < Lower95 ? "below 95%" : "within";
}

/// <summary>
/// Intervals for indicator proportions (methodology §13): Wilson score intervals, and funnel-plot limits around a
/// benchmark, as the national indicator methods present area comparisons.
/// </summary>
public static class Proportions
{
    /// <summary>The Wilson score interval of <paramref name="events"/> out of <paramref name="n"/>:
    /// <c>(p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)</c>, with z the normal quantile of the level.</summary>
    /// <exception cref="ArgumentException">When a count is negative, events exceed n, or the level is not strictly between 0 and 1.</exception>
    public static WilsonProportion Wilson(long events, long n, double confidenceLevel = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        if (events > n) throw new ArgumentOutOfRangeException(nameof(events), events, $"A proportion cannot have more events ({events}) than units ({n}).");
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie strictly between 0 and 1.");
        if (n == 0) return new WilsonProportion(events, n, double.NaN, double.NaN, double.NaN, confidenceLevel);
        double p = (double)events / n;
        var (lo, hi) = Score(p, n, Z(confidenceLevel));
        return new WilsonProportion(events, n, p, lo, hi, confidenceLevel);
    }

    /// <summary>
    /// Funnel-plot limits at denominator <paramref name="n"/> around <paramref name="benchmark"/>: the Wilson score
    /// interval of the benchmark proportion at that n, at 95% and 99.8% (two-sided; z = 1.96 and 3.09), so that an
    /// area inside the limits is consistent with the benchmark.
    /// </summary>
    public static FunnelLimits Funnel(long n, double benchmark)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!(benchmark >= 0 && benchmark <= 1)) throw new ArgumentOutOfRangeException(nameof(benchmark), benchmark, "The benchmark must be a proportion in [0, 1].");
        var (l95, u95) = Score(benchmark, n, Z(0.95));
        var (l998, u998) = Score(benchmark, n, Z(0.998));
        return new FunnelLimits(n, benchmark, l95, u95, l998, u998);
    }

    private static double Z(double level) => Normal.InvCDF(0, 1, 0.5 + level / 2);

    private static (double Lower, double Upper) Score(double p, long n, double z)
    {
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

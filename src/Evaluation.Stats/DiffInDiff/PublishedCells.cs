namespace Evaluation.Stats.DiffInDiff;

/// <summary>
/// Helpers for people who hold only a published table: n and a rounded percentage per cell.
/// </summary>
/// <remarks>
/// Rebuilding events as <c>round(n × percentage)</c> (methodology §7) is a point estimate of counts the table
/// rounded away. Where percentages are printed to whole numbers, a cell's true proportion can lie anywhere in
/// ±0.5 points of the printed one, so a DiD rebuilt this way can miss the published DiD (computed on unrounded
/// figures) by up to 2 points. <see cref="EventRange"/> and <see cref="RiskDifferenceRange"/> give the exact
/// range of counts and of the DiD consistent with what was printed.
/// </remarks>
public static class PublishedCells
{
    /// <summary>The events rebuilt as <c>round(n × percent / 100)</c>, rounding halves away from zero.</summary>
    public static Cell Rebuild(long n, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage must lie in [0, 100].");
        return new Cell(n, (long)Math.Round(n * percent / 100, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Every whole number of events whose percentage of <paramref name="n"/>, rounded half away from zero to
    /// <paramref name="decimals"/> places, prints as <paramref name="percent"/>.
    /// </summary>
    /// <returns>The smallest and largest such counts; <c>null</c> when no count prints as the given percentage.</returns>
    public static (long Min, long Max)? EventRange(long n, double percent, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        long? min = null, max = null;
        double centre = n * percent / 100, halfWidth = n * 0.5 * Math.Pow(10, -decimals) / 100;
        for (long e = Math.Max(0, (long)Math.Floor(centre - halfWidth) - 1); e <= Math.Min(n, (long)Math.Ceiling(centre + halfWidth) + 1); e++)
        {
            if (n == 0) break;
            double printed = Math.Round(100.0 * e / n, decimals, MidpointRounding.AwayFromZero);
            if (Math.Abs(printed - percent) < 1e-9)
            {
                min ??= e;
                max = e;
            }
        }
        return min is null ? null : (min.Value, max!.Value);
    }

    /// <summary>
    /// The smallest and largest risk-difference DiD (as fractions) over every combination of event counts in the
    /// given ranges. The DiD rises with pilot-post and comparison-pre events and falls with the other two, so the
    /// extremes lie at the ends of the ranges.
    /// </summary>
    public static (double Min, double Max) RiskDifferenceRange(
        long pilotPreN, (long Min, long Max) pilotPre, long pilotPostN, (long Min, long Max) pilotPost,
        long comparisonPreN, (long Min, long Max) comparisonPre, long comparisonPostN, (long Min, long Max) comparisonPost)
    {
        static double P(long e, long n) => (double)e / n;
        double min = (P(pilotPost.Min, pilotPostN) - P(pilotPre.Max, pilotPreN)) - (P(comparisonPost.Max, comparisonPostN) - P(comparisonPre.Min, comparisonPreN));
        double max = (P(pilotPost.Max, pilotPostN) - P(pilotPre.Min, pilotPreN)) - (P(comparisonPost.Min, comparisonPostN) - P(comparisonPre.Max, comparisonPreN));
        return (min, max);
    }
}

using Evaluation.Stats.DiffInDiff;

namespace Evaluation.Stats.Indicators;

/// <summary>A distribution of days in one cell: n, mean, standard deviation, median and quartiles (R's type 7).</summary>
/// <param name="N">The number of values.</param>
/// <param name="Mean">The mean; NaN when N is 0.</param>
/// <param name="StdDev">The sample standard deviation (n − 1); NaN when N is below 2.</param>
/// <param name="Q1">The first quartile.</param>
/// <param name="Median">The median.</param>
/// <param name="Q3">The third quartile.</param>
public sealed record DaysSummary(long N, double Mean, double StdDev, double Q1, double Median, double Q3)
{
    /// <summary>Summarises values (any order; the array is not changed).</summary>
    public static DaysSummary Of(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return new DaysSummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double mean = 0;
        foreach (int v in sorted) mean += v;
        mean /= n;
        double ss = 0;
        foreach (int v in sorted) ss += (v - mean) * (v - mean);
        double sd = n > 1 ? Math.Sqrt(ss / (n - 1)) : double.NaN;
        return new DaysSummary(n, mean, sd, Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75));
    }

    /// <summary>The type-7 quantile (R's default) of sorted values: <c>x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])</c>, h = (n − 1)p.</summary>
    public static double Quantile(IReadOnlyList<int> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return double.NaN;
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile's probability must be in [0, 1].");
        double h = (sorted.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The summary in days.</summary>
    public override string ToString() => N == 0 ? "n 0" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"n {N}, mean {Mean:0.0}, median {Median:0.0} (IQR {Q1:0.0} to {Q3:0.0}) days");
}

/// <summary>Difference in differences of cell means.</summary>
public static class MeanDid
{
    /// <summary>
    /// <c>(mean_pilot_post − mean_pilot_pre) − (mean_comp_post − mean_comp_pre)</c> with the Welch-type (unpooled)
    /// standard error <c>sqrt(Σ s²/n)</c> over the four independent cells, and a normal interval and p-value.
    /// <c>null</c> when a cell has fewer than 2 values (no variance).
    /// </summary>
    public static WaldEstimate? Estimate(DaysSummary pilotPre, DaysSummary pilotPost, DaysSummary comparisonPre, DaysSummary comparisonPost,
        double confidenceLevel = DidEstimator.DefaultConfidenceLevel)
    {
        DaysSummary[] cells = [pilotPre, pilotPost, comparisonPre, comparisonPost];
        if (cells.Any(c => c is null || c.N < 2)) return null;
        double estimate = (pilotPost.Mean - pilotPre.Mean) - (comparisonPost.Mean - comparisonPre.Mean);
        double variance = cells.Sum(c => c.StdDev * c.StdDev / c.N);
        return WaldEstimate.FromNormal(estimate, Math.Sqrt(variance), confidenceLevel);
    }
}

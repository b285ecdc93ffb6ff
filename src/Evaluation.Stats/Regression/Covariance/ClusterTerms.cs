namespace Evaluation.Stats.Regression.Covariance;

/// <summary>
/// The terms of a one- or two-way cluster covariance (Cameron, Gelbach and Miller 2011): each clustering with sign
/// +1 and, for two ways, their intersection with sign −1; each with its rows' cluster codes, its number of
/// clusters G and its small-sample factor.
/// </summary>
internal static class ClusterTerms
{
    internal sealed record Term(int[] Codes, int Clusters, int Sign, double Adjustment);

    internal static Term[] Build(CovarianceOptions o, int n)
    {
        var ways = o.Clusters.Select(Codes).ToList();
        var signs = new List<int>();
        signs.AddRange(ways.Select(_ => 1));
        if (ways.Count == 2)
        {
            // The intersection: one code per distinct (a, b) pair.
            var (a, b) = (ways[0], ways[1]);
            var index = new Dictionary<long, int>();
            var codes = new int[n];
            for (int i = 0; i < n; i++)
            {
                long key = (long)a.Codes[i] * b.Clusters + b.Codes[i];
                if (!index.TryGetValue(key, out int c)) index[key] = c = index.Count;
                codes[i] = c;
            }
            ways.Add((codes, index.Count));
            signs.Add(-1);
        }
        int smallest = ways.Take(o.Clusters.Count).Min(w => w.Clusters);
        if (smallest < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters in each clustering.");
        return ways.Select((w, k) =>
        {
            int g = o.Adjustment == ClusterAdjustment.Smallest ? smallest : w.Clusters;
            return new Term(w.Codes, w.Clusters, signs[k], (double)g / (g - 1));
        }).ToArray();
    }

    private static (int[] Codes, int Clusters) Codes(IReadOnlyList<string?> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[labels.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            var l = labels[i]!;
            if (!index.TryGetValue(l, out int c)) index[l] = c = index.Count;
            codes[i] = c;
        }
        return (codes, index.Count);
    }

    /// <summary>The factor applied to the whole matrix after the terms are summed: (n − 1)/(n − k) for HC1, else 1.</summary>
    internal static double Final(CovarianceOptions o, int n, int k) => o.ClusterType == CovarianceType.HC1 ? (n - 1.0) / (n - k) : 1.0;

    /// <summary>The factor of an HC estimator: n/(n − k) for HC1, else 1.</summary>
    internal static double HcFactor(CovarianceType type, int n, int k) => type == CovarianceType.HC1 ? (double)n / (n - k) : 1.0;

    /// <summary>ω_i of an HC estimator from the score residual and the leverage.</summary>
    internal static double Omega(CovarianceType type, double e, double h) => type switch
    {
        CovarianceType.HC2 => e * e / (1 - h),
        CovarianceType.HC3 => e * e / ((1 - h) * (1 - h)),
        _ => e * e,
    };
}

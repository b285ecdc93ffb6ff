namespace Evaluation.Stats.Inference;

/// <summary>
/// Adjusted p-values for a family of tests (methodology §10), as
/// <c>statsmodels.stats.multitest.multipletests</c> computes them with <c>method = "holm"</c> and <c>"fdr_bh"</c>.
/// Undefined p-values (<c>null</c>) are not tests: they stay <c>null</c> and do not count in the family size.
/// </summary>
public static class MultipleTesting
{
    /// <summary>
    /// Holm's step-down adjustment, controlling the family-wise error rate: with the m defined p-values sorted
    /// ascending, <c>p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎)</c>.
    /// </summary>
    /// <returns>A new list, in the order of <paramref name="pValues"/>.</returns>
    /// <exception cref="ArgumentException">When a p-value is outside [0, 1] or NaN.</exception>
    public static IReadOnlyList<double?> Holm(IReadOnlyList<double?> pValues) => Adjust(pValues, holm: true).AsReadOnly();

    /// <summary>
    /// The Benjamini–Hochberg step-up adjustment, controlling the false discovery rate: with the m defined p-values
    /// sorted ascending, <c>p̃₍ᵢ₎ = min(1, minⱼ≥ᵢ m·p₍ⱼ₎/j)</c>.
    /// </summary>
    /// <returns>A new list, in the order of <paramref name="pValues"/>.</returns>
    /// <exception cref="ArgumentException">When a p-value is outside [0, 1] or NaN.</exception>
    public static IReadOnlyList<double?> BenjaminiHochberg(IReadOnlyList<double?> pValues) => Adjust(pValues, holm: false).AsReadOnly();

    private static double?[] Adjust(IReadOnlyList<double?> pValues, bool holm)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        for (int i = 0; i < pValues.Count; i++)
            if (pValues[i] is double p && !(p >= 0 && p <= 1))
                throw new ArgumentException($"p-value {i + 1} is {p}; p-values must lie in [0, 1].", nameof(pValues));
        // Stable sort of the defined ones by p (ties keep input order, as numpy's mergesort does).
        var order = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null).OrderBy(i => pValues[i]!.Value).ToArray();
        int m = order.Length;
        var adjusted = new double?[pValues.Count];
        if (m == 0) return adjusted;
        var sorted = order.Select(i => pValues[i]!.Value).ToArray();
        var result = new double[m];
        if (holm)
        {
            double running = 0;
            for (int j = 0; j < m; j++)
            {
                running = Math.Max(running, Math.Min(1, (m - j) * sorted[j]));
                result[j] = running;
            }
        }
        else
        {
            double running = 1;
            for (int j = m - 1; j >= 0; j--)
            {
                running = Math.Min(running, sorted[j] / ((j + 1.0) / m)); // statsmodels divides by the ECDF factor j/m
                result[j] = running;
            }
        }
        for (int j = 0; j < m; j++) adjusted[order[j]] = result[j];
        return adjusted;
    }
}

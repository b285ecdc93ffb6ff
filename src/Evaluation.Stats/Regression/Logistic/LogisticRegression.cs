using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Logistic regression in one call (methodology §6), on <see cref="LogisticModel"/>: every fit runs the one IRLS
/// loop with the fast or the reference engine, matches R's <c>glm</c> numerically, detects aliased columns in design
/// order, reports separation, and offers Firth's bias-reduced fit and robust covariances.
/// </summary>
public static partial class LogisticRegression
{
    /// <summary>
    /// Fits <paramref name="y"/> (0 or 1) on the model <paramref name="spec"/> over <paramref name="data"/>: shorthand
    /// for <c>new LogisticModel(data, spec, y).Fit(options)</c>.
    /// </summary>
    public static LogisticResult Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, LogisticOptions? options = null) =>
        new LogisticModel(data, spec, y).Fit(options);

    /// <summary>Fits <paramref name="y"/> (0 or 1) on a dense design.</summary>
    internal static LogisticResult Fit(DesignMatrix design, IReadOnlyList<double> y, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        return new LogisticModel(design.X, design.TermNames, y).Fit(options);
    }

    /// <summary>Fits <paramref name="y"/> (0 or 1) on a columnar design.</summary>
    internal static LogisticResult Fit(FastDesign design, IReadOnlyList<double> y, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        return new LogisticModel(design, y).Fit(options);
    }

    /// <summary>Fits <paramref name="y"/> (0 or 1) on the columns of <paramref name="x"/>, named by <paramref name="names"/>.</summary>
    internal static LogisticResult Fit(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, LogisticOptions? options = null) =>
        new LogisticModel(x, names, y).Fit(options);

    /// <summary>
    /// The first index whose value is neither 0 nor 1 (−0 counts as 0; NaN is neither), or −1: four or eight values
    /// per compare, then a scalar tail (<c>MemoryExtensions.IndexOfAnyExcept</c> with two doubles is a scalar loop).
    /// </summary>
    internal static int FirstNotZeroOrOne(ReadOnlySpan<double> a)
    {
        int i = 0;
        ref double r = ref MemoryMarshal.GetReference(a);
        if (SimdDriver.Use512)
            for (var one = Vector512<double>.One; i <= a.Length - 8; i += 8)
            {
                var v = Vector512.LoadUnsafe(ref r, (nuint)i);
                if ((Vector512.Equals(v, Vector512<double>.Zero) | Vector512.Equals(v, one)).ExtractMostSignificantBits() != 0xFF) break;
            }
        else if (SimdDriver.Use256)
            for (var one = Vector256<double>.One; i <= a.Length - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                if ((Vector256.Equals(v, Vector256<double>.Zero) | Vector256.Equals(v, one)).ExtractMostSignificantBits() != 0xF) break;
            }
        for (; i < a.Length; i++)
            if (a[i] is not (0.0 or 1.0)) return i;
        return -1;
    }

    /// <summary>The likelihood-ratio test of <paramref name="smaller"/> nested in <paramref name="larger"/>.</summary>
    public static LikelihoodRatioTest LikelihoodRatio(LogisticResult smaller, LogisticResult larger)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        ArgumentNullException.ThrowIfNull(larger);
        if (smaller.N != larger.N) throw new ArgumentException($"The fits have {smaller.N} and {larger.N} rows; nested fits must use the same rows.");
        int df = larger.EstimableTerms.Count - smaller.EstimableTerms.Count;
        if (df <= 0) throw new ArgumentException("The larger model must estimate more terms than the smaller one.");
        double stat = Math.Max(0, 2 * (larger.LogLikelihood - smaller.LogLikelihood));
        return new LikelihoodRatioTest(stat, df, 1 - ChiSquared.CDF(df, stat));
    }

    /// <summary>
    /// Puhani's (2012) treatment effect on the treated for the interaction <paramref name="term"/>: the mean, over
    /// the treated rows, of <c>Λ(η_i) − Λ(η_i − b)</c>, with the delta-method SE from the fit's covariance.
    /// </summary>
    /// <param name="result">The fit.</param>
    /// <param name="design">The design it was fitted on.</param>
    /// <param name="term">The interaction term, for example <c>pilot:post</c>.</param>
    /// <param name="treated">Which rows are treated (for the DiD, pilot-post rows).</param>
    /// <returns><c>null</c> when the term is aliased or no row is treated.</returns>
    internal static TreatmentEffect? TreatmentEffectOnTreated(LogisticResult result, IDesignRows design, string term, IReadOnlyList<bool> treated)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(treated);
        if (result[term].IsAliased) return null;
        int t = result.IndexOf(term);
        int p = result.Kept.Length;
        var gradient = new double[p];
        var x = new double[design.TermNames.Count];
        double sum = 0;
        int rows = 0;
        for (int i = 0; i < design.Rows; i++)
        {
            if (!treated[i]) continue;
            rows++;
            design.FillRow(i, x);
            double eta = 0;
            for (int k = 0; k < p; k++) eta += x[result.Kept[k]] * result.Beta[k];
            double eta0 = eta - result.Beta[t];
            double l1 = Logistic(eta), l0 = Logistic(eta0);
            sum += l1 - l0;
            double d1 = l1 * (1 - l1), d0 = l0 * (1 - l0);
            for (int k = 0; k < p; k++)
            {
                double xk = x[result.Kept[k]];
                gradient[k] += d1 * xk - d0 * (k == t ? 0 : xk);
            }
        }
        if (rows == 0) return null;
        double variance = 0;
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++) variance += gradient[a] / rows * result.CovarianceAt(a, b) * (gradient[b] / rows);
        return new TreatmentEffect(sum / rows, Math.Sqrt(variance), rows);
    }
}

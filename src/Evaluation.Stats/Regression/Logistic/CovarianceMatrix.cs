using System.Globalization;
namespace Evaluation.Stats.Regression;

/// <summary>
/// The covariance of the estimated terms (by position among them). Dense for ordinary designs; for a design
/// with an absorbed many-level categorical it is held in blocks, and any entry is computed on demand, so no
/// L × L matrix is ever formed.
/// </summary>
internal abstract class CovarianceMatrix
{
    /// <summary>The number of estimated terms.</summary>
    internal abstract int Size { get; }

    /// <summary>Entry (a, b).</summary>
    internal abstract double this[int a, int b] { get; }

    /// <summary>The whole matrix, row-major (only for designs small enough to hold it).</summary>
    internal double[] ToDense()
    {
        int p = Size;
        if ((long)p * p > MaxDenseEntries)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The covariance of {p:N0} estimated terms has {(double)p * p:N0} entries; ask for single entries (CovarianceOf) instead."));
        var c = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++) c[a * p + b] = this[a, b];
        return c;
    }

    /// <summary>The most entries a dense copy may have (2^26, 512 MB).</summary>
    internal const long MaxDenseEntries = 1L << 26;
}

/// <summary>A dense p × p covariance, row-major.</summary>
internal sealed class DenseCovariance(double[] values, int p) : CovarianceMatrix
{
    internal override int Size => p;

    internal override double this[int a, int b] => values[a * p + b];

    internal double[] Values => values;

    /// <summary>A row-major copy of a square <paramref name="matrix"/>.</summary>
    internal static DenseCovariance Of(double[,] matrix)
    {
        int p = matrix.GetLength(0);
        var values = new double[p * p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) values[a * p + b] = matrix[a, b];
        return new DenseCovariance(values, p);
    }
}

/// <summary>
/// The inverse of the blocked information [[A, B'], [B, D]] (D diagonal, the absorbed levels; A the other q terms),
/// with S = A − B'D⁻¹B, E = D⁻¹B and F = E S⁻¹: Cov(others) = S⁻¹, Cov(others, level l) = −F[l, ·],
/// Cov(level l, level m) = δ_lm / d_l + F[l, ·]·E[m, ·]. <paramref name="other"/> and <paramref name="absorbed"/> map
/// each estimated term's position to its index in its block (−1 when in the other block).
/// </summary>
internal sealed class BlockedCovariance(int[] other, int[] absorbed, double[] sInverse, double[] e, double[] f, double[] d, int q) : CovarianceMatrix
{
    internal override int Size => other.Length;

    internal override double this[int a, int b]
    {
        get
        {
            int oa = other[a], ob = other[b];
            if (oa >= 0 && ob >= 0) return sInverse[oa * q + ob];
            if (oa >= 0) return -f[absorbed[b] * q + oa];
            if (ob >= 0) return -f[absorbed[a] * q + ob];
            int la = absorbed[a], lb = absorbed[b];
            double s = la == lb ? 1 / d[la] : 0;
            for (int k = 0; k < q; k++) s += f[la * q + k] * e[lb * q + k];
            return s;
        }
    }
}

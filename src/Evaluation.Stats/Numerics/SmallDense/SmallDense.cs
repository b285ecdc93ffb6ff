namespace Evaluation.Stats.Numerics;

/// <summary>The information matrix (or another symmetric matrix) is not positive definite.</summary>
internal sealed class NotPositiveDefiniteException() : Exception("The information matrix is not positive definite.");

/// <summary>
/// Small dense symmetric positive-definite algebra on row-major p × p arrays (p is the number of estimated terms):
/// design-order aliasing by Cholesky of a Gram matrix, Cholesky solve, and inverse.
/// </summary>
internal static class SmallDense
{
    /// <summary>Design-order Cholesky of the Gram matrix X'X, skipping a column whose residual is below tol × its norm.</summary>
    /// <param name="gram">The Gram matrix (total × total, row-major), or a Schur complement of one.</param>
    /// <param name="total">Its order.</param>
    /// <param name="tolerance">The relative residual norm below which a column is aliased.</param>
    /// <param name="norms">Each column's own squared norm, when <paramref name="gram"/> is a Schur complement (its diagonal holds residuals); null to use the diagonal.</param>
    internal static int[] KeptColumns(double[] gram, int total, double tolerance, double[]? norms = null)
    {
        var kept = new List<int>();
        var l = new double[total * total]; // l[j, m] for kept m, row-major by j
        for (int j = 0; j < total; j++)
        {
            double gjj = gram[j * total + j];
            if (gjj <= 0) continue;
            for (int mi = 0; mi < kept.Count; mi++)
            {
                int m = kept[mi];
                double s = gram[j * total + m];
                for (int qi = 0; qi < mi; qi++) s -= l[j * total + kept[qi]] * l[m * total + kept[qi]];
                l[j * total + m] = s / l[m * total + m];
            }
            double d = gjj;
            foreach (int m in kept) d -= l[j * total + m] * l[j * total + m];
            if (d <= tolerance * tolerance * (norms is null ? gjj : norms[j])) continue;
            l[j * total + j] = Math.Sqrt(d);
            kept.Add(j);
        }
        return kept.ToArray();
    }

    /// <summary>Solves A x = b for symmetric positive-definite A (p × p, row-major) by Cholesky; A is left intact.</summary>
    internal static bool Solve(double[] a, double[] b, double[] x, int p)
    {
        var l = new double[p * p];
        if (!Cholesky(a, l, p)) return false;
        var t = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * t[k];
            t[i] = s / l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--)
        {
            double s = t[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
            x[i] = s / l[i * p + i];
        }
        return true;
    }

    private static bool Cholesky(double[] a, double[] l, int p)
    {
        for (int j = 0; j < p; j++)
        {
            double d = a[j * p + j];
            for (int k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
            if (!(d > 0)) return false;
            double ljj = Math.Sqrt(d);
            l[j * p + j] = ljj;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                l[i * p + j] = s / ljj;
            }
        }
        return true;
    }

    /// <summary>
    /// The inverse of a symmetric positive-definite A (p × p, row-major): one Cholesky factorisation, then two
    /// triangular solves per column (O(p³) in all; solving each column from scratch would be O(p⁴)).
    /// </summary>
    internal static double[] Inverse(double[] a, int p)
    {
        var l = new double[p * p];
        if (!Cholesky(a, l, p)) throw new NotPositiveDefiniteException();
        var inv = new double[p * p];
        var t = new double[p];
        for (int j = 0; j < p; j++)
        {
            // L t = e_j (t is 0 above j), then L' x = t.
            Array.Clear(t);
            for (int i = j; i < p; i++)
            {
                double s = i == j ? 1 : 0;
                for (int k = j; k < i; k++) s -= l[i * p + k] * t[k];
                t[i] = s / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--)
            {
                double s = t[i];
                for (int k = i + 1; k < p; k++) s -= l[k * p + i] * inv[k * p + j];
                inv[i * p + j] = s / l[i * p + i];
            }
        }
        return inv;
    }

    /// <summary>bread × meat × bread × factor (p × p, row-major): a sandwich covariance.</summary>
    internal static double[] Sandwich(double[] bread, double[] meat, int p, double factor)
    {
        var tmp = new double[p * p];
        var result = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += bread[a * p + k] * meat[k * p + b];
                tmp[a * p + b] = s;
            }
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += tmp[a * p + k] * bread[k * p + b];
                result[a * p + b] = s * factor;
            }
        return result;
    }
}

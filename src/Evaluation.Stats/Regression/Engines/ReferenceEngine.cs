using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;
// The reference engine: IRLS on MathNet dense matrices (R's glm.fit), the separation probe, the binomial family's
// pieces shared with the fast engine, the robust covariances and the column-based aliasing test.
public static partial class LogisticRegression
{
    // ---- IRLS ----------------------------------------------------------------------------------

    private static (Vector<double> Beta, int Iterations, bool Converged) FitIrls(Matrix<double> x, Vector<double> y, LogisticOptions o)
    {
        int n = x.RowCount;
        var mu = y.Map(v => (v + 0.5) / 2);           // R's mustart for binomial with unit weights
        var eta = mu.Map(m => Math.Log(m / (1 - m)));
        double devOld = Deviance(y, mu);
        Vector<double>? beta = null;
        for (int iter = 1; iter <= o.MaxIterations; iter++)
        {
            var next = WeightedLeastSquares(x, y, eta);
            var etaNew = x * next;
            double dev = Deviance(y, etaNew.Map(LinkInverse));
            // Step-halving when the deviance is not finite or rises (R halves on the first only).
            for (int h = 0; beta is not null && (!double.IsFinite(dev) || dev > devOld * (1 + 1e-12) + 1e-12) && h < 30; h++)
            {
                next = (next + beta) / 2;
                etaNew = x * next;
                dev = Deviance(y, etaNew.Map(LinkInverse));
            }
            beta = next;
            eta = etaNew;
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < o.Tolerance) return (beta, iter, true);
            devOld = dev;
        }
        return (beta ?? Vector<double>.Build.Dense(x.ColumnCount), o.MaxIterations, false);
    }

    /// <summary>One IRLS step from η: solve (X'WX) b = X'Wz with R's working weights and response.</summary>
    private static Vector<double> WeightedLeastSquares(Matrix<double> x, Vector<double> y, Vector<double> eta)
    {
        int n = x.RowCount;
        var w = Vector<double>.Build.Dense(n);
        var z = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            double m = LinkInverse(eta[i]), d = MuEta(eta[i]);
            w[i] = d * d / (m * (1 - m));
            z[i] = eta[i] + (y[i] - m) / d;
        }
        var xw = RowScaled(x, w);
        return xw.TransposeThisAndMultiply(x).Cholesky().Solve(xw.TransposeThisAndMultiply(z));
    }

    // Firth: β ← β + (X'WX)⁻¹ Σ x_i (y_i − μ_i + h_i (1/2 − μ_i)), from β = 0, to full convergence of β.
    /// <summary>
    /// Indices of the terms whose estimates keep moving when Newton steps continue past convergence: the
    /// direction of separation. Non-separated fits do not move.
    /// </summary>
    private static IEnumerable<int> DivergingTerms(Matrix<double> x, Vector<double> y, Vector<double> beta, LogisticOptions o)
    {
        var b = beta.Clone();
        for (int k = 0; k < 5; k++)
        {
            Vector<double> next;
            try { next = WeightedLeastSquares(x, y, x * b); }
            catch (Exception) { break; }
            if (next.Any(v => !double.IsFinite(v))) break;
            b = next;
        }
        var drift = b - beta;
        // Separation moves η; drift along a near-null direction of an ill-conditioned design does not.
        if ((x * drift).AbsoluteMaximum() <= 0.1) yield break;
        for (int j = 0; j < beta.Count; j++)
            if (Math.Abs(drift[j]) > 1e-3 * (1 + Math.Abs(beta[j])))
                yield return j;
    }

    // ---- pieces shared by the fits ---------------------------------------------------------------

    /// <summary>R's binomial()$linkinv: clamped to [ε/(1+ε), 1/(1+ε)] beyond |η| > 30.</summary>
    internal static double LinkInverse(double eta)
    {
        double t = eta < -Thresh ? Eps : eta > Thresh ? 1 / Eps : Math.Exp(eta);
        return t / (1 + t);
    }

    /// <summary>R's binomial()$mu.eta: ε beyond |η| > 30.</summary>
    internal static double MuEta(double eta)
    {
        if (eta > Thresh || eta < -Thresh) return Eps;
        double e = Math.Exp(eta), o = 1 + e;
        return e / (o * o);
    }

    internal static double Logistic(double eta) => eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));

    internal static double Deviance(Vector<double> y, Vector<double> mu)
    {
        double d = 0;
        for (int i = 0; i < y.Count; i++) d += y[i] == 1 ? -2 * Math.Log(mu[i]) : -2 * Math.Log(1 - mu[i]);
        return d;
    }

    private static double NullDeviance(Matrix<double> x, IReadOnlyList<string> names, Vector<double> y)
    {
        bool intercept = names.Count > 0 && names[0] == "(Intercept)" && x.Column(0).All(v => v == 1);
        double m = intercept ? y.Average() : 0.5;
        return Deviance(y, Vector<double>.Build.Dense(y.Count, m));
    }

    /// <summary>The Fisher information X'WX at η, with R's weights.</summary>
    private static Matrix<double> Information(Matrix<double> x, Vector<double> eta)
    {
        var w = eta.Map(e => { double m = LinkInverse(e), d = MuEta(e); return d * d / (m * (1 - m)); });
        return RowScaled(x, w).TransposeThisAndMultiply(x);
    }

    /// <summary>diag(w) X, without forming the n × n diagonal.</summary>
    private static Matrix<double> RowScaled(Matrix<double> x, Vector<double> w)
    {
        var xw = x.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        return xw;
    }

    private static Matrix<double> Invert(Matrix<double> info)
    {
        var chol = info.Cholesky();
        return chol.Solve(Matrix<double>.Build.DenseIdentity(info.RowCount));
    }

    private static Matrix<double> Sandwich(Matrix<double> x, Vector<double> y, Vector<double> mu, Matrix<double> bread)
    {
        var scores = Scores(x, y, mu);
        return bread * scores.TransposeThisAndMultiply(scores) * bread;
    }

    private static Matrix<double> ClusterSandwich(Matrix<double> x, Vector<double> y, Vector<double> mu, Matrix<double> bread, IReadOnlyList<string> clusters)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var scores = Scores(x, y, mu);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in clusters) index.TryAdd(c ?? "", index.Count);
        int g = index.Count;
        if (g < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        var sums = Matrix<double>.Build.Dense(g, p);
        for (int i = 0; i < n; i++)
        {
            int k = index[clusters[i] ?? ""];
            for (int j = 0; j < p; j++) sums[k, j] += scores[i, j];
        }
        double adjust = (double)g / (g - 1) * (n - 1.0) / (n - p);
        return bread * sums.TransposeThisAndMultiply(sums) * bread * adjust;
    }

    /// <summary>Each row's score, x_i (y_i − μ_i) (the working residual times the working weight).</summary>
    private static Matrix<double> Scores(Matrix<double> x, Vector<double> y, Vector<double> mu) =>
        Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x[i, j] * (y[i] - mu[i]));

    /// <summary>Columns kept in design order: a column is aliased when its residual after projecting out the kept columns is below tol × its norm.</summary>
    internal static int[] NonAliasedColumns(Matrix<double> x, double tolerance)
    {
        var basis = new List<Vector<double>>();
        var kept = new List<int>();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            var v = x.Column(j);
            double norm = v.L2Norm();
            if (norm == 0) continue;
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in basis) v -= q * (q * v);
            double residual = v.L2Norm();
            if (residual <= tolerance * norm) continue;
            basis.Add(v / residual);
            kept.Add(j);
        }
        return kept.ToArray();
    }
}

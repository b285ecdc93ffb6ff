using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

// Small pieces shared by the loop, the engines and callers elsewhere (trend models, the bootstrap).
public static partial class LogisticRegression
{
    /// <summary>R's binomial()$linkinv for the logit: clamped to [ε/(1+ε), 1/(1+ε)] beyond |η| > 30.</summary>
    internal static double LinkInverse(double eta) => LogitLink.Instance.Inverse(eta);

    /// <summary>R's binomial()$mu.eta for the logit: ε beyond |η| > 30.</summary>
    internal static double MuEta(double eta) => LogitLink.Instance.Derivative(eta);

    /// <summary>The logistic function without R's clamping (for the ATT).</summary>
    internal static double Logistic(double eta) => eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));

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

using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Firth's bias-reduced (penalized) logistic fit on the kept columns, by the reference engine's dense matrices:
/// β ← β + (X'WX)⁻¹ Σ x_i (y_i − μ_i + h_i (1/2 − μ_i)) from β = 0, with step-halving on the penalized
/// log-likelihood, to full convergence of β (logistf's and brglm2's estimates). Logit link, 0/1 outcomes.
/// </summary>
internal static class Firth
{
    internal static (double[] Beta, int Iterations, bool Converged) Fit(Matrix<double> x, double[] yArray, LogisticOptions o)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var y = Vector<double>.Build.Dense(yArray);
        var beta = Vector<double>.Build.Dense(p);
        int maxIterations = Math.Max(o.MaxIterations, 200);
        double penalizedOld = double.NegativeInfinity;
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var eta = x * beta;
            var inv = Invert(Information(x, eta));
            var score = Vector<double>.Build.Dense(p);
            for (int i = 0; i < n; i++)
            {
                double m = LogisticRegression.LinkInverse(eta[i]), w = m * (1 - m);
                var xi = x.Row(i);
                double h = w * (xi * inv * xi);
                double r = y[i] - m + h * (0.5 - m);
                score += xi * r;
            }
            var step = inv * score;
            for (int h = 0; h < 30; h++)
            {
                var candidate = beta + step;
                double pl = PenalizedLogLikelihood(x, y, candidate);
                if (double.IsFinite(pl) && pl >= penalizedOld - 1e-12 * Math.Abs(penalizedOld)) break;
                step /= 2;
            }
            beta += step;
            double penalized = PenalizedLogLikelihood(x, y, beta);
            if (step.AbsoluteMaximum() < 1e-11 && IrlsLoop.Converged(penalized, penalizedOld, o.Tolerance))
                return (beta.ToArray(), iter, true);
            penalizedOld = penalized;
        }
        return (beta.ToArray(), maxIterations, false);
    }

    private static double PenalizedLogLikelihood(Matrix<double> x, Vector<double> y, Vector<double> beta)
    {
        var eta = x * beta;
        double ll = 0;
        for (int i = 0; i < y.Count; i++)
        {
            double m = LogisticRegression.LinkInverse(eta[i]);
            ll += y[i] == 1 ? Math.Log(m) : Math.Log(1 - m);
        }
        return ll + 0.5 * Information(x, eta).Cholesky().DeterminantLn;
    }

    /// <summary>The Fisher information X'WX at η, with R's weights.</summary>
    private static Matrix<double> Information(Matrix<double> x, Vector<double> eta)
    {
        var w = eta.Map(e => { double m = LogisticRegression.LinkInverse(e), d = LogisticRegression.MuEta(e); return d * d / (m * (1 - m)); });
        var xw = x.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        return xw.TransposeThisAndMultiply(x);
    }

    private static Matrix<double> Invert(Matrix<double> info) => info.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(info.RowCount));
}

using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;
// Firth's bias-reduced fit (reference engine).
public static partial class LogisticRegression
{
    // Firth: β ← β + (X'WX)⁻¹ Σ x_i (y_i − μ_i + h_i (1/2 − μ_i)), from β = 0, to full convergence of β.
    private static (Vector<double> Beta, int Iterations, bool Converged) FitFirth(Matrix<double> x, Vector<double> y, LogisticOptions o)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var beta = Vector<double>.Build.Dense(p);
        int maxIterations = Math.Max(o.MaxIterations, 200);
        double penalizedOld = double.NegativeInfinity;
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var eta = x * beta;
            var info = Information(x, eta);
            var inv = Invert(info);
            var score = Vector<double>.Build.Dense(p);
            for (int i = 0; i < n; i++)
            {
                double m = LinkInverse(eta[i]), w = m * (1 - m);
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
            if (step.AbsoluteMaximum() < 1e-11 && Math.Abs(penalized - penalizedOld) / (Math.Abs(penalized) + 0.1) < o.Tolerance)
                return (beta, iter, true);
            penalizedOld = penalized;
        }
        return (beta, maxIterations, false);
    }

    private static double PenalizedLogLikelihood(Matrix<double> x, Vector<double> y, Vector<double> beta)
    {
        var eta = x * beta;
        double ll = -Deviance(y, eta.Map(LinkInverse)) / 2;
        return ll + 0.5 * Information(x, eta).Cholesky().DeterminantLn;
    }
}

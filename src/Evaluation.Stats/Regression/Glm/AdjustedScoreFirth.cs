using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Firth's fit for any link and for weighted, grouped or offset rows (brglm2's <c>type = "AS_mean"</c>, Kosmidis and
/// Firth 2009): quasi-Fisher scoring on the mean-bias-reducing adjusted score
/// U*(β) = Σ xᵢ [mᵢ (yᵢ − μᵢ) μ′ᵢ/Vᵢ + ½ hᵢ μ″ᵢ/μ′ᵢ], hᵢ the leverages of the weighted hat matrix. For the logit this
/// is Firth's penalised likelihood (μ″/μ′ = 1 − 2μ), so it agrees with <see cref="Firth"/>; for other links there is
/// no penalised likelihood, so a step is halved only when it makes the adjusted score non-finite. Starts from the
/// first IRLS step; converged when the largest step is below 1e-11.
/// </summary>
internal static class AdjustedScoreFirth
{
    internal static (double[] Beta, int Iterations, bool Converged) Fit(Matrix<double> x, BinomialOutcome outcome, BinomialLink kind, LogisticOptions options)
    {
        var link = Links.Of(kind);
        int n = x.RowCount;
        var eta0 = Vector<double>.Build.Dense(n, i => link.Apply((outcome.WeightOf(i) * outcome.Y[i] + 0.5) / (outcome.WeightOf(i) + 1)));
        var beta = Step(x, outcome, link, kind, eta0, adjusted: false);
        int maxIterations = Math.Max(options.MaxIterations, 200);
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var step = Step(x, outcome, link, kind, Eta(x, outcome, beta), adjusted: true) - beta;
            for (int h = 0; h < 30 && !Step(x, outcome, link, kind, Eta(x, outcome, beta + step), adjusted: true).ForAll(double.IsFinite); h++) step /= 2;
            beta += step;
            if (step.AbsoluteMaximum() < 1e-11) return (beta.ToArray(), iter, true);
        }
        return (beta.ToArray(), maxIterations, false);
    }

    private static Vector<double> Eta(Matrix<double> x, BinomialOutcome outcome, Vector<double> beta)
    {
        var eta = x * beta;
        for (int i = 0; i < eta.Count; i++) eta[i] += outcome.OffsetOf(i);
        return eta;
    }

    /// <summary>
    /// From η (at β): β + F⁻¹ U(β), plus F⁻¹ A(β) when <paramref name="adjusted"/>, computed as F⁻¹ (X'W(η − offset) + U + A);
    /// NaN when X'WX is not positive definite.
    /// </summary>
    private static Vector<double> Step(Matrix<double> x, BinomialOutcome outcome, ILink link, BinomialLink kind, Vector<double> eta, bool adjusted)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double mu = link.Inverse(eta[i]), d = link.Derivative(eta[i]);
            w[i] = outcome.WeightOf(i) * d * d / (mu * (1 - mu));
        }
        var xw = x.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        Matrix<double> inv;
        try { inv = xw.TransposeThisAndMultiply(x).Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p)); }
        catch (ArgumentException) { return Vector<double>.Build.Dense(p, double.NaN); }
        var rhs = Vector<double>.Build.Dense(p);
        for (int i = 0; i < n; i++)
        {
            if (outcome.WeightOf(i) == 0) continue;
            double mu = link.Inverse(eta[i]), d = link.Derivative(eta[i]);
            var xi = x.Row(i);
            double u = w[i] * (eta[i] - outcome.OffsetOf(i)) + outcome.WeightOf(i) * (outcome.Y[i] - mu) * d / (mu * (1 - mu));
            if (adjusted) u += 0.5 * w[i] * (xi * inv * xi) * LinkCurvature.Of(kind, eta[i]) / d;
            rhs += xi * u;
        }
        return inv * rhs;
    }
}

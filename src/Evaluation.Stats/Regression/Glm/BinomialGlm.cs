using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The reference binomial GLM, written to be read against R's <c>glm.fit</c>: any <see cref="BinomialLink"/>, prior
/// weights <c>m</c> (frequency weights times trials), the response as a proportion <c>y</c> in [0, 1], and an offset.
/// Firth's fit is brglm2's mean-bias-reducing adjusted score (Kosmidis and Firth 2009), which for the logit is
/// Firth's penalised likelihood. Everything here works on the kept (non-aliased) columns.
/// </summary>
internal static class BinomialGlm
{
    /// <summary>The rows of a fit: design (kept columns), proportion, prior weight and offset of each row.</summary>
    internal sealed record Rows(Matrix<double> X, double[] Y, double[] M, double[] Offset, BinomialLink Link)
    {
        internal int N => X.RowCount;

        internal Vector<double> Eta(Vector<double> beta)
        {
            var eta = X * beta;
            for (int i = 0; i < eta.Count; i++) eta[i] += Offset[i];
            return eta;
        }
    }

    /// <summary>R's binomial deviance with prior weights: 2 Σ m [y log(y/μ) + (1−y) log((1−y)/(1−μ))], with 0 log 0 = 0.</summary>
    internal static double Deviance(double[] y, double[] m, Func<int, double> mu)
    {
        static double YLogY(double a, double b) => a > 0 ? a * Math.Log(a / b) : 0;
        double d = 0;
        for (int i = 0; i < y.Length; i++)
            if (m[i] > 0)
            {
                double u = mu(i);
                d += 2 * m[i] * (YLogY(y[i], u) + YLogY(1 - y[i], 1 - u));
            }
        return d;
    }

    private static double Deviance(Rows r, Vector<double> eta) => Deviance(r.Y, r.M, i => r.Link.Mu(eta[i]));

    /// <summary>
    /// IRLS as <c>glm.fit</c>: μ starts at (m y + ½)/(m + 1); each step solves the weighted least squares of the working
    /// response z = η − offset + (y − μ)/μ′ with weights m μ′²/(μ(1−μ)); a step whose deviance is not finite is halved.
    /// Converged when |dev − dev_old|/(|dev| + 0.1) is below the tolerance and the coefficients have stopped moving
    /// (non-canonical links converge linearly, so the deviance settles before the coefficients do).
    /// </summary>
    internal static (Vector<double> Beta, int Iterations, bool Converged) Irls(Rows r, double tolerance, int maxIterations)
    {
        int n = r.N;
        var eta = Vector<double>.Build.Dense(n, i => r.Link.Eta((r.M[i] * r.Y[i] + 0.5) / (r.M[i] + 1)));
        double devOld = Deviance(r.Y, r.M, i => (r.M[i] * r.Y[i] + 0.5) / (r.M[i] + 1));
        Vector<double>? beta = null;
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var next = Step(r, eta, withOffset: true);
            var etaNew = r.Eta(next);
            double dev = Deviance(r, etaNew);
            for (int h = 0; beta is not null && !double.IsFinite(dev) && h < 30; h++)
            {
                next = (next + beta) / 2;
                etaNew = r.Eta(next);
                dev = Deviance(r, etaNew);
            }
            double moved = beta is null ? double.PositiveInfinity : (next - beta).PointwiseAbs().Maximum() / (next.PointwiseAbs().Maximum() + 0.1);
            beta = next;
            eta = etaNew;
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < tolerance && moved < 1e-9) return (beta, iter, true);
            devOld = dev;
        }
        return (beta ?? Vector<double>.Build.Dense(r.X.ColumnCount), maxIterations, false);
    }

    /// <summary>One IRLS step from η: solve (X'WX) b = X'W(z) with z the working response less the offset.</summary>
    private static Vector<double> Step(Rows r, Vector<double> eta, bool withOffset)
    {
        int n = r.N;
        var w = new double[n];
        var z = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            double mu = r.Link.Mu(eta[i]), d = r.Link.MuEta(eta[i]);
            w[i] = r.M[i] * d * d / (mu * (1 - mu));
            z[i] = eta[i] - (withOffset ? r.Offset[i] : 0) + (r.Y[i] - mu) / d;
        }
        var xw = RowScaled(r.X, w);
        return xw.TransposeThisAndMultiply(r.X).Cholesky().Solve(xw.TransposeThisAndMultiply(z));
    }

    /// <summary>
    /// Firth's fit for any link (brglm2 <c>type = "AS_mean"</c>): quasi-Fisher scoring on the adjusted score
    /// U*(β) = Σ xᵢ [mᵢ (yᵢ − μᵢ) μ′ᵢ/Vᵢ + ½ hᵢ μ″ᵢ/μ′ᵢ], with hᵢ the leverages of the weighted hat matrix, from the
    /// first IRLS step; a step that makes the adjusted score non-finite is halved. Converged when the largest step is
    /// below 1e-11.
    /// </summary>
    internal static (Vector<double> Beta, int Iterations, bool Converged) AdjustedScore(Rows r, int maxIterations)
    {
        int n = r.N, p = r.X.ColumnCount;
        var beta = Step(r, Vector<double>.Build.Dense(n, i => r.Link.Eta((r.M[i] * r.Y[i] + 0.5) / (r.M[i] + 1))), withOffset: true);
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var step = AdjustedStep(r, beta);
            for (int h = 0; h < 30 && !AdjustedStep(r, beta + step).ForAll(double.IsFinite); h++) step /= 2;
            beta += step;
            if (step.AbsoluteMaximum() < 1e-11) return (beta, iter, true);
        }
        return (beta, maxIterations, false);
    }

    private static Vector<double> AdjustedStep(Rows r, Vector<double> beta)
    {
        int n = r.N, p = r.X.ColumnCount;
        var eta = r.Eta(beta);
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = Weight(r, eta[i], i);
        var xw = RowScaled(r.X, w);
        Matrix<double> inv;
        try { inv = xw.TransposeThisAndMultiply(r.X).Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p)); }
        catch (ArgumentException) { return Vector<double>.Build.Dense(p, double.NaN); }
        var score = Vector<double>.Build.Dense(p);
        for (int i = 0; i < n; i++)
        {
            if (r.M[i] == 0) continue;
            double mu = r.Link.Mu(eta[i]), d = r.Link.MuEta(eta[i]);
            var xi = r.X.Row(i);
            double h = w[i] * (xi * inv * xi);
            score += xi * (r.M[i] * (r.Y[i] - mu) * d / (mu * (1 - mu)) + 0.5 * h * r.Link.MuEta2(eta[i]) / d);
        }
        return inv * score;
    }

    /// <summary>The working weight m μ′²/(μ(1−μ)) of row <paramref name="i"/> at η.</summary>
    internal static double Weight(Rows r, double eta, int i)
    {
        double mu = r.Link.Mu(eta), d = r.Link.MuEta(eta);
        return r.M[i] * d * d / (mu * (1 - mu));
    }

    /// <summary>(X'WX)⁻¹ at β: the model covariance, and the bread of the sandwiches.</summary>
    internal static Matrix<double> Bread(Rows r, Vector<double> beta)
    {
        var eta = r.Eta(beta);
        var w = new double[r.N];
        for (int i = 0; i < r.N; i++) w[i] = Weight(r, eta[i], i);
        var info = RowScaled(r.X, w).TransposeThisAndMultiply(r.X);
        return info.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(info.RowCount));
    }

    /// <summary>
    /// Each row's score, xᵢ mᵢ (yᵢ − μᵢ) μ′ᵢ/Vᵢ (sandwich's <c>estfun</c> for a glm): the rows of the meat of HC0 and,
    /// summed within clusters, of the cluster-robust covariance.
    /// </summary>
    internal static Matrix<double> Scores(Rows r, Vector<double> beta)
    {
        var eta = r.Eta(beta);
        return Matrix<double>.Build.Dense(r.N, r.X.ColumnCount, (i, j) =>
        {
            double mu = r.Link.Mu(eta[i]);
            return r.X[i, j] * r.M[i] * (r.Y[i] - mu) * r.Link.MuEta(eta[i]) / (mu * (1 - mu));
        });
    }

    /// <summary>B (Σ_g s_g s_g') B · G/(G−1) · (n−1)/(n−p): Stata's and sandwich's <c>vcovCL(type = "HC1")</c> convention.</summary>
    internal static Matrix<double> ClusterSandwich(Matrix<double> bread, Matrix<double> scores, IReadOnlyList<int> cluster, int clusters, double n)
    {
        if (clusters < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        int p = bread.RowCount;
        var sums = Matrix<double>.Build.Dense(clusters, p);
        for (int i = 0; i < scores.RowCount; i++)
            for (int j = 0; j < p; j++) sums[cluster[i], j] += scores[i, j];
        return bread * sums.TransposeThisAndMultiply(sums) * bread * ((double)clusters / (clusters - 1) * (n - 1) / (n - p));
    }

    /// <summary>Codes cluster labels 0, 1, … in order of first appearance.</summary>
    internal static (int[] Codes, int Count) ClusterCodes(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[labels.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            string key = labels[i] ?? "";
            if (!index.TryGetValue(key, out int c)) index[key] = c = index.Count;
            codes[i] = c;
        }
        return (codes, index.Count);
    }

    /// <summary>
    /// The binomial log-likelihood Σ w [log C(t, e) + e log μ + (t − e) log(1 − μ)] (R's <c>logLik</c> for a binomial
    /// glm with integer counts), where each row has weight w, trials t and events e = t y.
    /// </summary>
    internal static double LogLikelihood(Rows r, double[] weights, double[] trials, Vector<double> eta)
    {
        double ll = 0;
        for (int i = 0; i < r.N; i++)
        {
            if (weights[i] == 0) continue;
            double t = trials[i], e = Math.Round(r.Y[i] * t), mu = r.Link.Mu(eta[i]);
            double choose = t > 1 ? SpecialFunctions.GammaLn(t + 1) - SpecialFunctions.GammaLn(e + 1) - SpecialFunctions.GammaLn(t - e + 1) : 0;
            ll += weights[i] * (choose + (e > 0 ? e * Math.Log(mu) : 0) + (t - e > 0 ? (t - e) * Math.Log(1 - mu) : 0));
        }
        return ll;
    }

    /// <summary>diag(w) X, without forming the n × n diagonal.</summary>
    internal static Matrix<double> RowScaled(Matrix<double> x, double[] w)
    {
        var xw = x.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        return xw;
    }
}

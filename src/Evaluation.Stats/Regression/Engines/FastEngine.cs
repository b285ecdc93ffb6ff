using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using Evaluation.Stats.Numerics;
using static Evaluation.Stats.Numerics.SmallDense;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The fast logistic fit: the same IRLS as <see cref="LogisticRegression"/> (same start, family, stopping rule,
/// step-halving and aliasing criterion), computed in one fused, vectorised, multi-threaded pass per iteration
/// over a columnar <see cref="FastDesign"/>. Categorical terms are never expanded: their blocks of X'WX are sums
/// of weights per level. Rows are cut into fixed chunks whose partial sums are added in chunk order, so results
/// do not depend on the number of threads. All buffers are allocated before the first iteration.
/// </summary>
internal static partial class FastLogisticRegression
{
    private const int Block = 512;        // rows per cache block
    private const int MinChunk = 16_384;  // fewest rows per chunk (chunks are fixed by the design, never by the thread count)
    private const double Eps = 2.220446049250313e-16;
    private const double Thresh = 30;
    private static readonly double Log3 = Math.Log(3);
    private const double StartWeight = 0.1875;

    private enum Mode { Irls, Meat, Deviance }

    internal static LogisticResult Fit(FastDesign design, IReadOnlyList<double> y, LogisticOptions options, IReadOnlyList<string> names)
    {
        try
        {
            return FitFast(design, y, options, names);
        }
        catch (NotPositiveDefiniteException)
        {
            // The Gram-matrix aliasing test squares the condition number; a design near the edge of singular can pass
            // it and still leave a singular information matrix. The reference path decides aliasing from the columns.
            var result = LogisticRegression.FitReferenceOf(design, y, options);
            var warnings = result.Warnings.Append("near-singular design: fitted by the reference path, which detects aliasing from the columns themselves").ToArray();
            return LogisticRegression.WithWarnings(result, warnings);
        }
    }

    private static LogisticResult FitFast(FastDesign design, IReadOnlyList<double> y, LogisticOptions options, IReadOnlyList<string> names)
    {
        using var ws = new Workspace(design, y, options.MaxDegreeOfParallelism);
        int total = design.Parameters.Length;
        var warnings = new List<string>();

        // Iteration 1 from R's starting values μ = (y + 1/2)/2. There every working weight is μ(1 − μ) = 3/16, so
        // the first pass's X'WX is X'X up to that constant: aliasing is decided on it (a design-order Cholesky; a
        // column whose residual norm is below tol × its norm is aliased; the test is scale-free), with no separate
        // Gram pass. Each later pass evaluates the deviance of the current β and accumulates X'WX and X'Wz at it.
        double devOld = ws.Pass(Mode.Irls, null);
        var all = Enumerable.Range(0, total).ToArray();
        var start = ws.Assemble(all, out _);
        int[] kept = KeptColumns(start, total, options.AliasTolerance);
        var aliased = Enumerable.Range(0, total).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        int p = kept.Length, n = design.Rows;
        if (p >= n) warnings.Add($"{p} estimated terms for {n} rows: the model is saturated or over-parameterised, and its standard errors are not meaningful");

        var beta = new double[p];
        var previous = new double[p];
        var info = new double[p * p];
        var rhs = new double[p];
        var full = new double[total];
        ws.AssembleInto(kept, info, rhs);
        if (!Solve(info, rhs, beta, p)) throw new NotPositiveDefiniteException();
        int iterations = 1;
        bool converged = false;
        double dev = 0;
        while (true)
        {
            Expand(beta, kept, full);
            dev = ws.Pass(Mode.Irls, full);
            for (int h = 0; iterations > 1 && (!double.IsFinite(dev) || dev > devOld * (1 + 1e-12) + 1e-12) && h < 30; h++)
            {
                for (int k = 0; k < p; k++) beta[k] = (beta[k] + previous[k]) / 2;
                Expand(beta, kept, full);
                dev = ws.Pass(Mode.Irls, full);
            }
            ws.AssembleInto(kept, info, rhs);
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < options.Tolerance) { converged = true; break; }
            if (iterations >= options.MaxIterations) break;
            devOld = dev;
            Array.Copy(beta, previous, p);
            if (!Solve(info, rhs, beta, p)) throw new NotPositiveDefiniteException();
            iterations++;
        }
        if (!converged)
        {
            warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
            Expand(beta, kept, full);
            dev = ws.Pass(Mode.Irls, full);
            ws.AssembleInto(kept, info, rhs);
        }
        var bread = Inverse(info, p);
        long extreme = ws.Extreme;

        // Separation: continue Newton past convergence and name the terms that keep moving.
        var separation = new List<string>();
        if (LogisticRegression.MaySeparate(beta, extreme))
        {
            var b = (double[])beta.Clone();
            var probe = new double[p * p];
            var probeRhs = new double[p];
            for (int step = 0; step < 5; step++)
            {
                Expand(b, kept, full);
                ws.Pass(Mode.Irls, full);
                ws.AssembleInto(kept, probe, probeRhs);
                var next = new double[p];
                if (!Solve(probe, probeRhs, next, p) || next.Any(v => !double.IsFinite(v))) break;
                b = next;
            }
            // Under separation the fitted linear predictor itself moves; along a near-null direction of an
            // ill-conditioned design the coefficients can drift while η does not, which is not separation.
            var drift = new double[design.Parameters.Length];
            for (int k = 0; k < p; k++) drift[kept[k]] = b[k] - beta[k];
            if (LogisticRegression.LinearPredictorMoves(design, drift))
                for (int k = 0; k < p; k++)
                    if (Math.Abs(b[k] - beta[k]) > 1e-3 * (1 + Math.Abs(beta[k]))) separation.Add(names[kept[k]]);
            Expand(beta, kept, full);
            ws.Pass(Mode.Deviance, full); // restore the final state (extreme count, deviance)
        }
        if (separation.Count > 0 || extreme > 0)
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10" +
                         (separation.Count > 0 ? $"; the estimates of {string.Join(", ", separation)} diverge (their maximum-likelihood estimates are infinite)" : "") +
                         "; consider Firth's bias-reduced fit");

        double[] covariance = options.Covariance switch
        {
            CovarianceType.Model => bread,
            CovarianceType.HC0 or CovarianceType.HC1 => Sandwich(ws, bread, kept, full, beta, p, options.Covariance == CovarianceType.HC1 ? (double)n / (n - p) : 1),
            CovarianceType.Cluster => ClusterSandwich(design, y, bread, kept, beta, full, p, options.Clusters!),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        double nullDeviance = LogisticRegression.NullDevianceOf(design.TermNames.Count > 0 && design.TermNames[0] == "(Intercept)", y);
        return LogisticRegression.Result(names, kept, beta, covariance, dev, nullDeviance, iterations, converged, n, separation, warnings, options);
    }

    private static void Expand(double[] beta, int[] kept, double[] full)
    {
        Array.Clear(full);
        for (int k = 0; k < kept.Length; k++) full[kept[k]] = beta[k];
    }

    private static double[] Sandwich(Workspace ws, double[] bread, int[] kept, double[] full, double[] beta, int p, double factor)
    {
        Expand(beta, kept, full);
        ws.Pass(Mode.Meat, full);
        var meat = ws.Assemble(kept, out _);
        return BreadMeatBread(bread, meat, p, factor);
    }

    private static double[] ClusterSandwich(FastDesign design, IReadOnlyList<double> y, double[] bread, int[] kept, double[] beta, double[] full, int p, IReadOnlyList<string> clusters)
    {
        Expand(beta, kept, full);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in clusters) index.TryAdd(c ?? "", index.Count);
        int g = index.Count, n = design.Rows;
        if (g < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        var sums = new double[g * p];
        var row = new double[design.Parameters.Length];
        for (int i = 0; i < n; i++)
        {
            design.FillRow(i, row);
            double eta = 0;
            for (int k = 0; k < row.Length; k++) eta += row[k] * full[k];
            double m = LogisticRegression.LinkInverse(eta), d = LogisticRegression.MuEta(eta);
            double r = (y[i] - m) * d / (m * (1 - m));
            int c = index[clusters[i] ?? ""];
            for (int k = 0; k < p; k++) sums[c * p + k] += row[kept[k]] * r;
        }
        var meat = new double[p * p];
        for (int c = 0; c < g; c++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) meat[a * p + b] += sums[c * p + a] * sums[c * p + b];
        return BreadMeatBread(bread, meat, p, (double)g / (g - 1) * (n - 1.0) / (n - p));
    }

    private static double[] BreadMeatBread(double[] bread, double[] meat, int p, double factor)
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

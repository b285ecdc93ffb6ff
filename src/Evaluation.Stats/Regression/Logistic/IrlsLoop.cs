using Evaluation.Stats.Numerics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The one IRLS loop of every binomial fit (docs/methodology.md, "The IRLS loop"). It owns the start (R's
/// mustart), the step-halving, the convergence rule, the warnings, aliasing, the separation probe and the
/// covariance; an <see cref="IIrlsEngine"/> only evaluates the deviance, X'WX and X'Wz at a given β.
/// </summary>
internal static class IrlsLoop
{
    /// <summary>
    /// The fewest dummies of one categorical for the loop to absorb it (<see cref="BlockedInformation"/>: Schur
    /// complement, O(L q²)) rather than solve the dense system (O((L + q)³)); see docs/performance.md for the
    /// measurements behind it. Settable for those measurements only.
    /// </summary>
    internal static int AbsorbMinimumLevels = DefaultAbsorbMinimumLevels;

    /// <summary>The measured cross-over (docs/performance.md, "Many-level categoricals").</summary>
    internal const int DefaultAbsorbMinimumLevels = 64;

    /// <summary>The most halvings of one step.</summary>
    internal const int MaxHalvings = 30;

    /// <summary>
    /// The convergence rule, R's <c>glm.control</c>: converged when |dev − dev_old| / (|dev| + 0.1) is below the
    /// tolerance (also used by Firth's fit on the penalized log-likelihood).
    /// </summary>
    internal static bool Converged(double value, double previous, double tolerance) =>
        Math.Abs(value - previous) / (Math.Abs(value) + 0.1) < tolerance;

    /// <summary>A step is halved while the deviance it reaches is not finite or rises (R halves on the first only; a rise guards against overshooting).</summary>
    internal static bool MustHalve(double deviance, double previous) =>
        !double.IsFinite(deviance) || deviance > previous * (1 + 1e-12) + 1e-12;

    /// <summary>Whether the last step moved the coefficients by less than 1e-9 of their size.</summary>
    private static bool Settled(double[] beta, double[] previous, int p)
    {
        double step = 0, size = 0;
        for (int k = 0; k < p; k++) { step = Math.Max(step, Math.Abs(beta[k] - previous[k])); size = Math.Max(size, Math.Abs(beta[k])); }
        return step < 1e-9 * (size + 0.1);
    }

    /// <summary>What the loop returns before the result is assembled.</summary>
    internal sealed record Estimates(int[] Kept, double[] Beta, double[] Full, CovarianceMatrix Bread, double Deviance, int Iterations, bool Converged,
        long Extreme, IReadOnlyList<int> Diverging, List<string> Warnings);

    /// <summary>
    /// Fits by IRLS with <paramref name="engine"/>; with <paramref name="firth"/>, that fit (given the kept columns)
    /// replaces IRLS and the loop adds the covariance and warnings.
    /// </summary>
    internal static Estimates Run(IIrlsEngine engine, IReadOnlyList<string> names, LogisticOptions options, bool records,
        Func<int[], (double[] Beta, int Iterations, bool Converged)>? firth = null)
    {
        int total = names.Count, n = engine.Design.Rows;
        var warnings = new List<string>();

        // Iteration 1 starts from R's mustart; aliasing is decided there (by the engine: from X'X or the columns).
        // A many-level categorical is absorbed (its block of X'WX is diagonal) when only the model covariance is asked
        // for; the sandwiches and Firth's fit need the dense inverse.
        var absorbable = firth is null && options.Covariance == CovarianceType.Model ? engine.AbsorbableColumns() : [];
        IInformation system = absorbable.Length >= AbsorbMinimumLevels ? new BlockedInformation(absorbable) : new DenseInformation(total);
        double devOld = engine.Evaluate(null);
        int[] kept = system.KeptColumns(engine, options.AliasTolerance);
        var aliased = Enumerable.Range(0, total).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        int p = kept.Length;
        if (records && p >= n) warnings.Add($"{p} estimated terms for {n} rows: the model is saturated or over-parameterised, and its standard errors are not meaningful");

        var beta = new double[p];
        var full = new double[total];
        int iterations;
        bool converged;
        double dev;
        if (firth is not null)
        {
            (beta, iterations, converged) = firth(kept);
            Expand(beta, kept, full);
            dev = engine.Evaluate(full);
            system.Assemble(engine);
            warnings.Add("Firth's bias-reduced fit: estimates maximise the penalized likelihood; the deviance and log-likelihood are the ordinary ones at these estimates");
        }
        else
        {
            var previous = new double[p];
            system.Assemble(engine);
            Step(system, beta);
            iterations = 1;
            converged = false;
            // Each evaluation gives the deviance at β and X'WX, X'Wz there: one pass per iteration.
            while (true)
            {
                Expand(beta, kept, full);
                dev = engine.Evaluate(full);
                for (int h = 0; iterations > 1 && MustHalve(dev, devOld) && h < MaxHalvings; h++)
                {
                    for (int k = 0; k < p; k++) beta[k] = (beta[k] + previous[k]) / 2;
                    Expand(beta, kept, full);
                    dev = engine.Evaluate(full);
                }
                system.Assemble(engine);
                // Fisher scoring converges only linearly for a non-canonical link (probit, cloglog): the deviance settles
                // while the coefficients still move by ~1e-6, so those links also wait for the step to vanish.
                if (Converged(dev, devOld, options.Tolerance) && (options.Link == BinomialLink.Logit || Settled(beta, previous, p))) { converged = true; break; }
                if (iterations >= options.MaxIterations) break;
                devOld = dev;
                Array.Copy(beta, previous, p);
                Step(system, beta);
                iterations++;
            }
            if (!converged) warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
        }
        var bread = system.Inverse();
        long extreme = engine.Extreme;
        var diverging = firth is null ? Diverging(engine, system, kept, beta, full, extreme) : [];
        if (firth is null && (diverging.Count > 0 || extreme > 0))
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10" +
                         (diverging.Count > 0 ? $"; the estimates of {string.Join(", ", diverging.Select(k => names[kept[k]]))} diverge (their maximum-likelihood estimates are infinite)" : "") +
                         "; consider Firth's bias-reduced fit");
        return new Estimates(kept, beta, full, bread, dev, iterations, converged, extreme, diverging, warnings);
    }

    /// <summary>Solves X'WX b = X'Wz; a singular information matrix means the aliasing test was passed at the edge.</summary>
    private static void Step(IInformation system, double[] beta)
    {
        if (!system.Solve(beta)) throw new NotPositiveDefiniteException();
    }

    internal static void Expand(double[] beta, int[] kept, double[] full)
    {
        Array.Clear(full);
        for (int k = 0; k < kept.Length; k++) full[kept[k]] = beta[k];
    }

    /// <summary>
    /// Separation: when a coefficient is beyond ±5 or a fitted probability is at 0 or 1, continue Newton past
    /// convergence; the kept positions whose estimates keep moving (while η moves too) are the diverging terms.
    /// Leaves the engine evaluated at β again.
    /// </summary>
    private static List<int> Diverging(IIrlsEngine engine, IInformation system, int[] kept, double[] beta, double[] full, long extreme)
    {
        var result = new List<int>();
        if (extreme == 0 && !beta.Any(b => Math.Abs(b) > 5)) return result;
        int p = kept.Length;
        var b = (double[])beta.Clone();
        for (int step = 0; step < 5; step++)
        {
            Expand(b, kept, full);
            engine.Evaluate(full);
            system.Assemble(engine);
            var next = new double[p];
            if (!system.Solve(next) || next.Any(v => !double.IsFinite(v))) break;
            b = next;
        }
        // Under separation the fitted linear predictor itself moves; along a near-null direction of an
        // ill-conditioned design the coefficients can drift while η does not, which is not separation.
        var drift = new double[full.Length];
        for (int k = 0; k < p; k++) drift[kept[k]] = b[k] - beta[k];
        if (LinearPredictorMoves(engine.Design, drift))
            for (int k = 0; k < p; k++)
                if (Math.Abs(b[k] - beta[k]) > 1e-3 * (1 + Math.Abs(beta[k]))) result.Add(k);
        Expand(beta, kept, full);
        engine.Evaluate(full, information: false); // restore the final state (extreme count, deviance)
        return result;
    }

    /// <summary>True when moving the coefficients by <paramref name="drift"/> moves some row's linear predictor by more than 0.1.</summary>
    private static bool LinearPredictorMoves(IDesignRows design, double[] drift)
    {
        var row = new double[design.TermNames.Count];
        for (int i = 0; i < design.Rows; i++)
        {
            design.FillRow(i, row);
            double d = 0;
            for (int k = 0; k < row.Length; k++) d += row[k] * drift[k];
            if (Math.Abs(d) > 0.1) return true;
        }
        return false;
    }
}

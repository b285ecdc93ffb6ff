using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The reference logistic regression (methodology §6): IRLS/Newton on MathNet dense matrices, written to be
/// read against R's <c>glm.fit</c>. It matches R's binomial family numerically, including R's clamping of the
/// inverse link at |η| > 30, detects aliased columns in design order, reports separation, and offers Firth's
/// bias-reduced fit and robust covariances.
/// </summary>
public static partial class LogisticRegression
{
    private const double Eps = 2.220446049250313e-16; // DBL_EPSILON
    private const double Thresh = 30;

    /// <summary>
    /// Fits <paramref name="y"/> (0 or 1) on the model <paramref name="spec"/> over <paramref name="data"/>. The fast
    /// path uses the columnar design (categorical terms unexpanded); the reference path expands a dense matrix.
    /// </summary>
    public static LogisticResult Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, LogisticOptions? options = null) =>
        Fit(data, spec, y, options, out _);

    /// <summary>As <see cref="Fit(ModelData, ModelSpec, IReadOnlyList{double}, LogisticOptions?)"/>, also returning the design it built (for the ATT).</summary>
    public static LogisticResult Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, LogisticOptions? options, out IDesignRows design)
    {
        options ??= LogisticOptions.Default;
        if (options.Implementation == Implementation.Fast && !options.Firth && options.Link == LinkKind.Logit)
        {
            var fast = FastDesign.Build(data, spec);
            design = fast;
            Validate(fast.Rows, fast.TermNames, y, options);
            return FastLogisticRegression.Fit(fast, y, options, fast.TermNames);
        }
        var dense = DesignMatrix.Build(data, spec);
        design = dense;
        return Fit(dense.X, dense.TermNames, y, options);
    }

    /// <summary>Fits <paramref name="y"/> (0 or 1) on the design.</summary>
    public static LogisticResult Fit(DesignMatrix design, IReadOnlyList<double> y, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        return Fit(design.X, design.TermNames, y, options);
    }

    /// <summary>Fits <paramref name="y"/> (0 or 1) on a columnar design, by the fast path (Firth: by the reference path).</summary>
    public static LogisticResult Fit(FastDesign design, IReadOnlyList<double> y, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        options ??= LogisticOptions.Default;
        Validate(design.Rows, design.TermNames, y, options);
        if (options.Firth || options.Implementation == Implementation.Reference || options.Link != LinkKind.Logit) return FitReferenceOf(design, y, options);
        return FastLogisticRegression.Fit(design, y, options, design.TermNames);
    }

    /// <summary>Fits <paramref name="y"/> (0 or 1) on the columns of <paramref name="x"/>, named by <paramref name="names"/>.</summary>
    /// <exception cref="ArgumentException">When sizes disagree, an outcome is not 0 or 1, or a value is not finite.</exception>
    public static LogisticResult Fit(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        options ??= LogisticOptions.Default;
        if (names.Count != x.ColumnCount) throw new ArgumentException($"{names.Count} names for {x.ColumnCount} columns.", nameof(names));
        Validate(x.RowCount, names, y, options);
        for (int i = 0; i < x.RowCount; i++)
            for (int j = 0; j < x.ColumnCount; j++)
                if (!double.IsFinite(x[i, j])) throw new ArgumentException($"Design value in row {i + 1}, column '{names[j]}' is not finite.", nameof(x));
        if (options.Implementation == Implementation.Fast && !options.Firth && options.Link == LinkKind.Logit)
            return FastLogisticRegression.Fit(FastDesign.FromDense(x, names), y, options, names);
        return FitReference(x, names, y, options);
    }

    private static void Validate(int n, IReadOnlyList<string> names, IReadOnlyList<double> y, LogisticOptions options)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count != n) throw new ArgumentException($"{y.Count} outcomes for {n} rows.", nameof(y));
        if (y is double[] a)
        {
            int bad = FirstNotZeroOrOne(a);
            if (bad >= 0) throw new ArgumentException($"Outcome in row {bad + 1} is {a[bad]}; a logistic outcome must be 0 or 1.", nameof(y));
        }
        else
            for (int i = 0; i < n; i++)
                if (y[i] is not (0.0 or 1.0)) throw new ArgumentException($"Outcome in row {i + 1} is {y[i]}; a logistic outcome must be 0 or 1.", nameof(y));
        if (n == 0) throw new ArgumentException("There are no rows to fit.", nameof(y));
        if (names.Count == 0) throw new ArgumentException("The model has no terms.", nameof(names));
        if (options.Covariance == CovarianceType.Cluster && (options.Clusters is null || options.Clusters.Count != n))
            throw new ArgumentException("Cluster-robust standard errors need one cluster label per row.", nameof(options));
    }

    /// <summary>
    /// The first index whose value is neither 0 nor 1 (−0 counts as 0; NaN is neither), or −1: four or eight values
    /// per compare, then a scalar tail (<c>MemoryExtensions.IndexOfAnyExcept</c> with two doubles is a scalar loop).
    /// </summary>
    internal static int FirstNotZeroOrOne(ReadOnlySpan<double> a)
    {
        int i = 0;
        ref double r = ref MemoryMarshal.GetReference(a);
        if (Vector512.IsHardwareAccelerated)
            for (var one = Vector512<double>.One; i <= a.Length - 8; i += 8)
            {
                var v = Vector512.LoadUnsafe(ref r, (nuint)i);
                if ((Vector512.Equals(v, Vector512<double>.Zero) | Vector512.Equals(v, one)).ExtractMostSignificantBits() != 0xFF) break;
            }
        else if (Vector256.IsHardwareAccelerated)
            for (var one = Vector256<double>.One; i <= a.Length - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                if ((Vector256.Equals(v, Vector256<double>.Zero) | Vector256.Equals(v, one)).ExtractMostSignificantBits() != 0xF) break;
            }
        for (; i < a.Length; i++)
            if (a[i] is not (0.0 or 1.0)) return i;
        return -1;
    }

    /// <summary>The reference fit (MathNet dense matrices), after validation.</summary>
    private static LogisticResult FitReference(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, LogisticOptions options)
    {
        if (options.Link != LinkKind.Logit) return FitGlm(x, names, y, BinomialInputs.Default, options);
        int n = x.RowCount;

        var warnings = new List<string>();
        int[] kept = NonAliasedColumns(x, options.AliasTolerance);
        var aliased = Enumerable.Range(0, x.ColumnCount).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        var xk = Matrix<double>.Build.Dense(n, kept.Length, (i, j) => x[i, kept[j]]);
        var yv = Vector<double>.Build.Dense(n, i => y[i]);
        int p = kept.Length;
        if (p >= n) warnings.Add($"{p} estimated terms for {n} rows: the model is saturated or over-parameterised, and its standard errors are not meaningful");

        var (beta, iterations, converged) = options.Firth ? FitFirth(xk, yv, options) : FitIrls(xk, yv, options);
        if (!converged) warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");

        var eta = xk * beta;
        var mu = eta.Map(LinkInverse);
        double deviance = Deviance(yv, mu);
        double nullDeviance = NullDeviance(x, names, yv);
        var info = Information(xk, eta);
        var bread = Invert(info);

        var separation = new List<string>();
        if (!options.Firth)
        {
            int extreme = mu.Count(m => m < 1e-10 || m > 1 - 1e-10);
            if (MaySeparate(beta.ToArray(), extreme))
                separation.AddRange(DivergingTerms(xk, yv, beta, options).Select(j => names[kept[j]]));
            if (separation.Count > 0 || extreme > 0)
                warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10" +
                             (separation.Count > 0 ? $"; the estimates of {string.Join(", ", separation)} diverge (their maximum-likelihood estimates are infinite)" : "") +
                             "; consider Firth's bias-reduced fit");
        }
        else
        {
            warnings.Add("Firth's bias-reduced fit: estimates maximise the penalized likelihood; the deviance and log-likelihood are the ordinary ones at these estimates");
        }

        var covariance = options.Covariance switch
        {
            CovarianceType.Model => bread,
            CovarianceType.HC0 => Sandwich(xk, yv, mu, bread),
            CovarianceType.HC1 => Sandwich(xk, yv, mu, bread) * ((double)n / (n - p)),
            CovarianceType.Cluster => ClusterSandwich(xk, yv, mu, bread, options.Clusters!),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };

        var cov = new double[p * p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) cov[a * p + b] = covariance[a, b];
        return Result(names, kept, beta.ToArray(), cov, deviance, nullDeviance, iterations, converged, n, separation, warnings, options);
    }

    /// <summary>Builds the result shared by both paths; <paramref name="covariance"/> is p × p row-major over the kept terms.</summary>
    internal static LogisticResult Result(IReadOnlyList<string> names, int[] kept, double[] beta, double[] covariance, double deviance,
        double nullDeviance, int iterations, bool converged, int n, IReadOnlyList<string> separation, IReadOnlyList<string> warnings, LogisticOptions options)
    {
        int p = kept.Length;
        double z = Normal.InvCDF(0, 1, 0.5 + options.ConfidenceLevel / 2);
        var coefficients = new Coefficient[names.Count];
        for (int j = 0; j < names.Count; j++) coefficients[j] = new Coefficient(names[j], null, null, null, null, null, null, null);
        var cov = new double[p, p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) cov[a, b] = covariance[a * p + b];
        for (int k = 0; k < p; k++)
        {
            double b = beta[k], se = Math.Sqrt(cov[k, k]);
            double zv = b / se;
            coefficients[kept[k]] = new Coefficient(names[kept[k]], b, se, zv, DiffInDiff.WaldEstimate.TwoSidedP(zv), b - z * se, b + z * se, Math.Exp(b));
        }
        return new LogisticResult(coefficients, kept.Select(j => names[j]).ToArray(), cov,
            -deviance / 2, deviance, nullDeviance, iterations, converged, n, separation, warnings, options, beta, kept);
    }

    /// <summary>The reference fit of a columnar design (its rows expanded into a dense matrix).</summary>
    internal static LogisticResult FitReferenceOf(FastDesign design, IReadOnlyList<double> y, LogisticOptions options)
    {
        var x = Matrix<double>.Build.Dense(design.Rows, design.TermNames.Count);
        var row = new double[design.TermNames.Count];
        for (int i = 0; i < design.Rows; i++) { design.FillRow(i, row); x.SetRow(i, row); }
        return FitReference(x, design.TermNames, y, options);
    }

    /// <summary>A copy of <paramref name="r"/> with other warnings.</summary>
    internal static LogisticResult WithWarnings(LogisticResult r, IReadOnlyList<string> warnings) =>
        new(r.Coefficients, r.EstimableTerms.ToArray(), r.Covariance, r.LogLikelihood, r.Deviance, r.NullDeviance, r.Iterations, r.Converged, r.N,
            r.Separation, warnings, r.Options, r.Beta, r.Kept);

    /// <summary>
    /// True when moving the coefficients by <paramref name="drift"/> (one entry per design column) moves some row's
    /// linear predictor by more than 0.1: the signature of separation, as opposed to drift along a near-null
    /// direction of an ill-conditioned design, which leaves η in place.
    /// </summary>
    internal static bool LinearPredictorMoves(IDesignRows design, double[] drift)
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

    /// <summary>Whether the separation probe is worth running: a coefficient beyond ±5 on the log-odds scale, or a fitted probability at 0 or 1.</summary>
    internal static bool MaySeparate(double[] beta, long extreme) => extreme > 0 || beta.Any(b => Math.Abs(b) > 5);

    internal static double NullDevianceOf(bool intercept, IReadOnlyList<double> y)
    {
        // y is 0/1 (validated), so the deviance is a sum over the two outcome groups.
        long ones = 0;
        if (y is double[] a) ones = (long)TensorPrimitives.Sum<double>(a); // a sum of 0s and 1s is exact below 2^53 rows
        else foreach (var v in y) if (v == 1) ones++;
        long zeros = y.Count - ones;
        double m = intercept ? (double)ones / y.Count : 0.5;
        return (ones > 0 ? -2 * ones * Math.Log(m) : 0) + (zeros > 0 ? -2 * zeros * Math.Log(1 - m) : 0);
    }

    /// <summary>The likelihood-ratio test of <paramref name="smaller"/> nested in <paramref name="larger"/>.</summary>
    public static LikelihoodRatioTest LikelihoodRatio(LogisticResult smaller, LogisticResult larger)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        ArgumentNullException.ThrowIfNull(larger);
        if (smaller.N != larger.N) throw new ArgumentException($"The fits have {smaller.N} and {larger.N} rows; nested fits must use the same rows.");
        int df = larger.EstimableTerms.Count - smaller.EstimableTerms.Count;
        if (df <= 0) throw new ArgumentException("The larger model must estimate more terms than the smaller one.");
        double stat = Math.Max(0, 2 * (larger.LogLikelihood - smaller.LogLikelihood));
        return new LikelihoodRatioTest(stat, df, 1 - ChiSquared.CDF(df, stat));
    }

    /// <summary>
    /// Puhani's (2012) treatment effect on the treated for the interaction <paramref name="term"/>: the mean, over
    /// the treated rows, of <c>Λ(η_i) − Λ(η_i − b)</c>, with the delta-method SE from the fit's covariance.
    /// </summary>
    /// <param name="result">The fit.</param>
    /// <param name="design">The design it was fitted on.</param>
    /// <param name="term">The interaction term, for example <c>pilot:post</c>.</param>
    /// <param name="treated">Which rows are treated (for the DiD, pilot-post rows).</param>
    /// <returns><c>null</c> when the term is aliased or no row is treated.</returns>
    public static TreatmentEffect? TreatmentEffectOnTreated(LogisticResult result, IDesignRows design, string term, IReadOnlyList<bool> treated)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(treated);
        if (result[term].IsAliased) return null;
        int t = result.IndexOf(term);
        int p = result.Kept.Length;
        var gradient = new double[p];
        var x = new double[design.TermNames.Count];
        double sum = 0;
        int rows = 0;
        for (int i = 0; i < design.Rows; i++)
        {
            if (!treated[i]) continue;
            rows++;
            design.FillRow(i, x);
            double eta = 0;
            for (int k = 0; k < p; k++) eta += x[result.Kept[k]] * result.Beta[k];
            double eta0 = eta - result.Beta[t];
            double l1 = Logistic(eta), l0 = Logistic(eta0);
            sum += l1 - l0;
            double d1 = l1 * (1 - l1), d0 = l0 * (1 - l0);
            for (int k = 0; k < p; k++)
            {
                double xk = x[result.Kept[k]];
                gradient[k] += d1 * xk - d0 * (k == t ? 0 : xk);
            }
        }
        if (rows == 0) return null;
        var g = Vector<double>.Build.Dense(gradient) / rows;
        var v = Matrix<double>.Build.DenseOfArray(result.Covariance);
        return new TreatmentEffect(sum / rows, Math.Sqrt(g * v * g), rows);
    }
}

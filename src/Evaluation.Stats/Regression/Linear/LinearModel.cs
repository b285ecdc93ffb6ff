using System.Numerics.Tensors;
using Evaluation.Stats.Numerics;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression.Linear;

/// <summary>
/// Ordinary least squares (R's <c>lm</c>) on the same designs as the logistic regression, with the same covariance
/// options (<see cref="CovarianceOptions"/>: model, HC0–HC3, one- and two-way cluster) and a result of the same
/// shape. Two implementations agree: the readable reference (MathNet Householder QR of the kept columns, as
/// <c>lm</c>) and the fast path (the normal equations from a blocked, multi-threaded SIMD Gram pass, solved by
/// Cholesky with one step of iterative refinement against the residuals).
/// </summary>
public static class LinearModel
{
    /// <summary>Fits <paramref name="y"/> on a formula's design.</summary>
    public static LinearResult Fit(FormulaDesign design, IReadOnlyList<double> y, LinearOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        return FitColumns(design.Columns, design.TermNames, y, options ?? LinearOptions.Default);
    }

    /// <summary>Fits <paramref name="y"/> on a dense design.</summary>
    internal static LinearResult Fit(DesignMatrix design, IReadOnlyList<double> y, LinearOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        return Fit(design.X, design.TermNames, y, options);
    }

    /// <summary>Fits <paramref name="y"/> on the columns of <paramref name="x"/>, named by <paramref name="names"/>.</summary>
    public static LinearResult Fit(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return FitColumns(x.ToColumnArrays(), names, y, options ?? LinearOptions.Default);
    }

    /// <summary>Fits <paramref name="y"/> on columns given one array per term (read, never written or kept).</summary>
    /// <exception cref="ArgumentException">When sizes disagree, a value is not finite, there are no rows or terms, or the covariance options do not fit the data.</exception>
    public static LinearResult Fit(IReadOnlyList<double[]> columns, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return FitColumns(columns.ToArray(), names, y, options ?? LinearOptions.Default);
    }

    private static LinearResult FitColumns(double[][] x, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions o)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(y);
        Validate(x, names, y, o);
        return o.Implementation == Implementation.Reference ? FitReference(x, names, y, o) : FitFast(x, names, y, o);
    }

    private static void Validate(double[][] x, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions o)
    {
        int n = y.Count;
        if (n == 0) throw new ArgumentException("There are no rows to fit.", nameof(y));
        if (x.Length == 0) throw new ArgumentException("The model has no terms.", nameof(names));
        if (names.Count != x.Length) throw new ArgumentException($"{names.Count} names for {x.Length} columns.", nameof(names));
        if (o.ConfidenceLevel is not (> 0 and < 1)) throw new ArgumentException($"The confidence level {o.ConfidenceLevel} is not between 0 and 1.", nameof(o));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(y[i])) throw new ArgumentException($"The outcome in row {i + 1} is {y[i]}; it must be a finite number.", nameof(y));
        for (int j = 0; j < x.Length; j++)
        {
            if (x[j].Length != n) throw new ArgumentException($"Column '{names[j]}' has {x[j].Length} values for {n} outcomes.", nameof(x));
            if (!TensorPrimitives.IsFiniteAll<double>(x[j]))
                throw new ArgumentException($"Design value in row {Array.FindIndex(x[j], v => !double.IsFinite(v)) + 1}, column '{names[j]}' is not finite.", nameof(x));
        }
        o.Covariance.Validate(n);
    }

    /// <summary>The reference: Householder QR of the kept columns, as R's <c>lm</c>; the sandwich on MathNet matrices.</summary>
    private static LinearResult FitReference(double[][] columns, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions o)
    {
        int n = y.Count;
        var x = Matrix<double>.Build.DenseOfColumnArrays(columns);
        int[] kept = LogisticRegression.NonAliasedColumns(x, o.AliasTolerance);
        var xk = Matrix<double>.Build.DenseOfColumnArrays(kept.Select(j => columns[j]));
        var yv = Vector<double>.Build.Dense(n, i => y[i]);
        var qr = xk.QR();
        var beta = qr.Solve(yv);
        var residuals = yv - xk * beta;
        var rInverse = qr.R.Inverse();
        var bread = rInverse * rInverse.Transpose(); // (X'X)⁻¹ = R⁻¹R⁻ᵀ
        double rss = residuals.DotProduct(residuals);
        int k = kept.Length;
        var covariance = o.Covariance.Type == CovarianceType.Model
            ? bread * (rss / (n - k))
            : ReferenceSandwich.Compute(xk, residuals, null, bread, o.Covariance);
        return Result(names, kept, beta.ToArray(), covariance.ToArray(), n, rss, TotalSumOfSquares(columns, names, y), o);
    }

    /// <summary>The fast path: normal equations from the parallel Gram pass, Cholesky, one refinement step.</summary>
    private static LinearResult FitFast(double[][] columns, IReadOnlyList<string> names, IReadOnlyList<double> y, LinearOptions o)
    {
        int n = y.Count, threads = o.MaxDegreeOfParallelism;
        var gram = ColumnGram.Gram(columns, null, threads);
        int[] kept = SmallDense.KeptColumns(gram, columns.Length, o.AliasTolerance);
        int k = kept.Length;
        var xk = kept.Select(j => columns[j]).ToArray();
        var a = new double[k * k];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++) a[r * k + c] = gram[kept[r] * columns.Length + kept[c]];
        var ya = y as double[] ?? y.ToArray();
        var beta = new double[k];
        if (!SmallDense.Solve(a, ColumnGram.Cross(xk, ya, threads), beta, k)) throw new NotPositiveDefiniteException();
        var residuals = ColumnGram.Residuals(xk, beta, ya, threads);
        // One step of iterative refinement: the normal equations square the condition number; X'r recovers the digits.
        var delta = new double[k];
        SmallDense.Solve(a, ColumnGram.Cross(xk, residuals, threads), delta, k);
        TensorPrimitives.Add(beta, delta, beta);
        residuals = ColumnGram.Residuals(xk, beta, ya, threads);
        double rss = TensorPrimitives.Dot<double>(residuals, residuals);
        var bread = SmallDense.Inverse(a, k);
        double[] covariance;
        if (o.Covariance.Type == CovarianceType.Model)
        {
            covariance = new double[k * k];
            TensorPrimitives.Multiply(bread, rss / (n - k), covariance);
        }
        else covariance = FastSandwich.Compute(xk, residuals, null, bread, o.Covariance, threads);
        return Result(names, kept, beta, ToMatrix(covariance, k), n, rss, TotalSumOfSquares(columns, names, ya), o);
    }

    private static double[,] ToMatrix(double[] a, int k)
    {
        var m = new double[k, k];
        for (int r = 0; r < k; r++) for (int c = 0; c < k; c++) m[r, c] = a[r * k + c];
        return m;
    }

    /// <summary>About the mean when the first column is the intercept (all 1), about 0 otherwise (R's <c>summary.lm</c>).</summary>
    private static double TotalSumOfSquares(double[][] columns, IReadOnlyList<string> names, IReadOnlyList<double> y)
    {
        bool intercept = names[0] == "(Intercept)" && columns[0].AsSpan().IndexOfAnyExcept(1.0) < 0;
        var ya = y as double[] ?? y.ToArray();
        double mean = intercept ? TensorPrimitives.Sum<double>(ya) / ya.Length : 0;
        double tss = 0;
        foreach (var v in ya) tss += (v - mean) * (v - mean);
        return tss;
    }

    private static LinearResult Result(IReadOnlyList<string> names, int[] kept, double[] beta, double[,] covariance, int n, double rss, double tss, LinearOptions o)
    {
        int k = kept.Length, df = n - k;
        var warnings = new List<string>();
        var aliased = Enumerable.Range(0, names.Count).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        if (df <= 0) warnings.Add($"{k} estimated terms for {n} rows: the model is saturated, and its standard errors are not defined");
        double q = df > 0 ? StudentT.InvCDF(0, 1, df, 0.5 + o.ConfidenceLevel / 2) : double.NaN;
        var coefficients = names.Select(t => new LinearCoefficient(t, null, null, null, null, null, null)).ToArray();
        for (int m = 0; m < k; m++)
        {
            double b = beta[m], se = Math.Sqrt(covariance[m, m]), t = b / se;
            double p = df > 0 && double.IsFinite(t) ? 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)) : double.NaN;
            coefficients[kept[m]] = new LinearCoefficient(names[kept[m]], b, se, t, p, b - q * se, b + q * se);
        }
        bool intercept = names[0] == "(Intercept)" && kept.Contains(0);
        return new LinearResult(coefficients, kept.Select(j => names[j]).ToArray(), covariance, n, rss, tss, intercept, warnings, o);
    }
}

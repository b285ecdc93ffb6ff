using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The reference engine: R's <c>glm.fit</c> quantities on MathNet dense matrices, written to be read against R.
/// At β it forms η = Xβ + offset, μ = g⁻¹(η), the binomial deviance with prior weights, the working weights
/// w = m·μ'(η)²/(μ(1 − μ)) and working response z = η − offset + (y − μ)/μ'(η), and X'WX and X'Wz. It takes any
/// <see cref="ILink"/>, prior weights and offsets; aliasing is decided from the columns themselves.
/// </summary>
internal sealed class ReferenceEngine : IIrlsEngine
{
    private readonly Matrix<double> _x;
    private readonly BinomialOutcome _o;
    private readonly ILink _link;
    private readonly double[] _mu;
    private Matrix<double>? _info;
    private Vector<double>? _rhs;

    internal ReferenceEngine(Matrix<double> x, IReadOnlyList<string> names, BinomialOutcome outcome, ILink link)
    {
        _x = x;
        _o = outcome;
        _link = link;
        _mu = new double[x.RowCount];
        Design = new DesignMatrix(x, names.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
        HasIntercept = names.Count > 0 && names[0] == "(Intercept)" && x.Column(0).All(v => v == 1);
    }

    public IDesignRows Design { get; }

    public bool HasIntercept { get; }

    public long Extreme { get; private set; }

    public double Evaluate(double[]? beta, bool information = true)
    {
        int n = _x.RowCount;
        var y = _o.Y;
        var eta = new double[n];
        if (beta is null)
        {
            // R's binomial initialize: mustart = (m·y + ½)/(m + 1); then η = g(mustart) and μ = g⁻¹(η).
            for (int i = 0; i < n; i++)
            {
                double m = _o.WeightOf(i);
                eta[i] = _link.Apply((m * y[i] + 0.5) / (m + 1));
            }
        }
        else
        {
            var e = _x * Vector<double>.Build.Dense(beta);
            for (int i = 0; i < n; i++) eta[i] = e[i] + _o.OffsetOf(i);
        }
        long extreme = 0;
        for (int i = 0; i < n; i++)
        {
            double m = _link.Inverse(eta[i]);
            _mu[i] = m;
            if (m < 1e-10 || m > 1 - 1e-10) extreme++;
        }
        Extreme = extreme;
        double deviance = BinomialDeviance.Of(y, _o.Weights, _mu);
        if (!information) return deviance;

        var w = Vector<double>.Build.Dense(n);
        var z = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            double m = _mu[i], d = _link.Derivative(eta[i]);
            w[i] = _o.WeightOf(i) * d * d / (m * (1 - m));
            z[i] = eta[i] - _o.OffsetOf(i) + (y[i] - m) / d;
        }
        var xw = _x.Clone();
        xw.MapIndexedInplace((i, _, v) => v * w[i]);
        _info = xw.TransposeThisAndMultiply(_x);
        _rhs = xw.TransposeThisAndMultiply(z);
        return deviance;
    }

    public void Assemble(int[] kept, double[] info, double[] rhs)
    {
        if (_info is null || _rhs is null) throw new InvalidOperationException("Evaluate first.");
        int p = kept.Length;
        for (int a = 0; a < p; a++)
        {
            rhs[a] = _rhs[kept[a]];
            for (int b = 0; b < p; b++) info[a * p + b] = _info[kept[a], kept[b]];
        }
    }

    public int[] KeptColumns(double tolerance) => LogisticRegression.NonAliasedColumns(RowsWithWeight(), tolerance);

    /// <summary>
    /// The rows with positive prior weight, on which R's <c>glm.fit</c> decides aliasing (its <c>good</c> rows): a level
    /// seen only in rows of weight 0 carries no information and is aliased, as the fast engine finds from X'WX.
    /// </summary>
    private Matrix<double> RowsWithWeight()
    {
        if (_o.Weights is not { } m || Array.IndexOf(m, 0.0) < 0) return _x;
        var rows = Enumerable.Range(0, _x.RowCount).Where(i => m[i] > 0).ToArray();
        return Matrix<double>.Build.Dense(rows.Length, _x.ColumnCount, (r, c) => _x[rows[r], c]);
    }

    // The reference engine holds the dense matrix and assembles the dense information only.
    public int[] AbsorbableColumns() => [];

    public void AssembleBlocked(int[] others, int[] absorbed, double[] a, double[] b, double[] d, double[] ra, double[] rc) =>
        throw new NotSupportedException("The reference engine assembles the dense information only.");

    public double[] Meat(double[] beta, int[] kept) => Scores.Meat(Design, _o, _link, beta, kept);

    public void Dispose() { }
}

/// <summary>R's binomial deviance residuals with prior weights: 2 m [y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))], 0 log 0 = 0.</summary>
internal static class BinomialDeviance
{
    internal static double Of(double[] y, double[]? weights, ReadOnlySpan<double> mu)
    {
        double d = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = YLogY(y[i], mu[i]) + YLogY(1 - y[i], 1 - mu[i]);
            d += weights is null ? 2 * r : 2 * weights[i] * r;
        }
        return d;
    }

    /// <summary>a log(a/b), 0 for a = 0; for a = 1 it is −log b (so 0/1 records take −2 log of the fitted probability of what happened).</summary>
    private static double YLogY(double a, double b) => a == 0 ? 0 : a == 1 ? -Math.Log(b) : a * Math.Log(a / b);
}

/// <summary>Row scores for the sandwich covariances, computed row by row from any design.</summary>
internal static class Scores
{
    /// <summary>Row i's score residual m (y − μ) μ'(η)/(μ(1 − μ)) at the linear predictor η (offset included).</summary>
    internal static double Residual(BinomialOutcome o, ILink link, int i, double eta)
    {
        double m = link.Inverse(eta), d = link.Derivative(eta);
        return o.WeightOf(i) * (o.Y[i] - m) * d / (m * (1 - m));
    }

    /// <summary>Σ s_i s_i' over the kept columns, s_i = x_i × the score residual.</summary>
    internal static double[] Meat(IDesignRows design, BinomialOutcome o, ILink link, double[] beta, int[] kept)
    {
        int p = kept.Length;
        var meat = new double[p * p];
        var row = new double[design.TermNames.Count];
        var s = new double[p];
        for (int i = 0; i < design.Rows; i++)
        {
            double r = ResidualAt(design, o, link, beta, i, row);
            for (int k = 0; k < p; k++) s[k] = row[kept[k]] * r;
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) meat[a * p + b] += s[a] * s[b];
        }
        return meat;
    }

    /// <summary>Per cluster, Σ s_i over its rows (g × p row-major), for CR1.</summary>
    internal static double[] ClusterSums(IDesignRows design, BinomialOutcome o, ILink link, double[] beta, int[] kept, int[] clusterOf, int clusters)
    {
        int p = kept.Length;
        var sums = new double[clusters * p];
        var row = new double[design.TermNames.Count];
        for (int i = 0; i < design.Rows; i++)
        {
            double r = ResidualAt(design, o, link, beta, i, row);
            int c = clusterOf[i];
            for (int k = 0; k < p; k++) sums[c * p + k] += row[kept[k]] * r;
        }
        return sums;
    }

    private static double ResidualAt(IDesignRows design, BinomialOutcome o, ILink link, double[] beta, int i, double[] row)
    {
        design.FillRow(i, row);
        double eta = o.OffsetOf(i);
        for (int k = 0; k < row.Length; k++) eta += row[k] * beta[k];
        return Residual(o, link, i, eta);
    }
}

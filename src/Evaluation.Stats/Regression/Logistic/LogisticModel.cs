using System.Globalization;
using Evaluation.Stats.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Regression;

/// <summary>
/// A binomial regression model: a design (model data and specification, or a matrix with column names) and an
/// outcome, optionally with prior weights (frequency weights, or binomial trials for grouped data) and an offset.
/// The model holds no estimates: <see cref="Fit"/> returns an immutable <see cref="LogisticResult"/>, and one model
/// can be fitted with several options. Every fit runs the one IRLS loop (docs/methodology.md) with the fast engine
/// (columnar, vectorised; the logit link, with or without prior weights and an offset) or the reference engine
/// (MathNet dense matrices; the other links, Firth's fit, and <see cref="Implementation.Reference"/>).
/// </summary>
public sealed class LogisticModel
{
    private readonly ModelData? _data;
    private readonly ModelSpec? _spec;
    private readonly Matrix<double>? _x;
    private IReadOnlyList<string>? _names;
    private FastDesign? _fast;
    private DesignMatrix? _dense;
    private readonly BinomialOutcome _outcome;
    private bool _isNullModel;

    /// <summary>A model of 0/1 records (or of proportions with <paramref name="weights"/>) on <paramref name="spec"/> over <paramref name="data"/>.</summary>
    /// <param name="data">The columns.</param>
    /// <param name="spec">The terms.</param>
    /// <param name="outcome">Per row, 0 or 1; with weights, a proportion in [0, 1] (events/trials, as R's <c>glm</c> with <c>weights</c>).</param>
    /// <param name="weights">Prior weights (frequency weights or binomial trials), finite and not negative; null for 1 per row.</param>
    /// <param name="offset">A known term added to the linear predictor, one finite value per row; null for none.</param>
    /// <exception cref="ArgumentException">When sizes disagree or a value is out of range (the message names the row).</exception>
    public LogisticModel(ModelData data, ModelSpec spec, IReadOnlyList<double> outcome, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? offset = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        _data = data;
        _spec = spec;
        _outcome = Outcome(data.Rows, outcome, weights, offset);
    }

    /// <summary>A model on the columns of <paramref name="x"/>, named by <paramref name="names"/> (an intercept is a column of ones named <c>(Intercept)</c>).</summary>
    /// <param name="x">The n × p design matrix (not copied: do not change it while the model is in use).</param>
    /// <param name="names">Its column names.</param>
    /// <param name="outcome">Per row, 0 or 1; with weights, a proportion in [0, 1].</param>
    /// <param name="weights">Prior weights (frequency weights or binomial trials), finite and not negative; null for 1 per row.</param>
    /// <param name="offset">A known term added to the linear predictor, one finite value per row; null for none.</param>
    /// <exception cref="ArgumentException">When sizes disagree or a value is out of range (the message names the row).</exception>
    public LogisticModel(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> outcome, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? offset = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != x.ColumnCount) throw new ArgumentException($"{names.Count} names for {x.ColumnCount} columns.", nameof(names));
        for (int i = 0; i < x.RowCount; i++)
            for (int j = 0; j < x.ColumnCount; j++)
                if (!double.IsFinite(x[i, j])) throw new ArgumentException($"Design value in row {i + 1}, column '{names[j]}' is not finite.", nameof(x));
        _x = x;
        _names = names.ToArray();
        _outcome = Outcome(x.RowCount, outcome, weights, offset);
    }

    internal LogisticModel(FastDesign design, IReadOnlyList<double> outcome, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? offset = null)
    {
        _fast = design;
        _names = design.TermNames;
        _outcome = Outcome(design.Rows, outcome, weights, offset);
    }

    /// <summary>
    /// A grouped binomial model: row i has <paramref name="events"/>[i] events in <paramref name="trials"/>[i] trials
    /// (R's <c>glm(cbind(events, trials − events) ~ x, binomial)</c>): the outcome is the proportion with the trials as
    /// prior weights, so estimates, standard errors, deviances, log-likelihood (with its binomial coefficients) and AIC
    /// are R's. A design compressed to its distinct covariate patterns gives the estimates of its records.
    /// </summary>
    /// <param name="x">The design, one row per group.</param>
    /// <param name="names">The column names.</param>
    /// <param name="events">Events per row, 0 to its trials.</param>
    /// <param name="trials">Trials per row, at least 1 (drop empty groups: they carry no information).</param>
    /// <param name="offset">An offset per row, or null.</param>
    /// <exception cref="ArgumentException">When sizes disagree or a count is out of range.</exception>
    public static LogisticModel Grouped(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials, IReadOnlyList<double>? offset = null)
    {
        var (y, m) = Proportions(x?.RowCount ?? 0, events, trials);
        return new LogisticModel(x!, names, y, m, offset);
    }

    /// <summary>A grouped binomial model on <paramref name="spec"/> over <paramref name="data"/>; see <see cref="Grouped(Matrix{double}, IReadOnlyList{string}, IReadOnlyList{long}, IReadOnlyList{long}, IReadOnlyList{double}?)"/>.</summary>
    /// <param name="data">The columns, one row per group.</param>
    /// <param name="spec">The terms.</param>
    /// <param name="events">Events per row, 0 to its trials.</param>
    /// <param name="trials">Trials per row, at least 1.</param>
    /// <param name="offset">An offset per row, or null.</param>
    public static LogisticModel Grouped(ModelData data, ModelSpec spec, IReadOnlyList<long> events, IReadOnlyList<long> trials, IReadOnlyList<double>? offset = null)
    {
        var (y, m) = Proportions(data?.Rows ?? 0, events, trials);
        return new LogisticModel(data!, spec, y, m, offset);
    }

    /// <summary>The design's column names, in design order.</summary>
    public IReadOnlyList<string> TermNames => _names ??= (_fast?.TermNames ?? _dense?.TermNames ?? FastDesignOf().TermNames);

    /// <summary>The number of rows.</summary>
    public int Rows => _outcome.Rows;

    /// <summary>Whether the model has prior weights (frequency weights or trials).</summary>
    public bool IsWeighted => _outcome.Weights is not null;

    /// <summary>Whether the model has an offset.</summary>
    public bool HasOffset => _outcome.Offset is not null;

    internal BinomialOutcome Response => _outcome;

    /// <summary>Fits the model by the one IRLS loop (or Firth's fit) with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">When an option does not apply to this model (cluster labels of the wrong length).</exception>
    public LogisticResult Fit(LogisticOptions? options = null)
    {
        options ??= LogisticOptions.Default;
        if (TermNames.Count == 0) throw new ArgumentException("The model has no terms.");
        if (options.Covariance == CovarianceType.Cluster && (options.Clusters is null || options.Clusters.Count != Rows))
            throw new ArgumentException("Cluster-robust standard errors need one cluster label per row.", nameof(options));
        var link = Links.Of(options.Link);
        bool fast = options.Implementation == Implementation.Fast && !options.Firth && link.IsCanonical;
        if (!fast) return FitWith(ReferenceEngineOf(link), options, link, firth: options.Firth);
        try
        {
            return FitWith(new FastLogisticRegression.Engine(FastDesignOf(), _outcome, options.MaxDegreeOfParallelism), options, link, firth: false);
        }
        catch (NotPositiveDefiniteException)
        {
            // The Gram-matrix aliasing test squares the condition number; a design near the edge of singular can pass
            // it and still leave a singular information matrix. The reference engine decides aliasing from the columns.
            var result = FitWith(ReferenceEngineOf(link), options, link, firth: false);
            return result.WithWarnings([.. result.Warnings, "near-singular design: fitted by the reference path, which detects aliasing from the columns themselves"]);
        }
    }

    /// <summary>
    /// Puhani's (2012) treatment effect on the treated for the interaction <paramref name="term"/>: the mean, over
    /// the treated rows, of <c>Λ(η_i) − Λ(η_i − b)</c>, with the delta-method SE from the fit's covariance.
    /// </summary>
    /// <param name="fit">A fit of this model.</param>
    /// <param name="term">The interaction term, for example <c>pilot:post</c>.</param>
    /// <param name="treated">Which rows are treated (for the DiD, pilot-post rows).</param>
    /// <returns><c>null</c> when the term is aliased or no row is treated.</returns>
    public TreatmentEffect? TreatmentEffectOnTreated(LogisticResult fit, string term, IReadOnlyList<bool> treated)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (treated is null || treated.Count != Rows) throw new ArgumentException($"One treated flag per row is needed ({Rows}).", nameof(treated));
        return LogisticRegression.TreatmentEffectOnTreated(fit, DesignRows(), term, treated);
    }

    /// <summary>The design row by row: whichever design is already built.</summary>
    internal IDesignRows DesignRows() => (IDesignRows?)_fast ?? (IDesignRows?)_dense ?? DenseDesign();

    internal FastDesign FastDesignOf()
    {
        if (_fast is not null) return _fast;
        Numerics.KernelPrecompile.Start(); // the fast engine's kernels compile on another core while the design is built
        return _fast = _x is not null ? FastDesign.FromDense(_x, TermNames) : FastDesign.Build(_data!, _spec!);
    }

    private DesignMatrix DenseDesign()
    {
        if (_dense is not null) return _dense;
        if (_x is not null) return _dense = new DesignMatrix(_x, TermNames.ToArray(), new Dictionary<string, IReadOnlyList<string>>());
        DenseInformation.Check(TermNames.Count);
        long entries = (long)Rows * TermNames.Count;
        if (entries > MaxDenseDesignEntries)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The reference engine would expand the design into {Rows:N0} × {TermNames.Count:N0} values ({entries * 8 / 1e9:0.0} GB). ") +
                                        "Use the fast engine (Implementation.Fast, the model covariance), which keeps categoricals as codes.");
        if (_data is not null) return _dense = DesignMatrix.Build(_data, _spec!);
        // A model built from a columnar design alone: expand its rows.
        var x = Matrix<double>.Build.Dense(_fast!.Rows, _fast.TermNames.Count);
        var row = new double[_fast.TermNames.Count];
        for (int i = 0; i < _fast.Rows; i++) { _fast.FillRow(i, row); x.SetRow(i, row); }
        return _dense = new DesignMatrix(x, _fast.TermNames.ToArray(), _fast.Levels);
    }

    /// <summary>The most values of a dense design the reference engine builds (2^28, 2 GB).</summary>
    internal const long MaxDenseDesignEntries = 1L << 28;

    private ReferenceEngine ReferenceEngineOf(ILink link)
    {
        var dense = DenseDesign();
        return new(dense.X, dense.TermNames, _outcome, link);
    }

    private LogisticResult FitWith(IIrlsEngine engine, LogisticOptions options, ILink link, bool firth)
    {
        using (engine)
        {
            var x = firth ? DenseDesign().X : null;
            var names = engine.Design.TermNames;
            var e = IrlsLoop.Run(engine, names, options, records: _outcome.Weights is null,
                firth ? kept => FirthOf(Matrix<double>.Build.Dense(x!.RowCount, kept.Length, (i, j) => x[i, kept[j]]), options) : null);
            int n = Rows, p = e.Kept.Length;
            CovarianceMatrix covariance = options.Covariance switch
            {
                CovarianceType.Model => e.Bread,
                CovarianceType.HC0 => Dense(SmallDense.Sandwich(e.Bread.ToDense(), engine.Meat(e.Full, e.Kept), p, 1), p),
                CovarianceType.HC1 => Dense(SmallDense.Sandwich(e.Bread.ToDense(), engine.Meat(e.Full, e.Kept), p, (double)n / (n - p)), p),
                CovarianceType.Cluster => ClusterCovariance(engine.Design, link, e, options.Clusters!),
                _ => throw new ArgumentOutOfRangeException(nameof(options)),
            };
            // The intercept-only model with an offset is its own null model (and refitting it for its null deviance would recurse).
            double nullDeviance = engine.HasIntercept && names.Count == 1 && _outcome.Offset is not null ? e.Deviance : NullDeviance(engine.HasIntercept, link, options);
            double logLikelihood = LogLikelihood(e.Full, link, e.Deviance);
            return LogisticResult.Create(names, e.Kept, e.Beta, covariance, logLikelihood, e.Deviance, nullDeviance, e.Iterations, e.Converged, n,
                e.Diverging.Select(k => names[e.Kept[k]]).ToArray(), e.Warnings, options);
        }
    }

    /// <summary>Firth's penalised likelihood for 0/1 logit records; brglm2's adjusted score (the same for those) otherwise.</summary>
    private (double[] Beta, int Iterations, bool Converged) FirthOf(Matrix<double> x, LogisticOptions options) =>
        _outcome.IsPlain && options.Link == BinomialLink.Logit ? Firth.Fit(x, _outcome.Y, options) : AdjustedScoreFirth.Fit(x, _outcome, options.Link, options);

    private static DenseCovariance Dense(double[] values, int p) => new(values, p);

    private DenseCovariance ClusterCovariance(IDesignRows design, ILink link, IrlsLoop.Estimates e, IReadOnlyList<string> clusters)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusterOf = new int[clusters.Count];
        for (int i = 0; i < clusters.Count; i++)
        {
            var c = clusters[i] ?? "";
            if (!index.TryGetValue(c, out int k)) index[c] = k = index.Count;
            clusterOf[i] = k;
        }
        int g = index.Count, n = Rows, p = e.Kept.Length;
        if (g < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        var sums = Scores.ClusterSums(design, _outcome, link, e.Full, e.Kept, clusterOf, g);
        var meat = new double[p * p];
        for (int c = 0; c < g; c++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) meat[a * p + b] += sums[c * p + a] * sums[c * p + b];
        return Dense(SmallDense.Sandwich(e.Bread.ToDense(), meat, p, (double)g / (g - 1) * (n - 1.0) / (n - p)), p);
    }

    /// <summary>
    /// R's null deviance: of μ = Σm·y/Σm with an intercept, else of μ = g⁻¹(offset); with both an intercept and an
    /// offset, R refits the intercept-only model with the offset, and so do we.
    /// </summary>
    private double NullDeviance(bool intercept, ILink link, LogisticOptions options)
    {
        var y = _outcome.Y;
        int n = y.Length;
        if (_outcome.IsPlain)
        {
            // 0/1 records: a sum over the two outcome groups.
            long ones = (long)Numerics.Simd.SimdColumns.Sum(y); // a sum of 0s and 1s is exact below 2^53 rows (the library's own kernel: compiled ahead, not at tier 0 in a first fit)
            long zeros = n - ones;
            double m0 = intercept ? (double)ones / n : link.Inverse(0);
            return (ones > 0 ? -2 * ones * Math.Log(m0) : 0) + (zeros > 0 ? -2 * zeros * Math.Log(1 - m0) : 0);
        }
        if (intercept && _outcome.Offset is not null)
        {
            if (_isNullModel) return double.NaN; // the refit below is itself the null model: only its deviance is read
            var ones = Matrix<double>.Build.Dense(n, 1, 1.0);
            var model = new LogisticModel(ones, ["(Intercept)"], y, _outcome.Weights, _outcome.Offset) { _isNullModel = true };
            return model.Fit(options with { Implementation = Implementation.Reference, Covariance = CovarianceType.Model, Clusters = null }).Deviance;
        }
        var mu = new double[n];
        if (intercept)
        {
            double sw = 0, swy = 0;
            for (int i = 0; i < n; i++) { sw += _outcome.WeightOf(i); swy += _outcome.WeightOf(i) * y[i]; }
            Array.Fill(mu, swy / sw);
        }
        else
            for (int i = 0; i < n; i++) mu[i] = link.Inverse(_outcome.OffsetOf(i));
        return BinomialDeviance.Of(y, _outcome.Weights, mu);
    }

    /// <summary>
    /// The binomial log-likelihood Σ [log C(m, m·y) + m·y log μ + m(1 − y) log(1 − μ)]; for 0/1 outcomes (weighted
    /// or not) the binomial coefficients vanish and it is −deviance/2.
    /// </summary>
    private double LogLikelihood(double[] full, ILink link, double deviance)
    {
        var y = _outcome.Y;
        if (Numerics.Simd.SimdColumns.AllZeroOrOne(y)) return -deviance / 2;
        var design = DesignRows();
        var row = new double[design.TermNames.Count];
        double ll = 0;
        for (int i = 0; i < y.Length; i++)
        {
            design.FillRow(i, row);
            double eta = _outcome.OffsetOf(i);
            for (int k = 0; k < row.Length; k++) eta += row[k] * full[k];
            double mu = link.Inverse(eta), t = _outcome.WeightOf(i), e = t * y[i];
            ll += SpecialFunctions.GammaLn(t + 1) - SpecialFunctions.GammaLn(e + 1) - SpecialFunctions.GammaLn(t - e + 1)
                  + (e > 0 ? e * Math.Log(mu) : 0) + (t - e > 0 ? (t - e) * Math.Log(1 - mu) : 0);
        }
        return ll;
    }

    private static BinomialOutcome Outcome(int rows, IReadOnlyList<double> outcome, IReadOnlyList<double>? weights, IReadOnlyList<double>? offset)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Count != rows) throw new ArgumentException($"{outcome.Count} outcomes for {rows} rows.", nameof(outcome));
        if (rows == 0) throw new ArgumentException("There are no rows to fit.", nameof(outcome));
        var y = outcome as double[] ?? outcome.ToArray();
        if (weights is null)
        {
            int bad = LogisticRegression.FirstNotZeroOrOne(y);
            if (bad >= 0) throw new ArgumentException($"Outcome in row {bad + 1} is {y[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}; a logistic outcome must be 0 or 1 (or a proportion, with weights).", nameof(outcome));
        }
        else
        {
            if (weights.Count != rows) throw new ArgumentException($"{weights.Count} weights for {rows} rows.", nameof(weights));
            for (int i = 0; i < rows; i++)
            {
                if (!(y[i] >= 0 && y[i] <= 1)) throw new ArgumentException($"Outcome in row {i + 1} is {y[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; a proportion must lie in [0, 1].", nameof(outcome));
                if (!(weights[i] >= 0) || !double.IsFinite(weights[i])) throw new ArgumentException($"Weight in row {i + 1} is {weights[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; weights must be finite and not negative.", nameof(weights));
            }
        }
        if (offset is not null)
        {
            if (offset.Count != rows) throw new ArgumentException($"{offset.Count} offsets for {rows} rows.", nameof(offset));
            for (int i = 0; i < rows; i++)
                if (!double.IsFinite(offset[i])) throw new ArgumentException($"Offset in row {i + 1} is not finite.", nameof(offset));
        }
        return new BinomialOutcome(y, weights?.ToArray(), offset?.ToArray());
    }

    private static (double[] Y, double[] M) Proportions(int rows, IReadOnlyList<long> events, IReadOnlyList<long> trials)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(trials);
        if (events.Count != rows || trials.Count != rows) throw new ArgumentException($"{events.Count} event counts and {trials.Count} trial counts for {rows} rows.", nameof(events));
        var y = new double[rows];
        var m = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            if (trials[i] < 1) throw new ArgumentException($"Row {i + 1} has {trials[i]} trials; a group needs at least 1 (drop empty groups).", nameof(trials));
            if (events[i] < 0 || events[i] > trials[i]) throw new ArgumentException($"Row {i + 1} has {events[i]} events in {trials[i]} trials; events must lie in 0..trials.", nameof(events));
            y[i] = (double)events[i] / trials[i];
            m[i] = trials[i];
        }
        return (y, m);
    }
}

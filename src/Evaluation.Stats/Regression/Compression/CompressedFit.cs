using Evaluation.Stats.Numerics;
using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// Compressed fits (docs/methodology.md, "Compressed fits"): when every column of a binomial model is categorical or
/// 0/1, the rows compress to their distinct covariate patterns with summed events and trials, and the grouped fit on
/// the patterns has exactly the row-level likelihood, so the same estimates, model standard errors, deviance and
/// log-likelihood. With the cluster in the pattern key each pattern lies in one cluster, so the cluster-robust
/// covariance is exact too; HC0/HC1 are exact for unweighted 0/1 rows (a pattern's squared residuals are
/// e(1 − μ)² + (t − e)μ²). After one counting pass the fit costs the same whatever the number of rows.
/// </summary>
public static class CompressedFit
{
    /// <summary>
    /// Whether <paramref name="spec"/> on <paramref name="data"/> can be fitted compressed: every numeric term and
    /// interaction column is 0/1, there is no offset, weights are whole numbers, and a robust HC0/HC1 covariance is
    /// asked of unweighted 0/1 rows only. <paramref name="reason"/> says why not.
    /// </summary>
    public static bool IsCompressible(ModelData data, ModelSpec spec, CompressedInputs? inputs, LogisticOptions? options, out string? reason) =>
        Compressible(data, spec, inputs, options, out reason, scan: true);

    /// <summary>As the public overload; without <paramref name="scan"/> the 0/1 columns are not read (the counting pass checks them).</summary>
    private static bool Compressible(ModelData data, ModelSpec spec, CompressedInputs? inputs, LogisticOptions? options, out string? reason, bool scan)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        inputs ??= CompressedInputs.None;
        options ??= LogisticOptions.Default;
        reason = null;
        if (inputs.Offset is not null) reason = "an offset differs from row to row";
        else if (inputs.Weights is { } w && w.Any(v => v != Math.Floor(v))) reason = "the frequency weights are not all whole numbers";
        else if (options.Covariance is CovarianceType.HC0 or CovarianceType.HC1 && !(inputs.Weights is null && inputs.Trials is null))
            reason = "HC0/HC1 of weighted or grouped rows need each row's residual";
        else
            foreach (var name in NumericKeys(spec))
                if (data.Numeric(name) is var column && scan && LogisticRegression.FirstNotZeroOrOne(column) >= 0) { reason = $"column '{name}' is not 0/1"; break; }
        return reason is null;
    }

    /// <summary>
    /// Fits the model on the distinct patterns of its rows. The result equals the row-level fit (<see cref="LogisticRegression"/>)
    /// with the same inputs, its <see cref="LogisticResult.N"/> is the number of rows, and its
    /// <see cref="LogisticResult.Patterns"/> says how many patterns were fitted.
    /// </summary>
    /// <param name="data">The columns.</param>
    /// <param name="spec">The model; its numeric terms and interaction columns must be 0/1.</param>
    /// <param name="y">The outcome: 0/1, or events with trials.</param>
    /// <param name="inputs">Whole-number frequency weights and trials, each optional (an offset makes the model not compressible).</param>
    /// <param name="options">Link, Firth, covariance (model; HC0/HC1 for unweighted 0/1 rows; cluster), tolerance, confidence level.
    /// <see cref="Implementation.Reference"/> counts with the readable reference pass.</param>
    /// <exception cref="ArgumentException">When the model is not compressible (the message says why) or an input is out of range.</exception>
    public static LogisticResult Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs? inputs = null, LogisticOptions? options = null) =>
        Fit(data, spec, y, inputs, options, int.MaxValue)!;

    /// <summary>As the public overload, the logit patterns fitted on the fast engine's columnar design instead of the pattern engine's codes when <paramref name="patternEngine"/> is false (for the agreement tests).</summary>
    internal static LogisticResult Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs? inputs, LogisticOptions? options, bool patternEngine) =>
        Fit(data, spec, y, inputs, options, int.MaxValue, patternEngine)!;

    /// <summary>As the public overload; null when the rows make more than <paramref name="maxPatterns"/> patterns.</summary>
    private static LogisticResult? Fit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs? inputs, LogisticOptions? options, int maxPatterns,
        bool patternEngine = true, bool decline = false)
    {
        ArgumentNullException.ThrowIfNull(y);
        inputs ??= CompressedInputs.None;
        options ??= LogisticOptions.Default;
        // The fast count checks the 0/1 columns and a 0/1 outcome block by block as it reads them, so they are read
        // once. When a check fails (here or in the count), every check runs in full and in order, so the first failure
        // is the one reported; with decline, a model that is not compressible gives null.
        bool fused = options.Implementation != Implementation.Reference;
        string? reason;
        try { reason = Check(data, spec, y, inputs, options, scan: !fused); }
        catch (ArgumentException) when (fused)
        {
            if ((reason = Check(data, spec, y, inputs, options, scan: true)) is null) throw;
        }
        string[][] levels = [];
        var patterns = reason is null ? TryCount(data, spec, y, inputs, options, out levels) : null;
        if (patterns is null)
        {
            reason ??= Check(data, spec, y, inputs, options, scan: true) ?? throw new InvalidOperationException("The count found a value that is not 0 or 1 that the checks did not.");
            return decline ? null : throw new ArgumentException($"The model cannot be fitted compressed: {reason}.", nameof(spec));
        }
        if (patterns.Count > maxPatterns) return null;
        return FitPatterns(data.Rows, spec, patterns, levels, Constants(y, inputs), options, patternEngine);
    }

    /// <summary>
    /// The checks of a compressed fit in order: null when they pass, the reason when the model is not compressible,
    /// an exception when an input is invalid. Without <paramref name="scan"/> the 0/1 columns and a 0/1 outcome are not read.
    /// </summary>
    private static string? Check(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs inputs, LogisticOptions options, bool scan)
    {
        if (!Compressible(data, spec, inputs, options, out var reason, scan)) return reason;
        if (y.Count != data.Rows) throw new ArgumentException($"{y.Count} outcomes for {data.Rows} rows.", nameof(y));
        if (data.Rows == 0) throw new ArgumentException("There are no rows to fit.", nameof(y));
        if (y is double[] a && inputs.IsDefault)
        {
            int bad = scan ? LogisticRegression.FirstNotZeroOrOne(a) : -1;
            if (bad >= 0) throw new ArgumentException($"Outcome in row {bad + 1} is {a[bad]}; a logistic outcome must be 0 or 1.", nameof(y));
        }
        else inputs.Validate(y);
        bool cluster = options.Covariance == CovarianceType.Cluster;
        if (cluster && (options.Clusters is null || options.Clusters.Count != data.Rows))
            throw new ArgumentException("Cluster-robust standard errors need one cluster label per row.", nameof(options));
        return null;
    }

    /// <summary>
    /// Fits compressed when that is the faster route, else returns null (the caller fits the rows): the model must be
    /// compressible (<see cref="IsCompressible"/>), not Firth's, and the rows must compress to at most
    /// <paramref name="maxPatternShare"/> of their number (the counting pass costs about one pass of the row-level fit,
    /// the pattern fit a few passes over the patterns: measured in docs/performance.md). A compressed fit with fitted
    /// probabilities at 0 or 1 or without convergence also returns null, so that the row-level fit's separation probe
    /// names the diverging terms.
    /// </summary>
    /// <exception cref="ArgumentException">When an input is out of range.</exception>
    public static LogisticResult? TryFit(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs? inputs = null, LogisticOptions? options = null,
        double maxPatternShare = 0.5)
    {
        options ??= LogisticOptions.Default;
        if (options.Firth || !Compressible(data, spec, inputs, options, out _, scan: false)) return null;
        var fit = Fit(data, spec, y, inputs, options, maxPatterns: (int)Math.Min(int.MaxValue, maxPatternShare * data.Rows), decline: true);
        return fit is null || !fit.Converged || fit.Warnings.Any(w => w.StartsWith("separation", StringComparison.Ordinal)) ? null : fit;
    }

    /// <summary>The numeric columns in the key: the numeric terms, then the interactions' columns, each once.</summary>
    internal static IEnumerable<string> NumericKeys(ModelSpec spec) =>
        spec.Numeric.Concat(spec.Interactions.SelectMany(t => new[] { t.A, t.B })).Distinct(StringComparer.Ordinal);

    /// <summary>The counting pass: the key columns (categoricals, 0/1 columns, the cluster if any) coded, then counted.</summary>
    internal static PatternTable Count(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs inputs, LogisticOptions options,
        out string[][] levels) =>
        TryCount(data, spec, y, inputs, options, out levels) ?? throw new ArgumentException("A 0/1 column or outcome is not 0 or 1.", nameof(y));

    /// <summary>As <see cref="Count"/>; null when the fast count meets a 0/1 column's value or a 0/1 outcome that is not 0 or 1.</summary>
    private static PatternTable? TryCount(ModelData data, ModelSpec spec, IReadOnlyList<double> y, CompressedInputs inputs, LogisticOptions options,
        out string[][] levels)
    {
        bool reference = options.Implementation == Implementation.Reference;
        int threads = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var events = y as double[] ?? y.ToArray();
        var trials = inputs.Trials is null ? null : inputs.Trials as double[] ?? inputs.Trials.ToArray();
        var weights = inputs.Weights is null ? null : inputs.Weights as double[] ?? inputs.Weights.ToArray();
        var keys = new List<KeyColumn>();
        var labels = new List<string[]>();
        var raw = new Dictionary<int, string?[]>(); // key columns counted by their given codes: their labels
        foreach (var name in spec.Categorical)
        {
            // A column held as codes is counted by its codes as they are (the key's radix is its number of labels) and
            // the patterns' codes are mapped to the sorted levels afterwards; a text column is coded first.
            if (!reference && data.TryCodes(name, out var codes, out var given))
            {
                keys.Add(KeyColumn.OfCodes(codes, null, given.Length));
                labels.Add(null!);
                raw[labels.Count - 1] = given;
            }
            else
            {
                var (c, l) = LevelCoder.Of(data, name, reference, threads);
                keys.Add(KeyColumn.OfCodes(c, null, l.Length));
                labels.Add(l);
            }
        }
        foreach (var name in NumericKeys(spec))
        {
            keys.Add(KeyColumn.OfBinary(data.Numeric(name)));
            labels.Add(["0", "1"]);
        }
        if (options.Covariance == CovarianceType.Cluster)
        {
            var clusters = options.Clusters!;
            var (c, l) = reference ? LevelCoder.Reference(clusters) : LevelCoder.Fast(clusters as string?[] ?? clusters.ToArray(), threads);
            keys.Add(KeyColumn.OfCodes(c, null, l.Length));
            labels.Add(l);
        }
        levels = labels.ToArray();
        if (!reference)
        {
            var table = PatternCounter.Fast(keys.ToArray(), events, trials, weights, threads);
            if (table is null || MapPatternCodes(table, raw, levels)) return table;
            // Labels that differ only by spaces (or several blank labels) are one level: count again through code → level maps.
            foreach (var (j, given) in raw)
            {
                var (map, l) = LevelCoder.MapOf(keys[j].Codes!, given, threads);
                keys[j] = KeyColumn.OfCodes(keys[j].Codes!, map, l.Length);
                levels[j] = l;
            }
            return PatternCounter.Fast(keys.ToArray(), events, trials, weights, threads);
        }
        var coded = keys.Select(k => Enumerable.Range(0, data.Rows).Select(k.LevelOf).ToArray()).ToArray();
        return PatternCounter.Reference(coded, labels.Select(l => l.Length).ToArray(), events, trials, weights);
    }

    /// <summary>
    /// Maps the patterns' codes of the columns counted by their given codes (<paramref name="raw"/>: column → labels) to
    /// the sorted levels that occur, and sets their <paramref name="levels"/>; false, changing nothing, when two labels
    /// that occur are one level (patterns would have to be merged).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MapPatternCodes(PatternTable table, Dictionary<int, string?[]> raw, string[][] levels)
    {
        var maps = new List<(int Column, int[]? Map, string[] Levels)>();
        foreach (var (j, given) in raw)
        {
            var present = new bool[given.Length];
            table.Present(j, present);
            var used = Enumerable.Range(0, given.Length).Where(k => present[k]).ToArray();
            var (map, l) = LevelCoder.MapOfUsed(used, given);
            if (l.Length < used.Length) return false;
            maps.Add((j, map, l));
        }
        foreach (var (j, map, l) in maps)
        {
            levels[j] = l;
            if (map is not null) table.Map(j, map);
        }
        return true;
    }

    /// <summary>
    /// The constants of the row-level likelihood that patterns cannot hold: Σ w log C(t, e) (in the log-likelihood) and
    /// Σ w [e log(e/t) + (t − e) log((t − e)/t)] (the saturated log-likelihood, in the deviance). Both are 0 for 0/1 rows.
    /// </summary>
    private static (double Choose, double Saturated) Constants(IReadOnlyList<double> y, CompressedInputs inputs)
    {
        if (inputs.Trials is not { } trials) return (0, 0);
        double choose = 0, saturated = 0;
        for (int i = 0; i < y.Count; i++)
        {
            double w = inputs.Weights?[i] ?? 1, t = trials[i], e = y[i];
            if (w == 0) continue;
            choose += w * (SpecialFunctions.GammaLn(t + 1) - SpecialFunctions.GammaLn(e + 1) - SpecialFunctions.GammaLn(t - e + 1));
            saturated += w * ((e > 0 ? e * Math.Log(e / t) : 0) + (t - e > 0 ? (t - e) * Math.Log((t - e) / t) : 0));
        }
        return (choose, saturated);
    }

    /// <summary>The grouped fit on the patterns and the row-level result.</summary>
    private static LogisticResult FitPatterns(int rows, ModelSpec spec, PatternTable table, string[][] levels, (double Choose, double Saturated) constants, LogisticOptions options,
        bool patternEngine)
    {
        var link = Links.Of(options.Link);
        double[] events = table.Events, trials = table.Trials;
        IReadOnlyList<string> names;
        int[] kept;
        double[] beta, bread;
        int iterations;
        bool converged;
        List<string> warnings;
        double core = double.NaN; // Σ e log μ + (t − e) log(1 − μ) over the patterns, the log-likelihood less its constants
        PatternGlm? all = null;
        if (!options.Firth && link.IsCanonical)
        {
            // The logit fit of the patterns (trials as prior weights) by the shared IRLS loop on the pattern engine:
            // aliasing, R's start, step-halving, convergence, separation probe and warnings as for any fit.
            // The design as codes (PatternEngine) unless a categorical has so many levels that the fast engine's
            // absorption pays.
            double saturated = PatternEngine.Saturated(events, trials);
            using IIrlsEngine engine = (patternEngine ? PatternCodes.Engine(spec, table, levels, events, trials, saturated, options.MaxDegreeOfParallelism) : null) is { } coded
                ? coded
                : new FastLogisticRegression.Engine(PatternDesign(spec, table, levels), new BinomialOutcome(Proportions(events, trials), trials, null), options.MaxDegreeOfParallelism);
            names = engine.Design.TermNames;
            var e = IrlsLoop.Run(engine, names, options, records: false);
            (kept, beta, bread, iterations, converged, warnings) = (e.Kept, e.Beta, e.Bread.ToDense(), e.Iterations, e.Converged, e.Warnings);
            // The engine's deviance is the patterns' grouped deviance 2 (S − core), S their saturated kernel.
            core = saturated / 2 - e.Deviance / 2;
        }
        else
        {
            var (sparseNames, start, columns) = SparseDesign(spec, table, levels);
            names = sparseNames;
            all = new PatternGlm(start, columns, names.Count, events, trials, options.Link);
            (kept, beta, bread, iterations, converged, warnings) = FitSparse(all, names, options);
        }
        int p = kept.Length;
        var cov = bread;
        if (options.Covariance != CovarianceType.Model || double.IsNaN(core))
        {
            // The sandwiches (and the sparse fits' kernel) need each pattern's η: from the patterns' sparse rows.
            if (all is null)
            {
                var (_, start, columns) = SparseDesign(spec, table, levels);
                all = new PatternGlm(start, columns, names.Count, events, trials, options.Link);
            }
            var glm = Kept(all, kept, names.Count);
            var eta = new double[glm.Rows];
            var mu = new double[glm.Rows];
            for (int r = 0; r < eta.Length; r++) { eta[r] = glm.Eta(r, beta); mu[r] = link.Inverse(eta[r]); }
            cov = options.Covariance switch
            {
                CovarianceType.Model => bread,
                CovarianceType.HC0 or CovarianceType.HC1 => Scale(Sandwich(bread, glm.Normal(r =>
                {
                    double s = link.Derivative(eta[r]) / (mu[r] * (1 - mu[r]));
                    return (s * s * (events[r] * (1 - mu[r]) * (1 - mu[r]) + (trials[r] - events[r]) * mu[r] * mu[r]), 0);
                }).A, p), options.Covariance == CovarianceType.HC1 ? (double)rows / (rows - p) : 1),
                CovarianceType.Cluster => ClusterCovariance(glm, bread, table.Codes[^1], levels[^1].Length, eta, mu, rows),
                _ => throw new ArgumentOutOfRangeException(nameof(options)),
            };
            if (double.IsNaN(core)) core = glm.Kernel(r => mu[r]);
        }

        double deviance = 2 * (constants.Saturated - core);
        double eventsTotal = events.Sum(), trialsTotal = trials.Sum();
        double pooled = spec.Intercept ? eventsTotal / trialsTotal : link.Inverse(0);
        double nullCore = (eventsTotal > 0 ? eventsTotal * Math.Log(pooled) : 0) + (trialsTotal > eventsTotal ? (trialsTotal - eventsTotal) * Math.Log(1 - pooled) : 0);
        double nullDeviance = 2 * (constants.Saturated - nullCore);
        return LogisticResult.Create(names, kept, beta, new DenseCovariance(cov, p), constants.Choose + core, deviance, nullDeviance, iterations, converged, rows, [], warnings, options)
            .WithPatterns(table.Count);
    }

    /// <summary>Events / trials.</summary>
    private static double[] Proportions(double[] events, double[] trials)
    {
        var y = new double[events.Length];
        System.Numerics.Tensors.TensorPrimitives.Divide(events, trials, y);
        return y;
    }

    /// <summary>
    /// Firth's fit (adjusted score) and the non-canonical links on the sparse pattern rows (<see cref="PatternGlm"/>),
    /// with aliasing decided on the row-level Gram matrix Σ t x x'.
    /// </summary>
    private static (int[] Kept, double[] Beta, double[] Bread, int Iterations, bool Converged, List<string> Warnings) FitSparse(PatternGlm all, IReadOnlyList<string> names, LogisticOptions options)
    {
        int total = names.Count;
        var (gram, _) = all.Normal(r => (all.Trials[r], 0));
        int[] kept = SmallDense.KeptColumns(gram, total, options.AliasTolerance);
        var warnings = new List<string>();
        var aliased = Enumerable.Range(0, total).Except(kept).Select(j => names[j]).ToArray();
        if (aliased.Length > 0)
            warnings.Add($"{aliased.Length} term(s) aliased (linear combinations of earlier columns) and not estimated: {string.Join(", ", aliased)}");
        var glm = Kept(all, kept, total);
        var (beta, iterations, converged) = options.Firth ? glm.AdjustedScore(Math.Max(options.MaxIterations, 200)) : glm.Irls(options.Tolerance, options.MaxIterations);
        if (!converged) warnings.Add($"the fit did not converge in {options.MaxIterations} iterations; the estimates are those of the last iteration");
        var eta = Enumerable.Range(0, glm.Rows).Select(r => glm.Eta(r, beta)).ToArray();
        long extreme = Enumerable.Range(0, glm.Rows).Where(r => glm.Link.Inverse(eta[r]) is < 1e-10 or > 1 - 1e-10).Sum(r => (long)all.Trials[r]);
        if (options.Firth)
            warnings.Add("Firth's bias-reduced fit (mean-bias-reducing adjusted score): the deviance and log-likelihood are the ordinary ones at these estimates");
        else if (extreme > 0)
            warnings.Add($"separation: {extreme} fitted probabilities are 0 or 1 within 1e-10; the estimates of the terms involved diverge (their maximum-likelihood estimates are infinite); consider Firth's bias-reduced fit");
        var (info, _) = glm.Normal(r => (glm.Weight(eta[r], r), 0));
        return (kept, beta, SmallDense.Inverse(info, kept.Length), iterations, converged, warnings);
    }

    /// <summary>The columnar design of the patterns: each categorical as the patterns' codes, each 0/1 key column as doubles.</summary>
    private static FastDesign PatternDesign(ModelSpec spec, PatternTable table, string[][] levels)
    {
        var data = new ModelData(table.Count);
        int nc = spec.Categorical.Count;
        for (int c = 0; c < nc; c++) data.AddCategorical(spec.Categorical[c], table.Codes[c], levels[c]);
        int k = nc;
        foreach (var name in NumericKeys(spec)) data.AddNumeric(name, table.Codes[k++].Select(v => (double)v).ToArray());
        return FastDesign.Build(data, spec);
    }

    /// <summary>
    /// Each pattern's design row as the list of its columns that are 1, with the term names of
    /// <see cref="DesignMatrix.Build"/> (taken from a small design with every level, so names and order are its).
    /// </summary>
    private static (IReadOnlyList<string> Names, int[] Start, int[] Columns) SparseDesign(ModelSpec spec, PatternTable table, string[][] levels)
    {
        int nc = spec.Categorical.Count;
        var numeric = NumericKeys(spec).ToArray();
        var names = TermNames(spec, levels);
        var index = names.Select((n, j) => (n, j)).ToDictionary(x => x.n, x => x.j, StringComparer.Ordinal);

        // Per key column and code, the design column it switches on (−1 for none: a reference level, or a 0).
        var on = new List<int[]>();
        for (int c = 0; c < nc; c++)
            on.Add(levels[c].Select(l => index.TryGetValue($"{spec.Categorical[c]}[{l}]", out int j) ? j : -1).ToArray());
        var numericAt = numeric.Select((n, k) => (n, k)).ToDictionary(x => x.n, x => nc + x.k, StringComparer.Ordinal);
        var interactions = spec.Interactions.Select(t => (Column: index[$"{t.A}:{t.B}"], A: numericAt[t.A], B: numericAt[t.B])).ToArray();
        var numericTerms = spec.Numeric.Select(name => (Key: table.Codes[numericAt[name]], Column: index[name])).ToArray();
        var categoricalKeys = table.Codes.Take(nc).ToArray();
        var pairs = interactions.Select(t => (t.Column, A: table.Codes[t.A], B: table.Codes[t.B])).ToArray();
        var start = new int[table.Count + 1];
        var columns = new int[table.Count * (1 + numericTerms.Length + nc + pairs.Length)];
        int at = 0;
        for (int r = 0; r < table.Count; r++)
        {
            if (spec.Intercept) columns[at++] = 0;
            foreach (var (key, column) in numericTerms) if (key[r] == 1) columns[at++] = column;
            for (int c = 0; c < nc; c++) if (on[c][categoricalKeys[c][r]] is int j and >= 0) columns[at++] = j;
            foreach (var (column, a, b) in pairs) if (a[r] == 1 && b[r] == 1) columns[at++] = column;
            Array.Sort(columns, start[r], at - start[r]); // ascending within a row: the normal equations fill one triangle
            start[r + 1] = at;
        }
        return (names, start, columns[..at]);
    }

    /// <summary>The term names of <see cref="DesignMatrix.Build"/>, taken from a small design with every level (so names and order are its).</summary>
    internal static IReadOnlyList<string> TermNames(ModelSpec spec, string[][] levels)
    {
        int nc = spec.Categorical.Count;
        int rows = Math.Max(1, levels.Take(nc).Select(l => l.Length).DefaultIfEmpty(1).Max());
        var probe = new ModelData(rows);
        for (int c = 0; c < nc; c++) { var l = levels[c]; probe.AddCategorical(spec.Categorical[c], Enumerable.Range(0, rows).Select(i => l[Math.Min(i, l.Length - 1)]).ToArray()); }
        foreach (var name in NumericKeys(spec)) probe.AddNumeric(name, new double[rows]);
        return DesignMatrix.Build(probe, spec).TermNames;
    }

    /// <summary>The patterns' rows restricted to the kept columns, renumbered 0..p−1.</summary>
    private static PatternGlm Kept(PatternGlm all, int[] kept, int total)
    {
        var map = Enumerable.Repeat(-1, total).ToArray();
        for (int k = 0; k < kept.Length; k++) map[kept[k]] = k;
        var start = new int[all.Rows + 1];
        var columns = new List<int>(all.Columns.Length);
        for (int r = 0; r < all.Rows; r++)
        {
            for (int k = all.Start[r]; k < all.Start[r + 1]; k++) if (map[all.Columns[k]] >= 0) columns.Add(map[all.Columns[k]]);
            start[r + 1] = columns.Count;
        }
        return new PatternGlm(start, columns.ToArray(), kept.Length, all.Events, all.Trials, all.Kind);
    }

    private static double[] Sandwich(double[] bread, double[] meat, int p)
    {
        var t = new double[p * p];
        var v = new double[p * p];
        for (int i = 0; i < p; i++) for (int k = 0; k < p; k++) { double b = bread[i * p + k]; if (b != 0) for (int j = 0; j < p; j++) t[i * p + j] += b * meat[k * p + j]; }
        for (int i = 0; i < p; i++) for (int k = 0; k < p; k++) { double b = t[i * p + k]; if (b != 0) for (int j = 0; j < p; j++) v[i * p + j] += b * bread[k * p + j]; }
        return v;
    }

    private static double[] Scale(double[] a, double s) => a.Select(v => v * s).ToArray();

    /// <summary>B (Σ_g s_g s_g') B · G/(G−1) · (n−1)/(n−p), the score of a pattern being x (e − tμ) μ′/V.</summary>
    private static double[] ClusterCovariance(PatternGlm glm, double[] bread, int[] clusterOf, int clusters, double[] eta, double[] mu, int rows)
    {
        int p = glm.P;
        if (clusters < 2) throw new ArgumentException("Cluster-robust standard errors need at least two clusters.");
        var sums = new double[clusters * p];
        for (int r = 0; r < glm.Rows; r++)
        {
            double s = (glm.Events[r] - glm.Trials[r] * mu[r]) * glm.Link.Derivative(eta[r]) / (mu[r] * (1 - mu[r]));
            for (int k = glm.Start[r]; k < glm.Start[r + 1]; k++) sums[clusterOf[r] * p + glm.Columns[k]] += s;
        }
        var meat = new double[p * p];
        for (int g = 0; g < clusters; g++)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) meat[i * p + j] += sums[g * p + i] * sums[g * p + j];
        return Scale(Sandwich(bread, meat, p), (double)clusters / (clusters - 1) * (rows - 1.0) / (rows - p));
    }
}

/// <summary>
/// Per-row inputs of a compressed fit beyond the outcome: whole-number frequency weights (a row stands for that many
/// identical records) and binomial trials (the outcome then holds events); an offset is listed so that
/// <see cref="CompressedFit.IsCompressible"/> can decline it.
/// </summary>
/// <param name="Weights">Frequency weights, or null for 1 per row.</param>
/// <param name="Trials">Trials, or null for 0/1 outcomes.</param>
/// <param name="Offset">An offset (declined), or null.</param>
public sealed record CompressedInputs(IReadOnlyList<double>? Weights = null, IReadOnlyList<double>? Trials = null, IReadOnlyList<double>? Offset = null)
{
    /// <summary>No weights, trials or offset.</summary>
    public static CompressedInputs None { get; } = new();

    /// <summary>True when there are no weights, trials or offset.</summary>
    public bool IsDefault => Weights is null && Trials is null && Offset is null;

    /// <summary>Checks lengths and values; messages name the row (1-based).</summary>
    internal void Validate(IReadOnlyList<double> y)
    {
        int n = y.Count;
        foreach (var (list, what) in new[] { (Weights, "weights"), (Trials, "trials") })
            if (list is not null && list.Count != n) throw new ArgumentException($"{list.Count} {what} for {n} rows.", what);
        for (int i = 0; i < n; i++)
        {
            if (Weights is { } w && !(w[i] >= 0 && double.IsFinite(w[i])))
                throw new ArgumentException($"Weight in row {i + 1} is {w[i]}; a frequency weight must be a whole number of at least 0.", nameof(Weights));
            if (Trials is { } t)
            {
                if (!(t[i] >= 1 && double.IsFinite(t[i]) && t[i] == Math.Floor(t[i])))
                    throw new ArgumentException($"Trials in row {i + 1} is {t[i]}; trials must be a whole number of at least 1 (drop empty groups).", nameof(Trials));
                if (!(y[i] >= 0 && y[i] <= t[i] && y[i] == Math.Floor(y[i])))
                    throw new ArgumentException($"Outcome in row {i + 1} is {y[i]} events of {t[i]} trials; events must be a whole number from 0 to the trials.", "y");
            }
            else if (y[i] is not (0.0 or 1.0))
                throw new ArgumentException($"Outcome in row {i + 1} is {y[i]}; without trials an outcome must be 0 or 1.", "y");
        }
    }
}

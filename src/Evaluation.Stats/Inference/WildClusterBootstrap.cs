using System.Globalization;
using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Inference;

/// <summary>The result of a wild cluster (score) bootstrap test.</summary>
/// <param name="PValue">The share of draws whose statistic is at least the observed one, the observed draw (all weights 1) included.</param>
/// <param name="Draws">The number of weight vectors: 2^G when enumerated, else the random draws plus the observed one.</param>
/// <param name="Enumerated">True when every Rademacher weight vector was enumerated.</param>
/// <param name="Weights"><c>rademacher</c> or <c>webb</c>.</param>
/// <param name="Seed">The seed of random draws; <c>null</c> when enumerated.</param>
/// <param name="Statistic">The observed cluster-robust score statistic (Σ_g ŝ_g)² / Σ_g ŝ_g², χ²₁ under the null for many clusters.</param>
/// <param name="Clusters">G, the number of clusters.</param>
public sealed record WildBootstrapResult(double PValue, long Draws, bool Enumerated, string Weights, int? Seed, double Statistic, int Clusters)
{
    /// <summary>For example <c>p = 0.2500 (restricted score bootstrap, 12 clusters, 4096 Rademacher weight vectors enumerated)</c>.</summary>
    public override string ToString() => Enumerated
        ? string.Create(CultureInfo.InvariantCulture, $"p = {PValueText.Format(PValue)} (restricted score bootstrap, {Clusters} clusters, {Draws} Rademacher weight vectors enumerated)")
        : string.Create(CultureInfo.InvariantCulture, $"p = {PValueText.Format(PValue)} (restricted score bootstrap, {Clusters} clusters, {Draws} {Weights} draws, seed {Seed})");
}

/// <summary>
/// The wild cluster restricted score bootstrap (Kline and Santos 2012) of one coefficient of a logistic model
/// (methodology §10). Under H0: β_k = 0 the model is fitted once without column k (the restricted fit, μ̃). Each
/// cluster's efficient score for β_k is <c>ŝ_g = s_gk − H_k,−k H_−k,−k⁻¹ s_g,−k</c> with <c>s_g = Σ_{i∈g} xᵢ(yᵢ − μ̃ᵢ)</c>
/// and <c>H = X'diag(μ̃(1 − μ̃))X</c>, both at the restricted fit. The statistic is
/// <c>T(v) = (Σ_g v_g ŝ_g)² / Σ_g v_g² ŝ_g²</c>; the observed one has every v_g = 1. Each draw only re-weights the G
/// cluster scores: no refit. Rademacher weights are enumerated when 2^G ≤ 4,096; otherwise seeded Webb (six-point)
/// weights are drawn.
/// </summary>
public static class WildClusterBootstrap
{
    /// <summary>Enumerate Rademacher weights up to this many clusters (2^12 = 4,096 vectors).</summary>
    public const int MaxEnumeratedClusters = 12;

    /// <summary>The default number of Webb draws beyond <see cref="MaxEnumeratedClusters"/>.</summary>
    public const int DefaultDraws = 9_999;

    private const double RelativeTieTolerance = 1e-10;

    /// <summary>The test by the fast path: restricted fit on the fast engine, then the enumeration by Gray code (one update per draw).</summary>
    /// <param name="x">The full design, including the tested column.</param>
    /// <param name="names">The column names.</param>
    /// <param name="y">The 0/1 outcome.</param>
    /// <param name="term">The tested column's name, for example <c>pilot:post</c>.</param>
    /// <param name="clusters">The cluster of each row (for example the area).</param>
    /// <param name="seed">The seed of Webb draws (used only when G &gt; 12).</param>
    /// <param name="draws">The Webb draws when not enumerated.</param>
    public static WildBootstrapResult ScoreTest(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, string term,
        IReadOnlyList<string> clusters, int seed = 1, int draws = DefaultDraws) =>
        FromScores(RowScores(x, names, y, term, clusters, Implementation.Fast), seed, draws);

    // The observed statistic and its p-value over the weight vectors, given the cluster scores.
    private static WildBootstrapResult FromScores(double[] scores, int seed, int draws)
    {
        int g = scores.Length;
        double observed = Statistic(scores, null);
        if (g > MaxEnumeratedClusters) return Webb(scores, observed, seed, draws);
        // Rademacher: v_g² = 1, so T(v) = (Σ v_g ŝ_g)² / Σ ŝ_g², and only the numerator's sum changes. Walk the
        // 2^G sign vectors in Gray-code order, flipping one cluster per step.
        double denominator = scores.Sum(s => s * s), sum = scores.Sum(), threshold = observed * (1 - RelativeTieTolerance);
        long total = 1L << g, atLeast = 0;
        for (long step = 0; step < total; step++)
        {
            if (step > 0)
            {
                int j = System.Numerics.BitOperations.TrailingZeroCount(step);
                bool nowNegative = ((step ^ (step >> 1)) >> j & 1) == 1;
                sum += nowNegative ? -2 * scores[j] : 2 * scores[j];
            }
            if (sum * sum / denominator >= threshold) atLeast++;
        }
        return new WildBootstrapResult((double)atLeast / total, total, true, "rademacher", null, observed, g);
    }

    /// <summary>
    /// The readable reference: restricted fit on the reference engine, and every Rademacher weight vector built
    /// explicitly and scored from scratch. Agrees exactly with <see cref="ScoreTest"/> for enumerated weights.
    /// </summary>
    public static WildBootstrapResult ScoreTestReference(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, string term,
        IReadOnlyList<string> clusters, int seed = 1, int draws = DefaultDraws)
    {
        var scores = RowScores(x, names, y, term, clusters, Implementation.Reference);
        int g = scores.Length;
        double observed = Statistic(scores, null);
        if (g > MaxEnumeratedClusters) return Webb(scores, observed, seed, draws);
        long total = 1L << g, atLeast = 0;
        var v = new double[g];
        for (long mask = 0; mask < total; mask++)
        {
            for (int c = 0; c < g; c++) v[c] = (mask >> c & 1) == 1 ? -1 : 1;
            if (Statistic(scores, v) >= observed * (1 - RelativeTieTolerance)) atLeast++;
        }
        return new WildBootstrapResult((double)atLeast / total, total, true, "rademacher", null, observed, g);
    }

    /// <summary>
    /// Each cluster's efficient score for <paramref name="term"/> at the restricted fit, in the order clusters first
    /// appear. Public so that other implementations (for example the committed R script) can be compared score by score.
    /// </summary>
    public static IReadOnlyList<double> ClusterScores(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, string term,
        IReadOnlyList<string> clusters, Implementation implementation) => RowScores(x, names, y, term, clusters, implementation).AsReadOnly();

    private static double[] RowScores(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> y, string term,
        IReadOnlyList<string> clusters, Implementation implementation)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(clusters);
        if (clusters.Count != x.RowCount || y.Count != x.RowCount) throw new ArgumentException($"{x.RowCount} rows, {y.Count} outcomes and {clusters.Count} cluster labels: they must agree.", nameof(clusters));
        return Scores(x, names, y, Ones(x.RowCount), term, clusters,
            (restricted, kept) => LogisticRegression.Fit(restricted, kept, y, new LogisticOptions { Implementation = implementation }));
    }

    /// <summary>
    /// The test on records compressed to cells: row i of <paramref name="x"/> stands for <paramref name="trials"/>[i]
    /// records with that design row, <paramref name="events"/>[i] of them events, all in cluster
    /// <paramref name="clusters"/>[i]. The restricted fit is the grouped binomial fit (the same estimates as the 0/1 fit
    /// of the records), and each cluster's score and the information sum the cells' terms, so the scores, the statistic
    /// and the p-value are those of <see cref="ScoreTest"/> on the expanded records; the cost no longer grows with the records.
    /// </summary>
    /// <param name="x">The design, one row per cell, including the tested column.</param>
    /// <param name="names">The column names.</param>
    /// <param name="events">Events per cell, 0 to its trials.</param>
    /// <param name="trials">Records per cell, at least 1.</param>
    /// <param name="term">The tested column's name.</param>
    /// <param name="clusters">The cluster of each cell (a cluster is a union of cells).</param>
    /// <param name="seed">The seed of Webb draws (used only when G &gt; 12).</param>
    /// <param name="draws">The Webb draws when not enumerated.</param>
    public static WildBootstrapResult ScoreTestGrouped(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials,
        string term, IReadOnlyList<string> clusters, int seed = 1, int draws = DefaultDraws) =>
        FromScores(GroupedScores(x, names, events, trials, term, clusters), seed, draws);

    /// <summary>Each cluster's efficient score at the restricted grouped fit (see <see cref="ScoreTestGrouped"/>), in the order clusters first appear.</summary>
    public static IReadOnlyList<double> ClusterScoresGrouped(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials,
        string term, IReadOnlyList<string> clusters) => GroupedScores(x, names, events, trials, term, clusters).AsReadOnly();

    private static double[] GroupedScores(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<long> events, IReadOnlyList<long> trials,
        string term, IReadOnlyList<string> clusters)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(clusters);
        int n = x.RowCount;
        if (clusters.Count != n || events.Count != n || trials.Count != n)
            throw new ArgumentException($"{n} cells, {events.Count} event counts, {trials.Count} trial counts and {clusters.Count} cluster labels: they must agree.", nameof(clusters));
        return Scores(x, names, events.Select(e => (double)e).ToArray(), trials.Select(t => (double)t).ToArray(), term, clusters,
            (restricted, kept) => LogisticRegression.FitGrouped(restricted, kept, events, trials));
    }

    private static double[] Ones(int n)
    {
        var ones = new double[n];
        Array.Fill(ones, 1.0);
        return ones;
    }

    // The efficient scores for rows that each stand for `trials` records with `events` events (1 and y for 0/1 rows,
    // where every product below is then exactly the 0/1 formula's): s_g = Σ x (events − trials·μ̃), H = Σ trials·μ̃(1 − μ̃) x x'.
    private static double[] Scores(Matrix<double> x, IReadOnlyList<string> names, IReadOnlyList<double> events, IReadOnlyList<double> trials, string term,
        IReadOnlyList<string> clusters, Func<Matrix<double>, string[], LogisticResult> fitRestricted)
    {
        int n = x.RowCount, p = x.ColumnCount, k = names.ToList().IndexOf(term);
        if (k < 0) throw new ArgumentException($"No column '{term}' to test.", nameof(term));
        var keep = Enumerable.Range(0, p).Where(j => j != k).ToArray();
        var restricted = Matrix<double>.Build.Dense(n, keep.Length, (i, j) => x[i, keep[j]]);
        var fit = fitRestricted(restricted, keep.Select(j => names[j]).ToArray());
        if (!fit.Converged) throw new ArgumentException("The restricted model did not converge, so the score bootstrap is undefined.", nameof(x));
        var beta = keep.Select(j => fit[names[j]].Estimate ?? 0.0).ToArray(); // aliased nuisance columns contribute 0
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in clusters) if (!index.ContainsKey(c)) index[c] = index.Count;
        int g = index.Count;
        if (g < 2) throw new ArgumentException("The wild cluster bootstrap needs at least two clusters.", nameof(clusters));
        var s = new double[g, p];
        var h = Matrix<double>.Build.Dense(p, p);
        for (int i = 0; i < n; i++)
        {
            double eta = 0;
            for (int j = 0; j < keep.Length; j++) eta += restricted[i, j] * beta[j];
            double mu = 1 / (1 + Math.Exp(-eta)), w = trials[i] * (mu * (1 - mu)), r = events[i] - trials[i] * mu;
            int c = index[clusters[i]];
            for (int a = 0; a < p; a++)
            {
                s[c, a] += x[i, a] * r;
                for (int b = 0; b <= a; b++) h[a, b] += x[i, a] * w * x[i, b];
            }
        }
        for (int a = 0; a < p; a++) for (int b = a + 1; b < p; b++) h[a, b] = h[b, a];
        // Partial the nuisance scores out of the tested one: a = H_{k,−k} H_{−k,−k}⁻¹ (pseudo-inverse for aliased nuisance columns).
        var hNuisance = Matrix<double>.Build.Dense(keep.Length, keep.Length, (i, j) => h[keep[i], keep[j]]);
        var hCross = Vector<double>.Build.Dense(keep.Length, j => h[k, keep[j]]);
        var partial = hNuisance.PseudoInverse() * hCross;
        var scores = new double[g];
        for (int c = 0; c < g; c++)
        {
            double v = s[c, k];
            for (int j = 0; j < keep.Length; j++) v -= partial[j] * s[c, keep[j]];
            scores[c] = v;
        }
        return scores;
    }

    // (Σ v_g ŝ_g)² / Σ v_g² ŝ_g², with v = 1 when null.
    private static double Statistic(double[] scores, double[]? v)
    {
        double num = 0, den = 0;
        for (int c = 0; c < scores.Length; c++)
        {
            double w = v?[c] ?? 1;
            num += w * scores[c];
            den += w * w * scores[c] * scores[c];
        }
        return den > 0 ? num * num / den : 0;
    }

    // Webb's six-point weights ±√(1/2), ±1, ±√(3/2), each with probability 1/6.
    private static WildBootstrapResult Webb(double[] scores, double observed, int seed, int draws)
    {
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "At least one draw is needed.");
        double[] points = [-Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5)];
        var rng = new Random(seed);
        var v = new double[scores.Length];
        long hits = 1;
        for (int b = 0; b < draws; b++)
        {
            for (int c = 0; c < v.Length; c++) v[c] = points[rng.Next(6)];
            if (Statistic(scores, v) >= observed * (1 - RelativeTieTolerance)) hits++;
        }
        return new WildBootstrapResult((double)hits / (draws + 1L), draws + 1L, false, "webb", seed, observed, scores.Length);
    }
}

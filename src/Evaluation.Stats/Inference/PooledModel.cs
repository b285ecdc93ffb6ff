using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Inference;

/// <summary>The wild cluster bootstrap of one outcome's pooled record-level model, or why it is absent.</summary>
/// <param name="Bootstrap">The test of the common <c>pilot:post</c>; <c>null</c> when it could not be run.</param>
/// <param name="Warning">Why it could not be run; <c>null</c> when it ran.</param>
public sealed record PooledModelTest(WildBootstrapResult? Bootstrap, string? Warning);

/// <summary>
/// The pooled record-level model of one outcome over every pair (methodology §10): pair fixed effects, a common pilot
/// effect, pair-specific post effects (each pair its own trend) and a common <c>pilot:post</c>, tested by the wild
/// cluster restricted score bootstrap with areas as clusters. A pair's pilot (or comparison) side is one cluster: when a
/// side has several areas, they form one cluster, which is conservative. Pair-specific pilot effects are deliberately
/// not in the model: with them, the restricted fit leaves each pair a single residual degree of freedom, the two areas'
/// scores become proportional, and flipping them independently would no longer mimic the null.
/// </summary>
internal static class PooledModel
{
    /// <param name="windows">Each window's classification.</param>
    /// <param name="seed">The seed of Webb draws.</param>
    /// <param name="pairClusters">Cluster by pair instead of by area (see docs/validation.md: with pair-level nuisance
    /// parameters the two areas of a pair have dependent scores, and area clusters over-reject).</param>
    public static PooledModelTest Test(IReadOnlyList<(Period Period, IReadOnlyList<RowStatus> Status)> windows, int seed, bool pairClusters = false)
    {
        // The design is constant within a cell (pair, arm, window), so the records compress to at most 4 cells a pair,
        // numbered in order of first appearance (which keeps the clusters' order, and so the Webb draws, of the records).
        var cellOf = new Dictionary<int, int>();
        var cells = new List<(int Pair, bool Pilot, bool Post)>();
        var events = new List<long>();
        var trials = new List<long>();
        void Add(int pair, bool pilot, bool post, bool isEvent)
        {
            int key = 4 * pair + (pilot ? 2 : 0) + (post ? 1 : 0);
            if (!cellOf.TryGetValue(key, out int cell))
            {
                cellOf[key] = cell = cells.Count;
                cells.Add((pair, pilot, post)); events.Add(0); trials.Add(0);
            }
            trials[cell]++;
            if (isEvent) events[cell]++;
        }
        foreach (var (period, status) in windows)
        {
            bool post = period == Period.Post;
            if (status is CodedStatuses coded)
            {
                // One byte a row: only the included rows (codes 0 and 1) are decoded.
                var codes = coded.Codes;
                for (int i = 0; i < codes.Length; i++)
                {
                    if (codes[i] > 1) continue;
                    var (pair, group) = coded.CellOf(i);
                    Add(pair, group == Group.Pilot, post, codes[i] == 1);
                }
                continue;
            }
            for (int i = 0; i < status.Count; i++)
            {
                var s = status[i];
                if (s.IsIncluded) Add(s.Pair, s.Group == Group.Pilot, post, s.IsEvent);
            }
        }
        var pairs = cells.Select(r => r.Pair).Distinct().Order().ToArray();
        if (pairs.Length < 2) return new PooledModelTest(null, $"wild bootstrap absent: the pooled model needs at least 2 pairs, and {pairs.Length} had rows");
        int p = 2 * pairs.Length + 2;
        var names = new List<string> { "(Intercept)" };
        names.AddRange(pairs.Skip(1).Select(k => $"pair{k}"));
        names.Add("pilot");
        names.AddRange(pairs.Select(k => $"pair{k}:post"));
        names.Add("pilot:post");
        var x = Matrix<double>.Build.Dense(cells.Count, p);
        var clusters = new string[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            var r = cells[i];
            int j = Array.IndexOf(pairs, r.Pair);
            x[i, 0] = 1;
            if (j > 0) x[i, j] = 1;
            if (r.Pilot) x[i, pairs.Length] = 1;
            if (r.Post) x[i, pairs.Length + 1 + j] = 1;
            if (r.Pilot && r.Post) x[i, p - 1] = 1;
            clusters[i] = pairClusters ? $"{r.Pair}" : $"{r.Pair}/{(r.Pilot ? "pilot" : "comparison")}";
        }
        try
        {
            return new PooledModelTest(WildClusterBootstrap.ScoreTestGrouped(x, names, events, trials, "pilot:post", clusters, seed), null);
        }
        catch (ArgumentException e)
        {
            return new PooledModelTest(null, $"wild bootstrap absent: {e.Message}");
        }
    }
}

using System.Globalization;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The wild cluster bootstrap on records compressed to cells gives the records' scores and p-values: against the R
/// fixture (fixtures/inference/wild_bootstrap_reference.R), and against the 0/1 test of the expanded records.
/// </summary>
public class WildBootstrapGroupedTests
{
    /// <summary>Compresses rows to distinct (cluster, design row) cells in order of first appearance.</summary>
    private static (Matrix<double> X, long[] Events, long[] Trials, string[] Clusters) Compress(Matrix<double> x, double[] y, string[] clusters)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<int>();
        var events = new List<long>();
        var trials = new List<long>();
        for (int i = 0; i < x.RowCount; i++)
        {
            var key = clusters[i] + "|" + string.Join(",", x.Row(i).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            if (!index.TryGetValue(key, out int c)) { index[key] = c = rows.Count; rows.Add(i); events.Add(0); trials.Add(0); }
            trials[c]++;
            if (y[i] == 1) events[c]++;
        }
        var cx = Matrix<double>.Build.Dense(rows.Count, x.ColumnCount, (i, j) => x[rows[i], j]);
        return (cx, events.ToArray(), trials.ToArray(), rows.Select(r => clusters[r]).ToArray());
    }

    [Theory]
    [InlineData("wild_small")]
    [InlineData("wild_twelve")]
    public void Grouped_MatchesR_ScoresAndExactP(string name)
    {
        var expected = File.ReadAllLines(CliTests.Fixture("inference", "wild_bootstrap_expected.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[0] == name).ToArray();
        var (x, names, y, areas) = WildBootstrapTests.Case(name);
        var (cx, events, trials, clusters) = Compress(x, y, areas);
        Assert.True(cx.RowCount < x.RowCount / 4, $"{cx.RowCount} cells for {x.RowCount} rows: the case does not compress");
        var scores = WildClusterBootstrap.ClusterScoresGrouped(cx, names, events, trials, "pilot:post", clusters);
        Assert.Equal(expected.Length, scores.Count);
        for (int g = 0; g < scores.Count; g++)
        {
            double r = double.Parse(expected[g][2], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(r - scores[g]) <= 1e-7 * Math.Max(1, Math.Abs(r)), $"{name} cluster {expected[g][1]}: R {r:R}, grouped {scores[g]:R}");
        }
        var test = WildClusterBootstrap.ScoreTestGrouped(cx, names, events, trials, "pilot:post", clusters);
        Assert.Equal(double.Parse(expected[0][4], CultureInfo.InvariantCulture), test.PValue);
        Assert.Equal(long.Parse(expected[0][5], CultureInfo.InvariantCulture), test.Draws);
        Assert.Equal(double.Parse(expected[0][3], CultureInfo.InvariantCulture), test.Statistic, 6);
    }

    [Fact]
    public void Grouped_WebbDraws_EqualTheRecords()
    {
        var (x, names, y, areas) = WildBootstrapTests.Case("wild_twelve");
        var split = areas.Select((a, i) => a + (i % 2 == 0 ? "a" : "b")).ToArray();
        var rows = WildClusterBootstrap.ScoreTest(x, names, y, "pilot:post", split, seed: 5, draws: 1999);
        var (cx, events, trials, clusters) = Compress(x, y, split);
        var grouped = WildClusterBootstrap.ScoreTestGrouped(cx, names, events, trials, "pilot:post", clusters, seed: 5, draws: 1999);
        Assert.Equal(rows.PValue, grouped.PValue);
        Assert.Equal(rows.Draws, grouped.Draws);
        Assert.Equal(rows.Statistic, grouped.Statistic, 8);
        var rowScores = WildClusterBootstrap.ClusterScores(x, names, y, "pilot:post", split, Regression.Implementation.Fast);
        var cellScores = WildClusterBootstrap.ClusterScoresGrouped(cx, names, events, trials, "pilot:post", clusters);
        for (int g = 0; g < rowScores.Count; g++) Assert.Equal(rowScores[g], cellScores[g], 1e-8);
    }

    /// <summary>
    /// <see cref="PooledModel.Test"/> (cells) against the 0/1 test of the records, built row by row as methodology §10
    /// states the model, on random classifications with 3 to 8 pairs (enumerated and Webb weights).
    /// </summary>
    [Theory]
    [InlineData(3, 11)]
    [InlineData(5, 12)]
    [InlineData(6, 13)]
    [InlineData(8, 14)]
    public void PooledModel_EqualsTheRecordLevelTest(int pairCount, int seed)
    {
        var rng = new Random(seed);
        var windows = new List<(Period, IReadOnlyList<RowStatus>)>();
        foreach (var period in new[] { Period.Pre, Period.Post })
        {
            var status = new RowStatus[3000];
            for (int i = 0; i < status.Length; i++)
            {
                int pair = rng.Next(pairCount);
                var group = rng.Next(2) == 0 ? Group.Pilot : Group.Comparison;
                double p = 0.3 + 0.05 * pair + (group == Group.Pilot && period == Period.Post ? 0.1 : 0);
                status[i] = rng.NextDouble() < 0.1 ? RowStatus.Excluded(ExclusionReasons.OutsideWindow) : RowStatus.Included(pair, group, rng.NextDouble() < p);
            }
            windows.Add((period, status));
        }
        foreach (bool pairClusters in new[] { false, true })
        {
            var cells = PooledModel.Test(windows, seed: 1, pairClusters).Bootstrap!;
            var records = RecordLevel(windows, pairCount, pairClusters);
            Assert.Equal(records.PValue, cells.PValue);
            Assert.Equal(records.Draws, cells.Draws);
            Assert.Equal(records.Clusters, cells.Clusters);
            Assert.Equal(records.Statistic, cells.Statistic, 1e-9 * Math.Max(1, records.Statistic));
        }
    }

    private static WildBootstrapResult RecordLevel(List<(Period Period, IReadOnlyList<RowStatus> Status)> windows, int pairCount, bool pairClusters)
    {
        var rows = windows.SelectMany(w => w.Status.Where(s => s.IsIncluded).Select(s => (s.Pair, Pilot: s.Group == Group.Pilot, Post: w.Period == Period.Post, s.IsEvent))).ToArray();
        int p = 2 * pairCount + 2;
        var names = new List<string> { "(Intercept)" };
        names.AddRange(Enumerable.Range(1, pairCount - 1).Select(k => $"pair{k}"));
        names.Add("pilot");
        names.AddRange(Enumerable.Range(0, pairCount).Select(k => $"pair{k}:post"));
        names.Add("pilot:post");
        var x = Matrix<double>.Build.Dense(rows.Length, p);
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            x[i, 0] = 1;
            if (r.Pair > 0) x[i, r.Pair] = 1;
            if (r.Pilot) x[i, pairCount] = 1;
            if (r.Post) x[i, pairCount + 1 + r.Pair] = 1;
            if (r.Pilot && r.Post) x[i, p - 1] = 1;
        }
        var clusters = rows.Select(r => pairClusters ? $"{r.Pair}" : $"{r.Pair}/{(r.Pilot ? "pilot" : "comparison")}").ToArray();
        return WildClusterBootstrap.ScoreTest(x, names, rows.Select(r => r.IsEvent ? 1.0 : 0.0).ToArray(), "pilot:post", clusters, seed: 1);
    }
}

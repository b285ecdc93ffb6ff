using System.Globalization;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The wild cluster restricted score bootstrap against fixtures/inference/wild_bootstrap_reference.R (base R's glm and
/// the same algorithm written independently), on two small record-level cases (8 and 12 area clusters).
/// </summary>
public class WildBootstrapTests
{
    /// <summary>The pooled model: intercept, pair dummies, a common pilot, pair-specific post, and the common pilot:post.</summary>
    internal static (Matrix<double> X, string[] Names, double[] Y, string[] Areas) Case(string name)
    {
        var rows = File.ReadAllLines(CliTests.Fixture("inference", name + ".csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var pairs = rows.Select(r => r[0]).Distinct().ToArray();
        var names = new List<string> { "(Intercept)" };
        names.AddRange(pairs.Skip(1).Select(p => $"pair{p}"));
        names.Add("pilot");
        names.AddRange(pairs.Select(p => $"pair{p}:post"));
        names.Add("pilot:post");
        var x = Matrix<double>.Build.Dense(rows.Length, names.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            int pair = Array.IndexOf(pairs, rows[i][0]);
            double pilot = double.Parse(rows[i][2], CultureInfo.InvariantCulture), post = double.Parse(rows[i][3], CultureInfo.InvariantCulture);
            x[i, 0] = 1;
            if (pair > 0) x[i, pair] = 1;
            x[i, pairs.Length] = pilot;
            x[i, pairs.Length + 1 + pair] = post;
            x[i, names.Count - 1] = pilot * post;
        }
        return (x, names.ToArray(), rows.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)).ToArray(), rows.Select(r => r[1]).ToArray());
    }

    [Theory]
    [InlineData("wild_small")]
    [InlineData("wild_twelve")]
    public void MatchesR_ScoresAndExactP_FastAndReference(string name)
    {
        var expected = File.ReadAllLines(CliTests.Fixture("inference", "wild_bootstrap_expected.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[0] == name).ToArray();
        var (x, names, y, areas) = Case(name);
        foreach (var implementation in new[] { Implementation.Fast, Implementation.Reference })
        {
            var scores = WildClusterBootstrap.ClusterScores(x, names, y, "pilot:post", areas, implementation);
            Assert.Equal(expected.Length, scores.Count);
            for (int g = 0; g < scores.Count; g++)
            {
                double r = double.Parse(expected[g][2], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(r - scores[g]) <= 1e-7 * Math.Max(1, Math.Abs(r)), $"{name} {implementation} cluster {expected[g][1]}: R {r:R}, ours {scores[g]:R}");
            }
        }
        var fast = WildClusterBootstrap.ScoreTest(x, names, y, "pilot:post", areas);
        var reference = WildClusterBootstrap.ScoreTestReference(x, names, y, "pilot:post", areas);
        double p = double.Parse(expected[0][4], CultureInfo.InvariantCulture);
        long draws = long.Parse(expected[0][5], CultureInfo.InvariantCulture);
        // Enumerated weights: the p-values are counts over the same 2^G vectors and must agree exactly.
        Assert.Equal(p, fast.PValue);
        Assert.Equal(p, reference.PValue);
        Assert.Equal(draws, fast.Draws);
        Assert.True(fast.Enumerated);
        Assert.Equal(double.Parse(expected[0][3], CultureInfo.InvariantCulture), fast.Statistic, 6);
    }

    [Fact]
    public void MoreThanTwelveClusters_UseSeededWebbWeights_Deterministically()
    {
        var (x, names, y, areas) = Case("wild_twelve");
        // Split each area in two by row parity: 24 clusters, beyond enumeration.
        var split = areas.Select((a, i) => a + (i % 2 == 0 ? "a" : "b")).ToArray();
        var a = WildClusterBootstrap.ScoreTest(x, names, y, "pilot:post", split, seed: 5, draws: 1999);
        var b = WildClusterBootstrap.ScoreTest(x, names, y, "pilot:post", split, seed: 5, draws: 1999);
        var r = WildClusterBootstrap.ScoreTestReference(x, names, y, "pilot:post", split, seed: 5, draws: 1999);
        Assert.Equal(a, b);
        Assert.Equal(a.PValue, r.PValue);
        Assert.False(a.Enumerated);
        Assert.Equal("webb", a.Weights);
        Assert.Equal(2000, a.Draws);
        Assert.Equal(24, a.Clusters);
    }
}

using System.Globalization;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Holm and Benjamini–Hochberg against statsmodels (fixtures/inference: multipletests_reference.py, run with
/// Debian's python3-statsmodels 0.13.5, made multipletests_expected.csv from multipletests_input.csv), to 1e-12.
/// </summary>
public class MultipleTestingTests
{
    [Fact]
    public void MatchesStatsmodels_HolmAndFdrBh()
    {
        var rows = File.ReadAllLines(CliTests.Fixture("inference", "multipletests_expected.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(f => (Family: f[0], P: D(f[1]), Holm: D(f[2]), Bh: D(f[3]))).ToList();
        int families = 0;
        foreach (var family in rows.GroupBy(r => r.Family))
        {
            var p = family.Select(r => (double?)r.P).ToArray();
            var holm = MultipleTesting.Holm(p);
            var bh = MultipleTesting.BenjaminiHochberg(p);
            int i = 0;
            foreach (var r in family)
            {
                Assert.True(Math.Abs(r.Holm - holm[i]!.Value) <= 1e-12, $"{family.Key}[{i}] Holm: statsmodels {r.Holm:R}, ours {holm[i]:R}");
                Assert.True(Math.Abs(r.Bh - bh[i]!.Value) <= 1e-12, $"{family.Key}[{i}] BH: statsmodels {r.Bh:R}, ours {bh[i]:R}");
                i++;
            }
            families++;
        }
        Assert.Equal(6, families);
    }

    [Fact]
    public void UndefinedPValues_StayNull_AndDoNotCountInTheFamily()
    {
        var holm = MultipleTesting.Holm([0.01, null, 0.04]);
        Assert.Null(holm[1]);
        Assert.Equal(0.02, holm[0]!.Value, 15);
        Assert.Equal(0.04, holm[2]!.Value, 15);
        var bh = MultipleTesting.BenjaminiHochberg([null, 0.03, 0.02]);
        Assert.Null(bh[0]);
        Assert.Equal(0.03, bh[1]!.Value, 15);
        Assert.Equal(0.03, bh[2]!.Value, 15);
    }

    [Fact]
    public void RejectsPValuesOutsideZeroOne()
    {
        var e = Assert.Throws<ArgumentException>(() => MultipleTesting.Holm([0.5, 1.5]));
        Assert.Contains("p-value 2", e.Message);
        Assert.Throws<ArgumentException>(() => MultipleTesting.BenjaminiHochberg([double.NaN]));
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}

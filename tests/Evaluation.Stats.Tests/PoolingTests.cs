using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Fixed-effect and DerSimonian–Laird pooling against metafor 3.8.1 (fixtures/inference/pooling_reference.R made
/// pooling_expected.csv from report_cells.csv, the published cells of report Tables 3.1, 6.3 and 6.4, and from
/// pooling_synthetic.csv), to 1e-8 as methodology §10 asks.
/// </summary>
public class PoolingTests
{
    private const double Tolerance = 1e-8;

    private static Dictionary<string, List<PairEstimate>> Inputs()
    {
        var families = new Dictionary<string, List<PairEstimate>>();
        foreach (var (pair, cells) in Readers.Cells(CliTests.Fixture("inference", "report_cells.csv")))
        {
            var rd = DidEstimator.RiskDifference(cells);
            var family = pair[..pair.IndexOf(" site", StringComparison.Ordinal)];
            (families.TryGetValue(family, out var l) ? l : families[family] = []).Add(new PairEstimate(pair, rd.Estimate, rd.StdError));
        }
        foreach (var line in File.ReadAllLines(CliTests.Fixture("inference", "pooling_synthetic.csv")).Skip(1))
        {
            var f = line.Split(',').Select(s => s.Trim('"')).ToArray();
            (families.TryGetValue(f[0], out var l) ? l : families[f[0]] = []).Add(new PairEstimate(f[1], D(f[2]), D(f[3])));
        }
        return families;
    }

    [Fact]
    public void MatchesMetafor_FixedEffectAndDerSimonianLaird()
    {
        var inputs = Inputs();
        var lines = File.ReadAllLines(CliTests.Fixture("inference", "pooling_expected.csv"));
        var header = lines[0].Split(',');
        int families = 0;
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',').Select((v, i) => (header[i], v)).ToDictionary(x => x.Item1, x => x.v);
            double R(string k) => D(f[k]);
            var pairs = inputs[f["family"]];
            Assert.Equal((int)R("k"), pairs.Count);
            var fe = MetaAnalysis.FixedEffect(pairs);
            var re = MetaAnalysis.RandomEffects(pairs);
            void Close(string key, double ours) =>
                Assert.True(Math.Abs(R(key) - ours) <= Tolerance * Math.Max(1, Math.Abs(R(key))), $"{f["family"]} {key}: metafor {R(key):R}, ours {ours:R}");
            Close("feEstimate", fe.Estimate); Close("feSe", fe.StdError); Close("feCiLower", fe.CiLower); Close("feCiUpper", fe.CiUpper); Close("fePValue", fe.PValue!.Value);
            Close("reEstimate", re.Pooled.Estimate); Close("reSe", re.Pooled.StdError); Close("reCiLower", re.Pooled.CiLower); Close("reCiUpper", re.Pooled.CiUpper);
            Close("rePValue", re.Pooled.PValue!.Value);
            Close("hkSe", re.KnappHartung.StdError); Close("hkCiLower", re.KnappHartung.CiLower); Close("hkCiUpper", re.KnappHartung.CiUpper);
            Close("hkPValue", re.KnappHartung.PValue!.Value);
            Close("tau2", re.Tau2); Close("i2", re.I2); Close("q", re.Q); Close("qPValue", re.QPValue);
            Assert.Equal(pairs.Count - 1, re.QDegreesOfFreedom);
            families++;
        }
        Assert.Equal(6, families);
    }

    [Fact]
    public void SinglePair_RandomEffectsIsAnError_AndProgrammePoolingIsAbsentWithAWarning()
    {
        Assert.Throws<ArgumentException>(() => MetaAnalysis.RandomEffects([new PairEstimate("a", 0.1, 0.05)]));
        var pooled = PooledResult.Pool("risk difference", [("a", 0.1, 0.05)], new ProgrammeOptions());
        Assert.Null(pooled.FixedEffect);
        Assert.Null(pooled.RandomEffects);
        Assert.Null(pooled.Randomization);
        Assert.Contains(pooled.Warnings, w => w.Contains("at least 2 pairs"));
    }

    [Fact]
    public void PairsWithoutAnEstimate_AreLeftOutByName()
    {
        var pooled = PooledResult.Pool("adjusted log-odds", [("a", 0.1, 0.05), ("b", null, null), ("c", 0.2, 0.1), ("d", 0.3, 0.0)], new ProgrammeOptions());
        Assert.Equal(2, pooled.Pairs);
        Assert.Contains(pooled.Warnings, w => w.StartsWith("b left out"));
        Assert.Contains(pooled.Warnings, w => w.StartsWith("d left out"));
        Assert.Equal((0.1 / 0.0025 + 0.2 / 0.01) / (1 / 0.0025 + 1 / 0.01), pooled.FixedEffect!.Estimate, 14);
    }

    [Fact]
    public void BadInput_IsRejectedWithThePairsName()
    {
        var e = Assert.Throws<ArgumentException>(() => MetaAnalysis.FixedEffect([new PairEstimate("site 4", 0.1, double.NaN)]));
        Assert.Contains("site 4", e.Message);
        Assert.Throws<ArgumentException>(() => MetaAnalysis.FixedEffect([]));
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}

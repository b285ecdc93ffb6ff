using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.DiffInDiff;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// DiD estimates against R (fixtures/did: did_reference.R made did_reference.csv from did_cells.csv; the log-odds
/// interaction there comes from glm on the 2×2 table), and the estimators' algebraic properties under FsCheck.
/// </summary>
public class DidReferenceTests
{
    private const double Relative = 1e-12;

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Relative * Math.Max(1, Math.Abs(expected)) + 1e-15, $"{what}: R {expected:R}, ours {actual:R}");

    [Fact]
    public void MatchesR_OnCommittedCells()
    {
        var cells = Readers.Cells(CliTests.Fixture("did", "did_cells.csv"));
        var lines = File.ReadAllLines(CliTests.Fixture("did", "did_reference.csv"));
        var header = lines[0].Split(',');
        int checkedPairs = 0;
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',').Select((v, i) => (header[i], v)).ToDictionary(x => x.Item1, x => x.v);
            double R(string k) => double.Parse(f[k], CultureInfo.InvariantCulture);
            var (name, pair) = cells.Single(c => c.Pair == f["pair"]);
            var r = DidEstimator.Estimate(name, pair);
            Close(R("estimate"), r.RiskDifference.Estimate, $"{name} estimate");
            Close(R("stdError"), r.RiskDifference.StdError, $"{name} SE");
            Close(R("ciLower"), r.RiskDifference.CiLower, $"{name} CI lower");
            Close(R("ciUpper"), r.RiskDifference.CiUpper, $"{name} CI upper");
            Assert.True(Math.Abs(R("pValue") - r.RiskDifference.PValue!.Value) <= 1e-14, $"{name} p");
            if (f["logOdds"] == "NA")
            {
                Assert.Null(r.LogOddsInteraction);
            }
            else
            {
                // glm converges to about 1e-10; the closed form is exact.
                Assert.True(Math.Abs(R("logOdds") - r.LogOddsInteraction!.Estimate) <= 1e-8, $"{name} log-odds");
                Assert.True(Math.Abs(R("logOddsStdError") - r.LogOddsInteraction.StdError) <= 1e-8, $"{name} log-odds SE");
                Assert.True(Math.Abs(R("logOddsPValue") - r.LogOddsInteraction.PValue!.Value) <= 1e-8, $"{name} log-odds p");
            }
            checkedPairs++;
        }
        Assert.Equal(5, checkedPairs);
    }

    private static Gen<Cell> CellGen(int maxN) =>
        from n in Gen.Choose(1, maxN)
        from e in Gen.Choose(0, n)
        select new Cell(n, e);

    private static Arbitrary<PairCells> Cells(int maxN = 5000) =>
        (from a in CellGen(maxN) from b in CellGen(maxN) from c in CellGen(maxN) from d in CellGen(maxN) select new PairCells(a, b, c, d)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property SwappingPilotAndComparison_NegatesDid() => Prop.ForAll(Cells(), c =>
    {
        var a = DidEstimator.RiskDifference(c);
        var b = DidEstimator.RiskDifference(c.SwapGroups());
        return Math.Abs(a.Estimate + b.Estimate) < 1e-12 && Math.Abs(a.StdError - b.StdError) < 1e-12;
    });

    [Property(MaxTest = 300)]
    public Property SwappingPreAndPost_NegatesDid() => Prop.ForAll(Cells(), c =>
    {
        var a = DidEstimator.RiskDifference(c);
        var b = DidEstimator.RiskDifference(c.SwapPeriods());
        var la = DidEstimator.LogOddsInteraction(c);
        var lb = DidEstimator.LogOddsInteraction(c.SwapPeriods());
        return Math.Abs(a.Estimate + b.Estimate) < 1e-12 && (la is null) == (lb is null) && (la is null || Math.Abs(la.Estimate + lb!.Estimate) < 1e-9);
    });

    [Property(MaxTest = 300)]
    public Property CiContainsEstimate_AndNarrowsAsNGrows() => Prop.ForAll(Cells(), Gen.Choose(2, 50).ToArbitrary(), (c, k) =>
    {
        var a = DidEstimator.RiskDifference(c);
        PairCells Scale(PairCells x) => new(new Cell(x.PilotPre.N * k, x.PilotPre.Events * k), new Cell(x.PilotPost.N * k, x.PilotPost.Events * k),
            new Cell(x.ComparisonPre.N * k, x.ComparisonPre.Events * k), new Cell(x.ComparisonPost.N * k, x.ComparisonPost.Events * k));
        var b = DidEstimator.RiskDifference(Scale(c));
        bool contains = a.CiLower <= a.Estimate && a.Estimate <= a.CiUpper;
        // Same proportions, k times the units: same estimate, interval narrower by √k (unless it is already zero-width).
        bool narrows = a.StdError == 0 ? b.StdError == 0 : Math.Abs((b.CiUpper - b.CiLower) * Math.Sqrt(k) - (a.CiUpper - a.CiLower)) < 1e-9 && b.CiUpper - b.CiLower < a.CiUpper - a.CiLower;
        return contains && narrows && Math.Abs(a.Estimate - b.Estimate) < 1e-12;
    });

    [Property(MaxTest = 300)]
    public Property PValue_InUnitInterval_AndSymmetric() => Prop.ForAll(Cells(), c =>
    {
        var a = DidEstimator.RiskDifference(c);
        var b = DidEstimator.RiskDifference(c.SwapGroups());
        if (a.PValue is not double p) return a.StdError == 0;
        return p >= 0 && p <= 1 && Math.Abs(p - b.PValue!.Value) < 1e-12;
    });

    [Fact]
    public void ConfidenceLevel_IsConfigurable()
    {
        var c = new PairCells(new Cell(200, 100), new Cell(250, 150), new Cell(300, 120), new Cell(280, 126));
        var a90 = DidEstimator.RiskDifference(c, 0.90);
        var a99 = DidEstimator.RiskDifference(c, 0.99);
        Assert.Equal(0.05 + 1.6448536269514722 * a90.StdError, a90.CiUpper, 12); // R: qnorm(0.95)
        Assert.Equal(0.05 + 2.5758293035489004 * a99.StdError, a99.CiUpper, 12); // R: qnorm(0.995)
        Assert.Throws<ArgumentOutOfRangeException>(() => DidEstimator.Estimate("x", c, 1.0));
    }
}

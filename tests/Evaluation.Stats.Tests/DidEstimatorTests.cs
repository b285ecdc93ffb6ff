using Evaluation.Stats.DiffInDiff;

namespace Evaluation.Stats.Tests;

/// <summary>Methodology §5, against values computed by hand (the arithmetic is in each comment).</summary>
public class DidEstimatorTests
{
    private static readonly PairCells Cells = new(new Cell(200, 100), new Cell(250, 150), new Cell(300, 120), new Cell(280, 126));

    [Fact]
    public void RiskDifference_MatchesHandCalculation()
    {
        // (0.6 - 0.5) - (0.45 - 0.4) = 0.05
        // var = .25/200 + .24/250 + .24/300 + .2475/280 = 0.00125 + 0.00096 + 0.0008 + 0.000883928571... = 0.003893928571...
        var r = DidEstimator.Estimate("x", Cells);
        Assert.Equal(0.05, r.RiskDifference.Estimate, 14);
        Assert.Equal(Math.Sqrt(0.00125 + 0.00096 + 0.0008 + 0.2475 / 280), r.RiskDifference.StdError, 14);
        // z = 0.05 / 0.0624013... = 0.8012647070; p = 2Φ(-z) = 0.4229784180
        Assert.Equal(0.4229784180481966, r.RiskDifference.PValue!.Value, 12); // python: math.erfc(z / math.sqrt(2))
        Assert.Equal(0.05 - 1.959963984540054 * r.RiskDifference.StdError, r.RiskDifference.CiLower, 12);
    }

    [Fact]
    public void LogOddsInteraction_MatchesHandCalculation()
    {
        // log(150/100) - log(100/100) - log(126/154) + log(120/180)
        double expected = Math.Log(1.5) - 0 - Math.Log(126.0 / 154) + Math.Log(120.0 / 180);
        double se = Math.Sqrt(1.0 / 100 + 1.0 / 100 + 1.0 / 150 + 1.0 / 100 + 1.0 / 120 + 1.0 / 180 + 1.0 / 126 + 1.0 / 154);
        var lo = DidEstimator.Estimate("x", Cells).LogOddsInteraction!;
        Assert.Equal(expected, lo.Estimate, 14);
        Assert.Equal(se, lo.StdError, 14);
    }

    [Fact]
    public void CellWithZeroEvents_LogOddsAbsentWithWarning_RiskDifferenceStands()
    {
        var cells = Cells with { PilotPre = new Cell(200, 0) };
        var r = DidEstimator.Estimate("site 9", cells);
        Assert.Null(r.LogOddsInteraction);
        Assert.Contains(r.Warnings, w => w.Contains("pilotPre"));
        Assert.Equal(0.6 - 0.05, r.RiskDifference.Estimate, 14);
        var full = DidEstimator.Estimate("site 9", Cells with { ComparisonPost = new Cell(280, 280) });
        Assert.Null(full.LogOddsInteraction);
        Assert.Contains(full.Warnings, w => w.Contains("comparisonPost"));
    }

    [Fact]
    public void CellWithNZero_IsAnErrorNamingPairAndCell()
    {
        var e = Assert.Throws<ArgumentException>(() => DidEstimator.Estimate("site 4", Cells with { ComparisonPre = new Cell(0, 0) }));
        Assert.Contains("site 4", e.Message);
        Assert.Contains("comparisonPre", e.Message);
    }

    [Fact]
    public void BaseCount_AndPeople()
    {
        var r = DidEstimator.Estimate("x", Cells);
        Assert.Equal(0.25, r.BaseCount.PilotChange, 14);
        Assert.Equal(280.0 / 300 - 1, r.BaseCount.ComparisonChange, 14);
        Assert.Equal(0.25 - (280.0 / 300 - 1), r.BaseCount.Difference, 14);
        Assert.Equal(0.05 * 250, r.People, 10);
    }

    [Fact]
    public void Cell_Validates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cell(5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cell(-1, 0));
    }
}

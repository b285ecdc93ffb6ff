using System.Globalization;
using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The one IRLS loop through <see cref="LogisticModel"/>: prior weights and offsets against R's glm
/// (fixtures/logit/make_weighted.R), frequency weights against expanded rows, and option validation.
/// Tolerances as the other logistic fixtures: 1e-6 relative for coefficients and SEs, 1e-9 for deviances.
/// </summary>
public class LogisticModelTests
{
    private static (string[] Header, string[][] Rows) Csv(string name)
    {
        var lines = File.ReadAllLines(CliTests.Fixture("logit", name));
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    private static double[] Column((string[] Header, string[][] Rows) t, string name)
    {
        int j = Array.IndexOf(t.Header, name);
        return t.Rows.Select(r => double.Parse(r[j], CultureInfo.InvariantCulture)).ToArray();
    }

    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected), $"{what}: R {expected:R}, ours {actual:R}");

    private static void Match(LogisticFixtureTests.Expected r, LogisticResult fit, string seColumn = "stdError")
    {
        Assert.Equal(r.Order, fit.Coefficients.Select(c => c.Term).ToList());
        foreach (var c in fit.Coefficients)
        {
            Close(r.Terms[c.Term]["estimate"]!.Value, c.Estimate!.Value, 1e-6, $"{c.Term} estimate");
            Close(r.Terms[c.Term][seColumn]!.Value, c.StdError!.Value, 1e-6, $"{c.Term} {seColumn}");
        }
    }

    private static void MatchFit(LogisticFixtureTests.Expected r, LogisticResult fit)
    {
        Close(r.Stats[".deviance"], fit.Deviance, 1e-9, "deviance");
        Close(r.Stats[".nullDeviance"], fit.NullDeviance, 1e-9, "null deviance");
        Close(r.Stats[".logLik"], fit.LogLikelihood, 1e-9, "log-likelihood");
        Close(r.Stats[".aic"], fit.Aic, 1e-9, "AIC");
        Assert.True(fit.Converged);
    }

    private static LogisticModel Weighted(out (string[] Header, string[][] Rows) t)
    {
        t = Csv("weighted.csv");
        int g = Array.IndexOf(t.Header, "g");
        var data = new ModelData(t.Rows.Length).AddNumeric("x1", Column(t, "x1")).AddCategorical("g", t.Rows.Select(r => r[g]).ToArray());
        return new LogisticModel(data, new ModelSpec(["x1"], ["g"], []), Column(t, "y"), Column(t, "w"), Column(t, "off"));
    }

    [Theory]
    [InlineData(Implementation.Fast)]
    [InlineData(Implementation.Reference)]
    public void FrequencyWeightsAndOffset_MatchGlm_WithHC1(Implementation implementation)
    {
        var r = LogisticFixtureTests.Load("weighted");
        var model = Weighted(out _);
        var fit = model.Fit(new LogisticOptions { Implementation = implementation });
        Match(r, fit);
        MatchFit(r, fit);
        Match(r, model.Fit(new LogisticOptions { Implementation = implementation, Covariance = CovarianceType.HC1 }), "hc1");
    }

    [Fact]
    public void GroupedWithOffset_MatchesGlm_IncludingTheRefittedNullDeviance()
    {
        var r = LogisticFixtureTests.Load("grouped_offset");
        var t = Csv("grouped_offset.csv");
        var x1 = Column(t, "x1");
        var x = Matrix<double>.Build.Dense(x1.Length, 2, (i, j) => j == 0 ? 1 : x1[i]);
        var fit = LogisticModel.Grouped(x, ["(Intercept)", "x1"], Column(t, "events").Select(v => (long)v).ToArray(),
            Column(t, "trials").Select(v => (long)v).ToArray(), Column(t, "off")).Fit();
        Match(r, fit);
        MatchFit(r, fit);
    }

    [Fact]
    public void FrequencyWeights_GiveTheFitOfTheExpandedRows()
    {
        var model = Weighted(out var t);
        var w = Column(t, "w");
        var expanded = Enumerable.Range(0, w.Length).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        int g = Array.IndexOf(t.Header, "g");
        var x1 = Column(t, "x1");
        var y = Column(t, "y");
        var off = Column(t, "off");
        var data = new ModelData(expanded.Length).AddNumeric("x1", expanded.Select(i => x1[i]).ToArray())
            .AddCategorical("g", expanded.Select(i => t.Rows[i][g]).ToArray());
        var rows = new LogisticModel(data, new ModelSpec(["x1"], ["g"], []), expanded.Select(i => y[i]).ToArray(),
            offset: expanded.Select(i => off[i]).ToArray()).Fit();
        var weighted = model.Fit();
        foreach (var c in weighted.Coefficients)
        {
            Close(rows[c.Term].Estimate!.Value, c.Estimate!.Value, 1e-9, c.Term);
            Close(rows[c.Term].StdError!.Value, c.StdError!.Value, 1e-9, c.Term);
        }
        Close(rows.Deviance, weighted.Deviance, 1e-10, "deviance");
    }

    [Theory]
    [InlineData("Tolerance")]
    [InlineData("MaxIterations")]
    [InlineData("AliasTolerance")]
    [InlineData("ConfidenceLevel")]
    [InlineData("MaxDegreeOfParallelism")]
    [InlineData("Covariance")]
    [InlineData("Implementation")]
    [InlineData("Link")]
    public void EveryOption_IsValidated_WithItsName(string option)
    {
        Action make = option switch
        {
            "Tolerance" => () => _ = new LogisticOptions { Tolerance = 0 },
            "MaxIterations" => () => _ = new LogisticOptions { MaxIterations = 0 },
            "AliasTolerance" => () => _ = new LogisticOptions { AliasTolerance = 1 },
            "ConfidenceLevel" => () => _ = new LogisticOptions { ConfidenceLevel = 1 },
            "MaxDegreeOfParallelism" => () => _ = new LogisticOptions { MaxDegreeOfParallelism = -1 },
            "Covariance" => () => _ = new LogisticOptions { Covariance = (CovarianceType)99 },
            "Implementation" => () => _ = new LogisticOptions { Implementation = (Implementation)99 },
            _ => () => _ = new LogisticOptions { Link = (BinomialLink)99 },
        };
        var e = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { Tolerance = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { ConfidenceLevel = 0 });
    }

    [Fact]
    public void BadWeightsOffsetsAndFirthCombinations_AreRefused_NamingTheRow()
    {
        var data = new ModelData(3).AddNumeric("x", [1, 2, 3]);
        var spec = new ModelSpec(["x"], [], []);
        Assert.Contains("row 2", Assert.Throws<ArgumentException>(() => new LogisticModel(data, spec, [0, 1, 0], [1, -1, 1])).Message);
        Assert.Contains("row 3", Assert.Throws<ArgumentException>(() => new LogisticModel(data, spec, [0, 1, 0], offset: [0, 0, double.NaN])).Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => new LogisticModel(data, spec, [1.5, 1, 0], [1, 1, 1])).Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => new LogisticModel(data, spec, [0.5, 1, 0])).Message);
    }

    [Fact]
    public void FirthWithFrequencyWeights_EqualsFirthOnTheExpandedRows()
    {
        // Firth's fit of weighted rows (brglm2's adjusted score) is that of the rows repeated by their weights.
        var weighted = new LogisticModel(new ModelData(4).AddNumeric("x", [1, 2, 3, 4]), new ModelSpec(["x"], [], []), [0, 1, 0, 1], [1, 2, 1, 3])
            .Fit(new LogisticOptions { Firth = true });
        var expanded = new LogisticModel(new ModelData(7).AddNumeric("x", [1, 2, 2, 3, 4, 4, 4]), new ModelSpec(["x"], [], []), [0, 1, 1, 0, 1, 1, 1])
            .Fit(new LogisticOptions { Firth = true });
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(expanded.Coefficients[k].Estimate!.Value, weighted.Coefficients[k].Estimate!.Value, 1e-8);
            Assert.Equal(expanded.Coefficients[k].StdError!.Value, weighted.Coefficients[k].StdError!.Value, 1e-8);
        }
    }

    /// <summary>
    /// A non-finite value in a numeric column is a data error naming the column and the row, from either engine (the
    /// fast engine finds it in its first pass instead of scanning the design first, so the check covers every dense
    /// column wherever the bad value sits: the first row, a block boundary, the last row; NaN and both infinities).
    /// </summary>
    [Theory]
    [InlineData(Implementation.Fast, 0, double.NaN)]
    [InlineData(Implementation.Fast, 512, double.PositiveInfinity)]
    [InlineData(Implementation.Fast, 39_999, double.NegativeInfinity)]
    [InlineData(Implementation.Reference, 777, double.NaN)]
    public void NonFiniteNumericValue_IsADataError_NamingColumnAndRow(Implementation implementation, int row, double bad)
    {
        const int n = 40_000;
        var rng = new Random(5);
        var data = new ModelData(n);
        var names = new List<string>();
        for (int j = 0; j < 7; j++)
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            if (j == 5) v[row] = bad;
            data.AddNumeric($"x{j}", v);
            names.Add($"x{j}");
        }
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.4 ? 1.0 : 0.0).ToArray();
        var spec = new ModelSpec(names, [], []);
        var model = new LogisticModel(data, spec, y);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(new LogisticOptions { Implementation = implementation }));
        Assert.Contains($"Numeric column 'x5' has a blank or non-finite value in row {row + 1};", e.Message);
        if (implementation != Implementation.Fast) return;
        // The fast engine's own start pass, not the reference engine the fit falls back to on a singular system.
        using var engine = new FastLogisticRegression.Engine(FastDesign.Build(data, spec), y, 2);
        e = Assert.Throws<ArgumentException>(() => engine.Evaluate(null));
        Assert.Contains($"Numeric column 'x5' has a blank or non-finite value in row {row + 1};", e.Message);
    }
}

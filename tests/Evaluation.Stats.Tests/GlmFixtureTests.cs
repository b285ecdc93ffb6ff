using System.Globalization;
using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Binomial GLMs against R (fixtures/glm: make_fixtures.R): grouped binomials (esoph, Star98), frequency weights,
/// offsets, the probit and cloglog links, Firth's fit for each link (brglm2 AS_mean), and grouped against expanded
/// data. Coefficients and SEs (at the converged coefficients) to 1e-6 relative; deviance and log-likelihood to 1e-9.
/// </summary>
public class GlmFixtureTests
{
    private const double Relative = 1e-6;

    /// <summary>A fixture's CSV as columns of text (the files have no quoted fields).</summary>
    internal static Dictionary<string, string[]> Columns(string name)
    {
        var lines = File.ReadAllLines(CliTests.Fixture("glm", name + ".csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        return header.Select((h, j) => (h, v: rows.Select(r => r[j]).ToArray())).ToDictionary(x => x.h, x => x.v);
    }

    internal static double[] Numbers(string[] text) => text.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The design of <paramref name="numeric"/> then <paramref name="categorical"/> columns (and interactions), as R orders <c>y ~ numeric + categorical</c>.</summary>
    internal static DesignMatrix Design(Dictionary<string, string[]> c, string[] numeric, string[] categorical, (string, string)[]? interactions = null)
    {
        var data = new ModelData(c.First().Value.Length);
        foreach (var n in numeric) data.AddNumeric(n, Numbers(c[n]));
        foreach (var n in categorical) data.AddCategorical(n, c[n]);
        return DesignMatrix.Build(data, new ModelSpec(numeric, categorical, interactions ?? []));
    }

    internal static void Match(string expected, LogisticResult fit, string seColumn = "stdError", bool statistics = true, bool nullDeviance = true)
    {
        var r = LogisticFixtureTests.Load(expected, "glm");
        Assert.Equal(r.Order, fit.Coefficients.Select(c => c.Term).ToList());
        foreach (var c in fit.Coefficients)
        {
            LogisticFixtureTests.Close(r.Terms[c.Term]["estimate"], c.Estimate, Relative, $"{expected}: {c.Term} estimate");
            LogisticFixtureTests.Close(r.Terms[c.Term][seColumn], c.StdError, Relative, $"{expected}: {c.Term} {seColumn}");
        }
        if (!statistics) return;
        LogisticFixtureTests.Close(r.Stats[".deviance"], fit.Deviance, 1e-9, $"{expected}: deviance");
        if (nullDeviance) LogisticFixtureTests.Close(r.Stats[".nullDeviance"], fit.NullDeviance, 1e-9, $"{expected}: null deviance");
        LogisticFixtureTests.Close(r.Stats[".logLik"], fit.LogLikelihood, 1e-9, $"{expected}: log-likelihood");
        LogisticFixtureTests.Close(r.Stats[".aic"], fit.Aic, 1e-9, $"{expected}: AIC");
        Assert.True(fit.Converged, $"{expected}: not converged");
    }

    private static LogisticOptions Link(BinomialLink link, Implementation implementation = Implementation.Reference) =>
        new() { Link = link, Implementation = implementation };

    private static long[] Counts(string[] text) => Numbers(text).Select(v => (long)v).ToArray();

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void Esoph_GroupedBinomial_MatchesGlmCbind(BinomialLink link)
    {
        var c = Columns("esoph");
        var d = Design(c, [], ["agegp", "alcgp", "tobgp"]);
        var fit = LogisticModel.Grouped(d.X, d.TermNames, Counts(c["ncases"]), Counts(c["trials"])).Fit(Link(link));
        Match($"esoph_{link.ToString().ToLowerInvariant()}", fit);
        Assert.Equal(link == BinomialLink.Logit, fit.Coefficients.All(k => k.OddsRatio is not null));
    }

    [Theory]
    [InlineData(Implementation.Reference)]
    [InlineData(Implementation.Fast)]
    public void Esoph_GroupedEqualsExpanded_EstimatesAndSEs(Implementation implementation)
    {
        // R's fit of the 975 expanded 0/1 records; our grouped fit (88 rows) and our 0/1 fit of the records match it.
        var c = Columns("esoph");
        var d = Design(c, [], ["agegp", "alcgp", "tobgp"]);
        var grouped = LogisticModel.Grouped(d.X, d.TermNames, Counts(c["ncases"]), Counts(c["trials"])).Fit(Link(BinomialLink.Logit));
        Match("esoph_expanded_logit", grouped, statistics: false);
        var e = Columns("esoph_expanded");
        var expanded = Design(e, [], ["agegp", "alcgp", "tobgp"]);
        Match("esoph_expanded_logit", new LogisticModel(expanded.X, expanded.TermNames, Numbers(e["y"])).Fit(Link(BinomialLink.Logit, implementation)));
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void Star98_GroupedBinomialWithNumericCovariates_MatchesGlm(BinomialLink link)
    {
        var c = Columns("star98");
        var numeric = c.Keys.Where(k => k is not ("NABOVE" or "NBELOW")).ToArray();
        var d = Design(c, numeric, []);
        var above = Counts(c["NABOVE"]);
        var trials = above.Zip(Counts(c["NBELOW"]), (a, b) => a + b).ToArray();
        Match($"star98_{link.ToString().ToLowerInvariant()}", LogisticModel.Grouped(d.X, d.TermNames, above, trials).Fit(Link(link)));
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void FrequencyWeights_MatchGlmWeights(BinomialLink link)
    {
        var c = Columns("weights");
        var d = Design(c, ["x"], ["g"]);
        Match($"weights_{link.ToString().ToLowerInvariant()}", new LogisticModel(d.X, d.TermNames, Numbers(c["y"]), weights: Numbers(c["w"])).Fit(Link(link)));
    }

    [Fact]
    public void FrequencyWeights_EqualTheExpandedRecords()
    {
        // The script checks R's weighted fit against R's expanded one; here our weighted fit against our 0/1 fit.
        var c = Columns("weights");
        var d = Design(c, ["x"], ["g"]);
        var w = Numbers(c["w"]);
        var y = Numbers(c["y"]);
        var weighted = new LogisticModel(d.X, d.TermNames, y, weights: w).Fit(Link(BinomialLink.Logit));
        var rows = Enumerable.Range(0, y.Length).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Length, d.X.ColumnCount, (i, j) => d.X[rows[i], j]);
        var expanded = new LogisticModel(x, d.TermNames, rows.Select(i => y[i]).ToArray()).Fit(Link(BinomialLink.Logit, Implementation.Fast));
        for (int k = 0; k < d.TermNames.Count; k++)
        {
            LogisticFixtureTests.Close(expanded.Coefficients[k].Estimate, weighted.Coefficients[k].Estimate, 1e-8, d.TermNames[k]);
            LogisticFixtureTests.Close(expanded.Coefficients[k].StdError, weighted.Coefficients[k].StdError, 1e-8, d.TermNames[k]);
        }
        LogisticFixtureTests.Close(expanded.LogLikelihood, weighted.LogLikelihood, 1e-10, "log-likelihood");
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void Offset_MatchesGlmOffset(BinomialLink link)
    {
        var c = Columns("offset");
        var d = Design(c, ["x1", "x2"], []);
        Match($"offset_{link.ToString().ToLowerInvariant()}", new LogisticModel(d.X, d.TermNames, Numbers(c["y"]), offset: Numbers(c["o"])).Fit(Link(link)));
    }

    [Fact]
    public void GroupedWithOffset_MatchesGlm()
    {
        var c = Columns("esoph_offset");
        var d = Design(c, [], ["agegp", "alcgp", "tobgp"]);
        Match("esoph_offset_logit", LogisticModel.Grouped(d.X, d.TermNames, Counts(c["ncases"]), Counts(c["trials"]), Numbers(c["o"])).Fit(Link(BinomialLink.Logit)));
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void Did_RecordLevel_ModelHc0Hc1AndCluster_MatchGlmAndSandwich(BinomialLink link)
    {
        var c = Columns("did_records");
        var d = Design(c, ["pilot", "post"], ["region", "sex", "ageband"], [("pilot", "post")]);
        var y = Numbers(c["y"]);
        string name = $"did_{link.ToString().ToLowerInvariant()}";
        var model = new LogisticModel(d.X, d.TermNames, y);
        Match(name, model.Fit(Link(link)));
        Match(name, model.Fit(Link(link) with { Covariance = CovarianceType.HC0 }), "hc0", statistics: false);
        Match(name, model.Fit(Link(link) with { Covariance = CovarianceType.HC1 }), "hc1", statistics: false);
        Match(name, model.Fit(Link(link) with { Covariance = CovarianceType.Cluster, Clusters = c["site"] }), "cluster", statistics: false);
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void Firth_EachLink_MatchesBrglm2AdjustedScore(BinomialLink link)
    {
        var c = Columns("firth");
        var d = Design(c, ["x1", "x2"], []);
        var fit = new LogisticModel(d.X, d.TermNames, Numbers(c["y"])).Fit(Link(link) with { Firth = true });
        // brglm2's null deviance is that of the bias-reduced intercept-only fit; the library's (as for the logit's Firth
        // fit since wave 1) is the maximum-likelihood one, so only the estimates, SEs, deviance and log-likelihood compare.
        Match($"firth_{link.ToString().ToLowerInvariant()}", fit, nullDeviance: false);
    }
}

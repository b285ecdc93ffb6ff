using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Logistic regression against R (fixtures/logit: make_fixtures.R wrote each NAME.csv and NAME.expected.csv;
/// glm to full convergence, sandwich for robust SEs, brglm2 for Firth). Tolerances are methodology §6's:
/// coefficients and SEs to 1e-6 relative, p-values to 1e-8 absolute, the ATT and its SE to 1e-6.
/// </summary>
public abstract class LogisticFixtureTests
{
    /// <summary>The implementation under test: the same contract suite runs against both.</summary>
    protected abstract Implementation Implementation { get; }

    private LogisticOptions O(LogisticOptions? o = null) => (o ?? LogisticOptions.Default) with { Implementation = Implementation };

    private const double Relative = 1e-6;
    private const double PAbsolute = 1e-8;

    internal sealed record Expected(Dictionary<string, Dictionary<string, double?>> Terms, Dictionary<string, double> Stats, List<string> Order);

    internal static Expected Load(string name, string area = "logit")
    {
        var lines = File.ReadAllLines(CliTests.Fixture(area, name + ".expected.csv"));
        var header = lines[0].Split(',');
        var terms = new Dictionary<string, Dictionary<string, double?>>();
        var stats = new Dictionary<string, double>();
        var order = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var values = header.Skip(1).Select((h, i) => (h, v: f[i + 1] == "NA" ? (double?)null : double.Parse(f[i + 1], CultureInfo.InvariantCulture)))
                .ToDictionary(x => x.h, x => x.v);
            if (f[0].StartsWith('.')) stats[f[0]] = values["estimate"]!.Value;
            else { terms[f[0]] = values; order.Add(f[0]); }
        }
        return new Expected(terms, stats, order);
    }

    internal static (LogitTable Table, DesignMatrix Design) Data(string name, string[]? categorical = null, string? cluster = null, (string, string)[]? interactions = null)
    {
        var table = LogitTable.Read(CliTests.Fixture("logit", name + ".csv"), "y", categorical ?? [], cluster);
        var spec = table.Spec with { Interactions = interactions ?? [] };
        return (table, DesignMatrix.Build(table.Data, spec));
    }

    internal static void Close(double? expected, double? actual, double relative, string what)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: R {expected}, ours {actual}");
        if (expected is not double e) return;
        Assert.True(Math.Abs(e - actual!.Value) <= relative * Math.Max(Math.Abs(e), 1e-300), $"{what}: R {e:R}, ours {actual:R}, relative error {Math.Abs(e - actual.Value) / Math.Abs(e):E2}");
    }

    private static void MatchCoefficients(Expected r, LogisticResult fit, string seColumn = "stdError", bool pValues = true)
    {
        Assert.Equal(r.Order, fit.Coefficients.Select(c => c.Term).ToList());
        foreach (var c in fit.Coefficients)
        {
            var e = r.Terms[c.Term];
            Close(e["estimate"], c.Estimate, Relative, $"{c.Term} estimate");
            Close(e[seColumn], c.StdError, Relative, $"{c.Term} {seColumn}");
            if (pValues && e["pValue"] is double p) Assert.True(Math.Abs(p - c.PValue!.Value) <= PAbsolute, $"{c.Term} p: R {p:R}, ours {c.PValue:R}");
        }
    }

    private static void MatchFit(Expected r, LogisticResult fit)
    {
        Close(r.Stats[".deviance"], fit.Deviance, 1e-9, "deviance");
        Close(r.Stats[".nullDeviance"], fit.NullDeviance, 1e-9, "null deviance");
        Close(r.Stats[".aic"], fit.Aic, 1e-9, "AIC");
        Close(r.Stats[".logLik"], fit.LogLikelihood, 1e-9, "log-likelihood");
        Assert.True(fit.Converged);
    }

    [Fact]
    public void NumericOnly_MatchesGlm_AndHC0_HC1()
    {
        var r = Load("numeric");
        var (t, d) = Data("numeric");
        var fit = LogisticRegression.Fit(d, t.Outcome, O());
        MatchCoefficients(r, fit);
        MatchFit(r, fit);
        MatchCoefficients(r, LogisticRegression.Fit(d, t.Outcome, O(new LogisticOptions { Covariance = CovarianceType.HC0 })), "hc0", pValues: false);
        MatchCoefficients(r, LogisticRegression.Fit(d, t.Outcome, O(new LogisticOptions { Covariance = CovarianceType.HC1 })), "hc1", pValues: false);
    }

    [Fact]
    public void CategoricalWithMissingLevels_MatchesGlm_AndClusterRobust()
    {
        var r = Load("categorical");
        var (t, d) = Data("categorical", cluster: "area");
        Assert.Equal("(missing)", d.Levels["ethnicity"][0]); // blank is its own level, first in ordinal order
        var fit = LogisticRegression.Fit(d, t.Outcome, O());
        MatchCoefficients(r, fit);
        MatchFit(r, fit);
        MatchCoefficients(r, LogisticRegression.Fit(d, t.Outcome, O(new LogisticOptions { Covariance = CovarianceType.HC1 })), "hc1", pValues: false);
        MatchCoefficients(r, LogisticRegression.Fit(d, t.Outcome, O(new LogisticOptions { Covariance = CovarianceType.Cluster, Clusters = t.Clusters })), "cluster", pValues: false);
    }

    [Fact]
    public void DidModel_ColumnarDesign_MatchesGlm()
    {
        // The same model through ModelData/ModelSpec: the fast path keeps the ten categoricals as codes.
        var r = Load("did");
        var (t, _) = Data("did");
        var fit = LogisticRegression.Fit(t.Data, t.Spec with { Interactions = [("pilot", "post")] }, t.Outcome, O());
        MatchCoefficients(r, fit);
        MatchFit(r, fit);
    }

    [Fact]
    public void DidModel_WithReportCovariates_MatchesGlm_AttAndLikelihoodRatio()
    {
        var r = Load("did");
        var (t, d) = Data("did", interactions: [("pilot", "post")]);
        var fit = LogisticRegression.Fit(d, t.Outcome, O());
        MatchCoefficients(r, fit);
        MatchFit(r, fit);
        var treated = Enumerable.Range(0, t.Data.Rows).Select(i => t.Data.Numeric("pilot")[i] == 1 && t.Data.Numeric("post")[i] == 1).ToArray();
        var att = LogisticRegression.TreatmentEffectOnTreated(fit, d, "pilot:post", treated)!;
        Close(r.Stats[".att"], att.Estimate, Relative, "ATT");
        Close(r.Stats[".attStdError"], att.StdError, Relative, "ATT SE");

        var reducedSpec = t.Spec with { Interactions = [] };
        var reduced = LogisticRegression.Fit(t.Data, reducedSpec, t.Outcome, O());
        var lr = LogisticRegression.LikelihoodRatio(reduced, fit);
        Close(r.Stats[".lrStatistic"], lr.Statistic, Relative, "LR statistic");
        Assert.True(Math.Abs(r.Stats[".lrPValue"] - lr.PValue) <= PAbsolute);
        Assert.Equal(1, lr.DegreesOfFreedom);
    }

    [Fact]
    public void AliasedColumns_AreReportedAndTheFitGoesOn()
    {
        var r = Load("aliased");
        var (t, d) = Data("aliased");
        var fit = LogisticRegression.Fit(d, t.Outcome, O());
        Assert.Equal(["x3", "x5"], fit.Aliased);
        MatchCoefficients(r, fit);
        MatchFit(r, fit);
        Assert.Contains(fit.Warnings, w => w.Contains("x3") && w.Contains("aliased"));
        Assert.Contains("not defined because of singularities", fit.ToString());
    }

    [Fact]
    public void QuasiCompleteSeparation_IsDetected_AndFirthMatchesBrglm2()
    {
        var r = Load("separation");
        var (t, d) = Data("separation");
        var plain = LogisticRegression.Fit(d, t.Outcome, O());
        Assert.Equal(["g[C]"], plain.Separation);
        Assert.Contains(plain.Warnings, w => w.Contains("separation") && w.Contains("g[C]"));
        var firth = LogisticRegression.Fit(d, t.Outcome, O(new LogisticOptions { Firth = true }));
        Assert.Empty(firth.Separation);
        MatchCoefficients(r, firth);
        Close(r.Stats[".deviance"], firth.Deviance, 1e-9, "Firth deviance");
    }

    [Fact]
    public void LevelInOneRow_IsQuasiSeparated_OtherTermsMatchGlm()
    {
        // A level seen in one row fits that row exactly, so its coefficient has no finite MLE (R's 28.9 is where its
        // iterations stopped). Every other term, the deviance and the fit statistics converge and must match R.
        var r = Load("singleton");
        var (t, d) = Data("singleton");
        var fit = LogisticRegression.Fit(d, t.Outcome, O());
        Assert.Equal(["site[z]"], fit.Separation);
        Assert.True(fit["site[z]"].Estimate > 15);
        foreach (var c in fit.Coefficients.Where(c => c.Term != "site[z]"))
        {
            Close(r.Terms[c.Term]["estimate"], c.Estimate, Relative, $"{c.Term} estimate");
            Close(r.Terms[c.Term]["stdError"], c.StdError, Relative, $"{c.Term} SE");
            Assert.True(Math.Abs(r.Terms[c.Term]["pValue"]!.Value - c.PValue!.Value) <= PAbsolute, $"{c.Term} p");
        }
        Close(r.Stats[".deviance"], fit.Deviance, 1e-6, "deviance");
        Close(r.Stats[".nullDeviance"], fit.NullDeviance, 1e-9, "null deviance");
    }
}

public sealed class LogisticFixtureTests_Fast : LogisticFixtureTests
{
    protected override Implementation Implementation => Implementation.Fast;
}

public sealed class LogisticFixtureTests_Reference : LogisticFixtureTests
{
    protected override Implementation Implementation => Implementation.Reference;
}

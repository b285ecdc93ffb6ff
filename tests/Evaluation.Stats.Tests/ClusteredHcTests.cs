using System.Globalization;
using System.Text.Json.Nodes;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Clustered HC2 and HC3 against <c>sandwich::vcovCL(type = "HC2"/"HC3")</c> (fixtures/linear/clustered_hc23.R wrote
/// clustered_hc23.expected.csv): lm on Petersen's firm-year panel and on the DiD design with an aliased column, glm
/// (logit) on the logit data; one- and two-way. Every entry of every covariance matrix to 1e-6 relative, on both
/// implementations.
/// </summary>
public class ClusteredHcTests
{
    private const double Relative = 1e-6;

    private static readonly Lazy<Dictionary<(string Case, string Type), Dictionary<(string, string), double?>>> Expected = new(() =>
        FormulaReferenceTests.Csv("linear", "clustered_hc23.expected.csv").Skip(1)
            .GroupBy(r => (r[0], r[1]))
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => (r[2], r[3]), r => r[4].Trim() == "NA" ? (double?)null : double.Parse(r[4], CultureInfo.InvariantCulture))));

    private static string RName(string term) => term.Replace("[", "").Replace("]", "");

    private static void Match(string name, CovarianceType type, IReadOnlyList<string> terms, TermMatrix covariance, Func<string, bool> aliased)
    {
        var expected = Expected.Value[(name, type.ToString())];
        int compared = 0;
        foreach (var a in terms)
            foreach (var b in terms)
            {
                var e = expected[(RName(a), RName(b))];
                if (aliased(a) || aliased(b)) { Assert.Null(e); continue; }
                double actual = covariance[a, b];
                Assert.True(Math.Abs(e!.Value - actual) <= Relative * Math.Abs(e.Value),
                    $"{name} {type} ({a}, {b}): R {e:R}, ours {actual:R}, relative error {Math.Abs(e.Value - actual) / Math.Abs(e.Value):E2}");
                compared++;
            }
        Assert.True(compared >= 4);
    }

    private static CovarianceOptions Clustered(Dictionary<string, string?[]> text, CovarianceType type, params string[] ways) =>
        CovarianceOptions.Cluster(ways.Select(w => (IReadOnlyList<string?>)text[w]).ToArray()) with { ClusterType = type, ClusterNames = ways };

    [Theory]
    [InlineData("petersen", "y ~ x", "firm", null, Implementation.Reference)]
    [InlineData("petersen", "y ~ x", "firm", "year", Implementation.Fast)]
    [InlineData("petersen", "y ~ x", "firm", "year", Implementation.Reference)]
    [InlineData("did", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f", "site", null, Implementation.Fast)]
    [InlineData("did", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f", "site", "week", Implementation.Fast)]
    [InlineData("did", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f", "site", "week", Implementation.Reference)]
    public void Linear_model_matches_vcovCL(string data, string formula, string first, string? second, Implementation implementation)
    {
        var (d, y, text) = LinearReferenceTests.Load(data, data == "petersen" ? ["firm", "year"] : ["site", "week", "f"]);
        var design = ModelFormula.Parse(formula).Expand(d);
        string[] ways = second is null ? [first] : [first, second];
        string name = $"{data}_{string.Join("_", ways)}";
        foreach (var type in new[] { CovarianceType.HC2, CovarianceType.HC3 })
        {
            var fit = LinearModel.Fit(design, y, new LinearOptions { Covariance = Clustered(text, type, ways), Implementation = implementation });
            Match(name, type, fit.Coefficients.Select(c => c.Term).ToList(), fit.Covariance, t => fit[t].IsAliased);
            Assert.Contains($"; {type})", fit.ToString());
        }
    }

    [Theory]
    [InlineData("site", null, Implementation.Fast)]
    [InlineData("site", null, Implementation.Reference)]
    [InlineData("site", "week", Implementation.Fast)]
    [InlineData("site", "week", Implementation.Reference)]
    public void Logistic_model_matches_vcovCL_on_glm(string first, string? second, Implementation implementation)
    {
        var (d, y, text) = LinearReferenceTests.Load("logit", "site", "week", "sex");
        var model = ModelFormula.Parse("y ~ pilot*post + age + C(sex, ref='M')").Expand(d).Logistic(y);
        var fit = model.Fit(new LogisticOptions { Implementation = implementation, Tolerance = 1e-14, MaxIterations = 100 });
        string[] ways = second is null ? [first] : [first, second];
        foreach (var type in new[] { CovarianceType.HC2, CovarianceType.HC3 })
        {
            var robust = LogisticCovariance.Apply(model, fit, Clustered(text, type, ways));
            Match($"logit_{string.Join("_", ways)}", type, robust.EstimableTerms, robust.Covariance, _ => false);
        }
    }

    [Fact]
    public void Clustered_HC2_and_HC3_differ_from_HC1_and_from_each_other()
    {
        var (d, y, text) = LinearReferenceTests.Load("did", "site", "week", "f");
        var design = ModelFormula.Parse("y ~ pilot*post + x1").Expand(d);
        double Se(CovarianceType type) => LinearModel.Fit(design, y, new LinearOptions { Covariance = Clustered(text, type, "site") })["pilot:post"].StdError!.Value;
        double hc1 = Se(CovarianceType.HC1), hc2 = Se(CovarianceType.HC2), hc3 = Se(CovarianceType.HC3);
        Assert.True(hc2 < hc3, $"HC2 {hc2}, HC3 {hc3}");
        Assert.NotEqual(hc1, hc2);
    }

    [Fact]
    public void Two_way_HC2_with_the_smallest_G_convention_is_refused_with_a_reason()
    {
        var (d, y, text) = LinearReferenceTests.Load("did", "site", "week", "f");
        var design = ModelFormula.Parse("y ~ pilot*post + x1").Expand(d);
        var o = Clustered(text, CovarianceType.HC2, "site", "week") with { Adjustment = ClusterAdjustment.Smallest };
        var e = Assert.Throws<ArgumentException>(() => LinearModel.Fit(design, y, new LinearOptions { Covariance = o }));
        Assert.Contains("smallest-G", e.Message);
        Assert.Contains("PerDimension", e.Message);
    }

    [Fact]
    public void A_cluster_too_large_for_its_dense_hat_block_is_refused_with_a_reason()
    {
        int n = ClusterLeverage.MaxClusterRows + 11; // 10 rows in "small", one more than the limit in "big"
        var rng = new Random(3);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var y = x.Select(v => v + rng.NextDouble()).ToArray();
        var clusters = Enumerable.Range(0, n).Select(i => i < 10 ? "small" : "big").ToArray();
        var o = CovarianceOptions.Cluster(clusters) with { ClusterType = CovarianceType.HC3 };
        var e = Assert.Throws<ArgumentException>(() => LinearModel.Fit([Enumerable.Repeat(1.0, n).ToArray(), x], ["(Intercept)", "x"], y, new LinearOptions { Covariance = o }));
        Assert.Contains("HC0 or HC1", e.Message);
    }

    [Theory]
    [InlineData("ols", "did", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f", "cluster:site,week:hc2", "did_site_week", "HC2", "cluster(site, week; HC2)")]
    [InlineData("ols", "did", "y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f", "cluster:site:HC3", "did_site", "HC3", "cluster(site; HC3)")]
    [InlineData("logit", "logit", "y ~ pilot*post + age + C(sex, ref='M')", "cluster:site,week:hc3", "logit_site_week", "HC3", "cluster(site, week; HC3)")]
    [InlineData("logit", "logit", "y ~ pilot*post + age + C(sex, ref='M')", "cluster:site:hc2", "logit_site", "HC2", "cluster(site; HC2)")]
    public void Cli_robust_cluster_with_a_type_matches_vcovCL(string command, string data, string formula, string robust, string name, string type, string detail)
    {
        var (code, stdout, stderr) = CliTests.Run(command, "--data", CliTests.Fixture("linear", data + ".csv"), "--formula", formula, "--robust", robust, "--json");
        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(detail, o["covarianceDetail"]!.GetValue<string>());
        var expected = Expected.Value[(name, type)];
        int compared = 0;
        foreach (var c in o["coefficients"]!.AsArray())
        {
            var term = RName(c!["term"]!.GetValue<string>());
            if (c["stdError"] is null) { Assert.Null(expected[(term, term)]); continue; }
            double e = Math.Sqrt(expected[(term, term)]!.Value), actual = c["stdError"]!.GetValue<double>();
            Assert.True(Math.Abs(e - actual) <= Relative * e, $"{robust} {term}: R {e:R}, ours {actual:R}");
            compared++;
        }
        Assert.True(compared >= 2);
    }

    [Theory]
    [InlineData("logit", "logit", "y ~ pilot*post + age", "cluster:site:hc2", "(standard errors: cluster(site; HC2))")]
    [InlineData("logit", "logit", "y ~ pilot*post + age", "cluster:site,week", "(standard errors: cluster(site, week; HC1))")]
    [InlineData("logit", "logit", "y ~ pilot*post + age", "hc3", "(standard errors: HC3)")]
    public void Cli_text_names_the_estimator_that_made_the_standard_errors(string command, string data, string formula, string robust, string header)
    {
        var (code, stdout, stderr) = CliTests.Run(command, "--data", CliTests.Fixture("linear", data + ".csv"), "--formula", formula, "--robust", robust);
        Assert.True(code == 0, stderr);
        Assert.Contains("Coefficients " + header + ":", stdout);
    }

    [Theory]
    [InlineData("ols", "cluster:site:hc9")]
    [InlineData("ols", "cluster:site:")]
    [InlineData("logit", "cluster:site,week:hc4")]
    public void Cli_bad_cluster_type_exits_2_naming_the_choices(string command, string robust)
    {
        var (code, _, stderr) = CliTests.Run(command, "--data", CliTests.Fixture("linear", "logit.csv"), "--formula", "y ~ age", "--robust", robust);
        Assert.Equal(2, code);
        Assert.Contains(":hc0, :hc1, :hc2 or :hc3", stderr);
    }
}

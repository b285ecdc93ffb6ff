using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using Evaluation.Stats.Regression.Linear;
using static Evaluation.Stats.Tests.ReadOnlyResultTests;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The printed summaries of the regression results, character for character: fixtures/printed/NAME.txt holds each
/// text as the estimators printed it before the formatting moved to Formatting/, and every print must match it under
/// the invariant culture and under German- and French-style cultures. A missing fixture is written beside the test
/// binaries (printed/NAME.received.txt) and the test fails.
/// </summary>
public class PrintedResultTests
{
    private static readonly Lazy<(ModelData Data, ModelSpec Spec, double[] Y, string[] Site)> DidRecords = new(() =>
    {
        var c = GlmFixtureTests.Columns("did_records");
        var data = new ModelData(c["y"].Length)
            .AddNumeric("pilot", GlmFixtureTests.Numbers(c["pilot"])).AddNumeric("post", GlmFixtureTests.Numbers(c["post"]))
            .AddCategorical("region", c["region"]).AddCategorical("sex", c["sex"]).AddCategorical("ageband", c["ageband"]);
        return (data, new ModelSpec(["pilot", "post"], ["region", "sex", "ageband"], [("pilot", "post")]), GlmFixtureTests.Numbers(c["y"]), c["site"]);
    });

    private static LogisticResult LogitHc1()
    {
        var (data, y, _) = LinearReferenceTests.Load("logit", "site", "week", "sex");
        var design = ModelFormula.Parse("y ~ pilot*post + age + C(sex, ref='M')").Expand(data);
        return design.Logistic(y).Fit(new LogisticOptions { Covariance = CovarianceType.HC1, Implementation = Implementation.Reference });
    }

    private static LinearResult Linear(bool clustered)
    {
        var (data, y, text) = LinearReferenceTests.Load("did", "site", "week", "f");
        var design = ModelFormula.Parse("y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f").Expand(data);
        var covariance = clustered
            ? CovarianceOptions.Cluster(text["site"], text["week"]) with { ClusterNames = ["site", "week"] }
            : CovarianceOptions.Model;
        return LinearModel.Fit(design, y, new LinearOptions { Covariance = covariance, ConfidenceLevel = clustered ? 0.95 : 0.9, Implementation = Implementation.Reference });
    }

    public static TheoryData<string> Cases => new(Printers.Keys);

    private static readonly Dictionary<string, Func<string>> Printers = new()
    {
        ["logistic_hc1"] = () => LogitHc1().ToString(),
        ["logistic_aliased"] = () =>
        {
            var (t, d) = LogisticFixtureTests.Data("aliased");
            return LogisticRegression.Fit(d, t.Outcome, new LogisticOptions { Implementation = Implementation.Reference }).ToString();
        },
        ["logistic_not_converged"] = () =>
        {
            var (t, d) = LogisticFixtureTests.Data("did", interactions: [("pilot", "post")]);
            return LogisticRegression.Fit(d, t.Outcome, new LogisticOptions { MaxIterations = 2, Implementation = Implementation.Reference }).ToString();
        },
        ["compressed_probit_cluster"] = () =>
        {
            var (data, spec, y, site) = DidRecords.Value;
            return CompressedFit.Fit(data, spec, y, null, new LogisticOptions { Link = BinomialLink.Probit, Covariance = CovarianceType.Cluster, Clusters = site }).ToString();
        },
        ["linear_model_90"] = () => Linear(clustered: false).ToString(),
        ["linear_two_way"] = () => Linear(clustered: true).ToString(),
        ["adjusted_did"] = () =>
        {
            var (data, _, y, _) = DidRecords.Value;
            return AdjustedDid.Fit(data, y, [], ["region", "sex"], new LogisticOptions { Implementation = Implementation.Reference }).ToString();
        },
        ["adjusted_not_estimable"] = () =>
        {
            double[] pilot = [0, 0, 0, 1, 1, 1, 0, 1], y = [0, 1, 0, 1, 1, 0, 1, 0];
            var data = new ModelData(8).AddNumeric("pilot", pilot).AddNumeric("post", pilot);
            return AdjustedDid.Fit(data, y, [], [], new LogisticOptions { Implementation = Implementation.Reference }).ToString();
        },
        ["covariance_hc1"] = () => LogitHc1().Covariance.ToString(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Printed_text_is_the_committed_one_in_every_culture(string name)
    {
        var path = CliTests.Fixture("printed", name + ".txt");
        var text = InCulture(Invariant, Printers[name]);
        if (!File.Exists(path))
        {
            File.WriteAllText(Path.ChangeExtension(path, ".received.txt"), text);
            Assert.Fail($"No {path}; the text printed now is in {Path.ChangeExtension(path, ".received.txt")}.");
        }
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), text.Replace("\r\n", "\n"));
        Assert.Equal(text, InCulture(German, Printers[name]));
        Assert.Equal(text, InCulture(French, Printers[name]));
    }
}

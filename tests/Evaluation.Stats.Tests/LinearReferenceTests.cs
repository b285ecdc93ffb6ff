using System.Globalization;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using Evaluation.Stats.Regression.Linear;

namespace Evaluation.Stats.Tests;

/// <summary>
/// OLS and its covariances against R's <c>lm</c> with <c>sandwich::vcovHC</c> (HC0–HC3) and <c>vcovCL</c> (one- and
/// two-way, HC1 and HC0, cadjust and Stata's smallest-G convention) — fixtures/linear/make_fixtures.R wrote each
/// NAME.csv, NAME.expected.csv and NAME.stats.csv: Petersen's firm-year panel (sandwich's own test data) and a
/// DiD-shaped design with a releveled categorical, a numeric × categorical interaction and an aliased column. Every
/// number to 1e-6 relative, on both implementations.
/// </summary>
public abstract class LinearReferenceTests
{
    protected abstract Implementation Implementation { get; }

    private const double Relative = 1e-6;

    internal static (ModelData Data, double[] Y, Dictionary<string, string?[]> Text) Load(string name, params string[] text)
    {
        var rows = FormulaReferenceTests.Csv("linear", name + ".csv");
        var header = rows[0];
        var data = new ModelData(rows.Count - 1);
        var texts = new Dictionary<string, string?[]>();
        double[] y = [];
        for (int j = 0; j < header.Length; j++)
        {
            var values = rows.Skip(1).Select(r => r[j]).ToArray();
            if (text.Contains(header[j])) { data.AddCategorical(header[j], values); texts[header[j]] = values; }
            else
            {
                var v = values.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                if (header[j] == "y") y = v; else data.AddNumeric(header[j], v);
            }
        }
        return (data, y, texts);
    }

    private static Dictionary<string, Dictionary<string, double?>> Expected(string name, out List<string> order)
    {
        var rows = FormulaReferenceTests.Csv("linear", name + ".expected.csv");
        order = rows.Skip(1).Select(r => r[0]).ToList();
        return rows.Skip(1).ToDictionary(r => r[0], r => rows[0].Skip(1).Select((h, i) => (h, v: Number(r[i + 1]))).ToDictionary(x => x.h, x => x.v));
    }

    private static double? Number(string s) => s == "NA" ? null : double.Parse(s, CultureInfo.InvariantCulture);

    private static void Close(double? expected, double? actual, string what)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: R {expected}, ours {actual}");
        if (expected is not double e) return;
        if (double.IsNaN(e)) { Assert.True(double.IsNaN(actual!.Value), $"{what}: R NaN, ours {actual}"); return; }
        Assert.True(Math.Abs(e - actual!.Value) <= Relative * Math.Abs(e), $"{what}: R {e:R}, ours {actual:R}, relative error {Math.Abs(e - actual.Value) / Math.Abs(e):E2}");
    }

    private LinearResult Fit(FormulaDesign design, double[] y, CovarianceOptions covariance, double level = 0.95) =>
        LinearModel.Fit(design, y, new LinearOptions { Covariance = covariance, ConfidenceLevel = level, Implementation = Implementation });

    private void Check(string name, FormulaDesign design, double[] y, string[] clusters, Dictionary<string, string?[]> text)
    {
        var r = Expected(name, out var order);
        string RName(string t) => t.Replace("[", "").Replace("]", "");
        var one = CovarianceOptions.Cluster(text[clusters[0]]);
        var two = CovarianceOptions.Cluster(text[clusters[0]], text[clusters[1]]);
        var fits = new Dictionary<string, LinearResult>
        {
            ["model"] = Fit(design, y, CovarianceOptions.Model, 0.90),
            ["HC0"] = Fit(design, y, CovarianceOptions.Robust(CovarianceType.HC0)),
            ["HC1"] = Fit(design, y, CovarianceOptions.Robust(CovarianceType.HC1)),
            ["HC2"] = Fit(design, y, CovarianceOptions.Robust(CovarianceType.HC2)),
            ["HC3"] = Fit(design, y, CovarianceOptions.Robust(CovarianceType.HC3)),
            ["CL1"] = Fit(design, y, one),
            ["CL1_HC0"] = Fit(design, y, one with { ClusterType = CovarianceType.HC0 }),
            ["CL2"] = Fit(design, y, two),
            ["CL2_min"] = Fit(design, y, two with { Adjustment = ClusterAdjustment.Smallest }),
        };
        Assert.Equal(order, fits["model"].Coefficients.Select(c => RName(c.Term)).ToList());
        foreach (var (key, fit) in fits)
            foreach (var c in fit.Coefficients)
            {
                var e = r[RName(c.Term)];
                Close(e["estimate"], c.Estimate, $"{key} {c.Term} estimate");
                Close(e["se_" + key], c.StdError, $"{key} {c.Term} SE");
            }
        var cl2 = fits["CL2"];
        foreach (var c in fits["model"].Coefficients)
        {
            var e = r[RName(c.Term)];
            Close(e["t_model"], c.TValue, $"{c.Term} t");
            Close(e["p_model"], c.PValue, $"{c.Term} p");
            Close(e["lower90_model"], c.CiLower, $"{c.Term} 90% lower");
            Close(e["upper90_model"], c.CiUpper, $"{c.Term} 90% upper");
            Close(e["p_HC3"], fits["HC3"][c.Term].PValue, $"{c.Term} HC3 p");
            Close(e["lower95_CL2"], cl2[c.Term].CiLower, $"{c.Term} two-way 95% lower");
            Close(e["upper95_CL2"], cl2[c.Term].CiUpper, $"{c.Term} two-way 95% upper");
            for (int j = 0; j < order.Count; j++)
            {
                var other = fits["model"].Coefficients[j];
                Close(e[$"cl2_{j + 1}"], c.IsAliased || other.IsAliased ? null : cl2.CovarianceOf(c.Term, other.Term), $"two-way covariance {c.Term}, {other.Term}");
            }
        }
        var stats = FormulaReferenceTests.Csv("linear", name + ".stats.csv");
        var s = stats[0].Select((h, i) => (h, v: double.Parse(stats[1][i], CultureInfo.InvariantCulture))).ToDictionary(x => x.h, x => x.v);
        var m = fits["model"];
        Close(s["sigma"], m.Sigma, "sigma");
        Close(s["r.squared"], m.RSquared, "R squared");
        Close(s["adj.r.squared"], m.AdjustedRSquared, "adjusted R squared");
        Assert.Equal((int)s["df"], m.ResidualDegreesOfFreedom);
    }

    [Fact]
    public void Petersen_firm_year_panel_matches_lm_and_sandwich()
    {
        var (data, y, text) = Load("petersen", "firm", "year");
        Check("petersen", ModelFormula.Parse("y ~ x").Expand(data), y, ["firm", "year"], text);
    }

    [Fact]
    public void Did_design_with_relevel_interaction_and_aliasing_matches_lm_and_sandwich()
    {
        var (data, y, text) = Load("did", "site", "week", "f");
        var design = ModelFormula.Parse("y ~ pilot*post + x1 + C(f, ref='b') + x2 + x1:f").Expand(data);
        Check("did", design, y, ["site", "week"], text);
        var fit = Fit(design, y, CovarianceOptions.Model);
        Assert.Equal(["x2"], fit.Aliased);
        Assert.Contains(fit.Warnings, w => w.Contains("aliased") && w.Contains("x2"));
    }

    [Fact]
    public void Logistic_fit_gets_the_same_covariances_as_sandwich_on_glm()
    {
        var (data, y, text) = Load("logit", "site", "week", "sex");
        var design = ModelFormula.Parse("y ~ pilot*post + age + C(sex, ref='M')").Expand(data);
        var options = new LogisticOptions { Implementation = Implementation, Tolerance = 1e-14, MaxIterations = 100 };
        var model = design.Logistic(y);
        var fit = model.Fit(options);
        var r = Expected("logit", out var order);
        Assert.Equal(order, fit.Coefficients.Select(c => c.Term.Replace("[", "").Replace("]", "")).ToList());
        var one = CovarianceOptions.Cluster(text["site"]);
        var two = CovarianceOptions.Cluster(text["site"], text["week"]);
        var cases = new Dictionary<string, CovarianceOptions>
        {
            ["model"] = CovarianceOptions.Model,
            ["HC0"] = CovarianceOptions.Robust(CovarianceType.HC0), ["HC1"] = CovarianceOptions.Robust(CovarianceType.HC1),
            ["HC2"] = CovarianceOptions.Robust(CovarianceType.HC2), ["HC3"] = CovarianceOptions.Robust(CovarianceType.HC3),
            ["CL1"] = one, ["CL1_HC0"] = one with { ClusterType = CovarianceType.HC0 },
            ["CL2"] = two, ["CL2_HC0"] = two with { ClusterType = CovarianceType.HC0 },
        };
        foreach (var (key, covariance) in cases)
        {
            var robust = LogisticCovariance.Apply(model, fit, covariance);
            Assert.Equal(covariance.Type, robust.Options.Covariance);
            foreach (var c in robust.Coefficients)
            {
                var e = r[c.Term.Replace("[", "").Replace("]", "")];
                Close(e["estimate"], c.Estimate, $"{key} {c.Term} estimate");
                Close(e["se_" + key], c.StdError, $"{key} {c.Term} SE");
            }
        }
        // The engines' own HC0, HC1 and one-way cluster sandwiches agree with this one.
        foreach (var (type, key) in new[] { (CovarianceType.HC0, "HC0"), (CovarianceType.HC1, "HC1"), (CovarianceType.Cluster, "CL1") })
        {
            var own = model.Fit(options with { Covariance = type, Clusters = type == CovarianceType.Cluster ? text["site"].Select(s => s!).ToArray() : null });
            var ours = LogisticCovariance.Apply(model, fit, cases[key]);
            foreach (var c in own.Coefficients) Close(c.StdError, ours[c.Term].StdError, $"engine {type} {c.Term}");
        }
    }
}

public sealed class LinearReferenceTestsReference : LinearReferenceTests
{
    protected override Implementation Implementation => Implementation.Reference;
}

public sealed class LinearReferenceTestsFast : LinearReferenceTests
{
    protected override Implementation Implementation => Implementation.Fast;
}

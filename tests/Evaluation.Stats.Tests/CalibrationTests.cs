using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Regression;
using Xunit.Abstractions;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Monte Carlo calibration (a start on issue 6's list; method and figures in docs/validation.md). Seeds are fixed, so
/// the tests are deterministic. CI runs a reduced number of replicates; the full run is
/// <c>EVALSTATS_CALIBRATION_REPS=4000 dotnet test tests/Evaluation.Stats.Tests -c Release --filter "FullyQualifiedName~Calibration" --logger "console;verbosity=detailed"</c>.
/// </summary>
public class CalibrationTests(ITestOutputHelper output)
{
    private static readonly int Reps = int.TryParse(Environment.GetEnvironmentVariable("EVALSTATS_CALIBRATION_REPS"), out var r) ? r : 400;

    /// <summary>Monte Carlo error allowed: 3.5 standard errors of a proportion near <paramref name="p"/>.</summary>
    private static double Allowed(double p) => 3.5 * Math.Sqrt(p * (1 - p) / Reps);

    private static int Binomial(Random rng, int n, double p)
    {
        int k = 0;
        for (int i = 0; i < n; i++) if (rng.NextDouble() < p) k++;
        return k;
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void RiskDifference_Null_RejectsAtFivePercent_AndCiCovers()
    {
        // Cells the size of Table 6.1, site 3, with parallel trends on the probability scale and no pilot effect.
        var rng = new Random(101);
        int reject = 0, cover = 0;
        for (int k = 0; k < Reps; k++)
        {
            var cells = new PairCells(new Cell(1914, Binomial(rng, 1914, 0.80)), new Cell(1791, Binomial(rng, 1791, 0.83)),
                new Cell(2462, Binomial(rng, 2462, 0.78)), new Cell(2258, Binomial(rng, 2258, 0.81)));
            var rd = DidEstimator.RiskDifference(cells);
            if (rd.PValue < 0.05) reject++;
            if (rd.CiLower <= 0 && 0 <= rd.CiUpper) cover++;
        }
        double rate = (double)reject / Reps, coverage = (double)cover / Reps;
        output.WriteLine($"risk difference, null: rejection {rate:0.0000}, 95% CI coverage {coverage:0.0000} ({Reps} replicates)");
        Assert.InRange(rate, 0.05 - Allowed(0.05), 0.05 + Allowed(0.05));
        Assert.InRange(coverage, 0.95 - Allowed(0.05), 0.95 + Allowed(0.05));
    }

    /// <summary>Record-level DiD data from the logit model with covariates age and sex and interaction b3.</summary>
    private static (ModelData Data, double[] Y, double TrueAtt) Records(Random rng, int perCell, double b3)
    {
        int n = 4 * perCell;
        var pilot = new double[n]; var post = new double[n]; var age = new double[n]; var sex = new string?[n]; var y = new double[n];
        double attSum = 0; int treated = 0;
        for (int i = 0; i < n; i++)
        {
            pilot[i] = i / perCell % 2; post[i] = i / (2 * perCell);
            age[i] = 18 + rng.Next(50); sex[i] = rng.NextDouble() < 0.3 ? "F" : "M";
            double eta = 0.8 + 0.2 * pilot[i] + 0.3 * post[i] + b3 * pilot[i] * post[i] - 0.02 * (age[i] - 40) + (sex[i] == "F" ? 0.3 : 0);
            y[i] = rng.NextDouble() < Logistic(eta) ? 1 : 0;
            if (pilot[i] == 1 && post[i] == 1) { attSum += Logistic(eta) - Logistic(eta - b3); treated++; }
        }
        var data = new ModelData(n).AddNumeric("pilot", pilot).AddNumeric("post", post).AddNumeric("age", age).AddCategorical("sex", sex);
        return (data, y, attSum / treated);
    }

    [Fact]
    public void AdjustedLogit_Null_RejectsAtFivePercent_AndAttCiCovers()
    {
        var rng = new Random(202);
        int reject = 0, coverNull = 0, coverEffect = 0;
        for (int k = 0; k < Reps; k++)
        {
            var (data, y, _) = Records(rng, 500, 0);
            var fit = AdjustedDid.Fit(data, y, ["age"], ["sex"]);
            if (fit.PValue < 0.05) reject++;
            if (Math.Abs(fit.Att!.Value) <= 1.959963984540054 * fit.AttStdError!.Value) coverNull++;
            var (data2, y2, att) = Records(rng, 500, 0.4);
            var fit2 = AdjustedDid.Fit(data2, y2, ["age"], ["sex"]);
            if (Math.Abs(fit2.Att!.Value - att) <= 1.959963984540054 * fit2.AttStdError!.Value) coverEffect++;
        }
        double rate = (double)reject / Reps, c0 = (double)coverNull / Reps, c1 = (double)coverEffect / Reps;
        output.WriteLine($"adjusted logit, null: rejection {rate:0.0000}; ATT 95% CI coverage {c0:0.0000} (null), {c1:0.0000} (b3 = 0.4) ({Reps} replicates, 2,000 rows each)");
        Assert.InRange(rate, 0.05 - Allowed(0.05), 0.05 + Allowed(0.05));
        Assert.InRange(c0, 0.95 - Allowed(0.05), 0.95 + Allowed(0.05));
        Assert.InRange(c1, 0.95 - Allowed(0.05), 0.95 + Allowed(0.05));
    }

    [Fact]
    public void RiskDifference_Power_AtTheReportsSampleSizes()
    {
        // Power is reported, not asserted beyond sanity: it rises with the effect. Sizes of Tables 6.1 (site 3),
        // 6.4 (site 2) and 3.2 (site 7); base rates near the published ones.
        var rng = new Random(303);
        (string Name, int[] N, double[] P)[] settings =
        [
            ("Table 6.1 site 3 (effective treatment)", [1914, 1791, 2462, 2258], [0.936, 0.936, 0.947, 0.947]),
            ("Table 6.4 site 2 (successful completion)", [1657, 1661, 608, 699], [0.552, 0.552, 0.342, 0.342]),
            ("Table 3.2 site 7 (prison pick-up)", [171, 175, 332, 359], [0.20, 0.20, 0.25, 0.25]),
        ];
        foreach (var (name, n, p) in settings)
        {
            var power = new List<double>();
            foreach (var effect in new[] { 0.02, 0.05 })
            {
                int reject = 0;
                for (int k = 0; k < Reps; k++)
                {
                    var cells = new PairCells(new Cell(n[0], Binomial(rng, n[0], p[0])), new Cell(n[1], Binomial(rng, n[1], Math.Min(0.999, p[1] + effect))),
                        new Cell(n[2], Binomial(rng, n[2], p[2])), new Cell(n[3], Binomial(rng, n[3], p[3])));
                    if (DidEstimator.RiskDifference(cells).PValue < 0.05) reject++;
                }
                power.Add((double)reject / Reps);
            }
            output.WriteLine($"power, {name}: {power[0]:0.000} for +2 points, {power[1]:0.000} for +5 points ({Reps} replicates)");
            Assert.True(power[1] >= power[0]);
        }
    }
}

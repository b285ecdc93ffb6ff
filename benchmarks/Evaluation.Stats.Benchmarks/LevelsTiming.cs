using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Many-level categoricals (issue 14), wall clock through the public API:
/// <c>dotnet run -c Release -- levels [n] [levels] [absorb] [fits]</c> fits n rows of two numeric covariates and one
/// categorical of that many levels (uniform, with level effects of SD 0.5). <c>absorb</c> sets the fewest levels the
/// loop absorbs (1: always the blocked solve; a huge number: always the dense one; default: the library's), so the
/// cross-over can be measured on both sides.
/// </summary>
internal static class LevelsTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int levels = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        if (args.Length > 2) IrlsLoop.AbsorbMinimumLevels = int.Parse(args[2], CultureInfo.InvariantCulture);
        int fits = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var (data, spec, y) = Data(n, levels);
        var times = new List<double>();
        for (int k = 0; k < fits; k++)
        {
            var sw = Stopwatch.StartNew();
            var fit = new LogisticModel(data, spec, y).Fit();
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"n={n} levels={levels} absorb>={IrlsLoop.AbsorbMinimumLevels}: {sw.Elapsed.TotalSeconds:0.000} s, {fit.Iterations} iterations, deviance {fit.Deviance:R}, {fit.Aliased.Count} aliased, x1 {fit["x1"].Estimate:0.000000} (SE {fit["x1"].StdError:0.000000})"));
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {times[times.Count / 2]:0.000} s"));
        return 0;
    }

    internal static (ModelData Data, ModelSpec Spec, double[] Y) Data(int n, int levels, int seed = 14)
    {
        var rng = new Random(seed);
        var effect = Enumerable.Range(0, levels).Select(_ => 0.5 * LogisticData.Gaussian(rng)).ToArray();
        var x1 = new double[n];
        var x2 = new double[n];
        var area = new string?[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int l = rng.Next(levels);
            x1[i] = LogisticData.Gaussian(rng);
            x2[i] = rng.NextDouble();
            area[i] = "A" + l.ToString("D6", CultureInfo.InvariantCulture);
            double eta = -0.5 + 0.4 * x1[i] - 0.3 * x2[i] + effect[l];
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        var data = new ModelData(n).AddNumeric("x1", x1).AddNumeric("x2", x2).AddCategorical("area", area);
        return (data, new ModelSpec(["x1", "x2"], ["area"], []), y);
    }
}

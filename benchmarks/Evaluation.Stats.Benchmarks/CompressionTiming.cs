using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Compressed against uncompressed DiD fits (docs/performance.md, "Compressed fits"):
/// <c>dotnet run -c Release -- compressed [n] [reps] [csv]</c>. The data: 0/1 pilot and post, their interaction, and
/// five categoricals of 10 levels each held as codes with one label per code (as a reader holds them after a load),
/// so up to 4 × 10⁵ patterns. Times, in the same run, the counting pass, the pattern fit, and the uncompressed fast
/// fit from the same columns (both include recoding the codes to sorted levels), best of <c>reps</c>, and checks that the estimates agree. With a
/// third argument, writes the data as CSV there instead (for benchmarks/cross-tool/glm_compressed.R).
/// </summary>
internal static class CompressionTiming
{
    internal static (ModelData Data, ModelSpec Spec, double[] Y) Data(int n, int seed = 19)
    {
        var rng = new Random(seed);
        var pilot = new double[n];
        var post = new double[n];
        var eta = new double[n];
        for (int i = 0; i < n; i++)
        {
            pilot[i] = rng.Next(2); post[i] = rng.Next(2);
            eta[i] = -1 + 0.2 * pilot[i] + 0.1 * post[i] - 0.3 * pilot[i] * post[i];
        }
        var data = new ModelData(n).AddNumeric("pilot", pilot).AddNumeric("post", post);
        var cats = new List<string>();
        for (int c = 0; c < 5; c++)
        {
            // Codes with one label per code, in order of first appearance as a reader interns them (not sorted), so
            // the fits remap the codes to the sorted levels.
            var labels = Enumerable.Range(0, 10).Select(l => $"c{c}l{(l * 7 + c) % 10}").ToArray();
            var v = new int[n];
            for (int i = 0; i < n; i++) { int l = rng.Next(10); v[i] = l; eta[i] += 0.05 * l - 0.2; }
            data.AddCategorical($"c{c}", v, labels);
            cats.Add($"c{c}");
        }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta[i])) ? 1 : 0;
        return (data, new ModelSpec(["pilot", "post"], cats, [("pilot", "post")]), y);
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var (data, spec, y) = Data(n);
        if (args.Length > 2) return Write(args[2], data, spec, y);
        var options = new LogisticOptions();
        double bestCount = double.MaxValue, bestCompressed = double.MaxValue, bestRows = double.MaxValue;
        LogisticResult? compressed = null, rows = null;
        var ratios = new List<double>();
        for (int rep = 0; rep < reps; rep++)
        {
            // A full collection before each timed section, as BenchmarkDotNet forces between iterations: otherwise the
            // hundreds of megabytes the previous uncompressed fit left behind are collected inside the next section.
            Collect();
            var sw = Stopwatch.StartNew();
            var table = CompressedFit.Count(data, spec, y, CompressedInputs.None, options, out _);
            bestCount = Math.Min(bestCount, sw.Elapsed.TotalSeconds);
            Collect();
            sw.Restart();
            compressed = CompressedFit.Fit(data, spec, y, null, options);
            double tc = sw.Elapsed.TotalSeconds;
            bestCompressed = Math.Min(bestCompressed, tc);
            Collect();
            sw.Restart();
            rows = new LogisticModel(data, spec, y).Fit(options);
            double tr = sw.Elapsed.TotalSeconds;
            bestRows = Math.Min(bestRows, tr);
            if (rep > 0) ratios.Add(tr / tc); // the first repetition carries the JIT
            Console.WriteLine($"n={n:N0}: {table.Count:N0} patterns; counting pass {bestCount:0.000} s; compressed (count + fit) {tc:0.000} s; uncompressed fast fit {tr:0.000} s; ratio {tr / tc:0.0}x");
        }
        double worst = 0;
        for (int j = 0; j < rows!.Coefficients.Count; j++)
            worst = Math.Max(worst, Math.Abs(rows.Coefficients[j].StdError!.Value - compressed!.Coefficients[j].StdError!.Value) / rows.Coefficients[j].StdError!.Value
                                  + Math.Abs(rows.Coefficients[j].Estimate!.Value - compressed.Coefficients[j].Estimate!.Value) / Math.Max(1e-3, Math.Abs(rows.Coefficients[j].Estimate!.Value)));
        Console.WriteLine($"best of {reps}: compressed {bestCompressed:0.000} s, uncompressed {bestRows:0.000} s, ratio {bestRows / bestCompressed:0.0}x; largest relative difference (estimates + SEs) {worst:E1}");
        if (ratios.Count > 0)
        {
            ratios.Sort();
            Console.WriteLine($"per-repetition ratios after the first: median {ratios[ratios.Count / 2]:0.0}x, range {ratios[0]:0.0}x to {ratios[^1]:0.0}x");
        }
        Console.WriteLine($"pilot:post {compressed!["pilot:post"].Estimate:0.000000000} ({compressed["pilot:post"].StdError:0.000000000})");
        return 0;
    }

    private static int Write(string path, ModelData data, ModelSpec spec, double[] y)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("y,pilot,post," + string.Join(",", spec.Categorical));
        var cats = spec.Categorical.Select(data.Categorical).ToArray();
        var pilot = data.Numeric("pilot");
        var post = data.Numeric("post");
        for (int i = 0; i < y.Length; i++)
            w.WriteLine($"{y[i]},{pilot[i]},{post[i]},{string.Join(",", cats.Select(c => c[i]))}");
        return 0;
    }
}

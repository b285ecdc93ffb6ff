using System.Diagnostics;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// A quick wall-clock check outside BenchmarkDotNet (for profiling during development; docs/performance.md records
/// the cross-tool script): <c>dotnet run -c Release -- timing [n] [p] [threads] [fits]</c>. Prints each fit on a
/// design built beforehand, then the parts of the route the CLI's <c>logit</c> times as its fit (what statsmodels'
/// <c>Logit(y, X).fit()</c> also covers: the model built from columns already in memory, then fitted): the
/// compressibility check, the model (outcome check), the columnar design, and the fit.
/// </summary>
internal static class Timing
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "tiles") return TimingTiles.Run(args.Skip(1).ToArray());
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int p = args.Length > 1 ? int.Parse(args[1]) : 30;
        int threads = args.Length > 2 ? int.Parse(args[2]) : 0;
        var (data, spec, y) = LogisticData.Dense(n, p);
        var design = FastDesign.Build(data, spec);
        int reps = args.Length > 3 ? int.Parse(args[3]) : 4;
        var options = new LogisticOptions { MaxDegreeOfParallelism = threads };
        var times = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int rep = 0; rep < reps; rep++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var fit = LogisticRegression.Fit(design, y, options);
            times.Add(sw.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpu0).TotalMilliseconds);
            if (rep < 4)
                Console.WriteLine($"n={n} p={p} threads={threads}: {sw.Elapsed.TotalMilliseconds:0} ms, {fit.Iterations} iterations, deviance {fit.Deviance:R}; " +
                    $"JIT so far {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods");
        }
        times.Sort();
        cpu.Sort();
        // CPU time (all threads) moves less than wall time on a loaded machine.
        if (reps > 4) Console.WriteLine($"{reps} fits: min {times[0]:0.0} ms, median {times[reps / 2]:0.0} ms; CPU time min {cpu[0]:0} ms, median {cpu[reps / 2]:0} ms");

        // The CLI's route (LogitModelColumns.Fit): min over the reps of each part.
        double check = double.MaxValue, model = double.MaxValue, build = double.MaxValue, fitOnly = double.MaxValue, whole = double.MaxValue;
        for (int rep = 0; rep < Math.Max(1, reps / 2); rep++)
        {
            var sw = Stopwatch.StartNew();
            bool compressible = CompressedFit.IsCompressible(data, spec, null, options, out _);
            check = Math.Min(check, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var m = new LogisticModel(data, spec, y);
            model = Math.Min(model, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var built = m.FastDesignOf();
            build = Math.Min(build, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            m.Fit(options);
            fitOnly = Math.Min(fitOnly, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            if (CompressedFit.TryFit(data, spec, y, null, options) is null) new LogisticModel(data, spec, y).Fit(options);
            whole = Math.Min(whole, sw.Elapsed.TotalMilliseconds);
            GC.KeepAlive(compressible);
            GC.KeepAlive(built);
        }
        Console.WriteLine($"CLI route, min of {Math.Max(1, reps / 2)}: compressibility check {check:0.0} ms, model {model:0.0} ms, design {build:0.0} ms, fit {fitOnly:0.0} ms; all of it in one go {whole:0.0} ms");
        return 0;
    }
}

using System.Diagnostics;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// A quick wall-clock check outside BenchmarkDotNet (for profiling during development, not for docs/performance.md):
/// <c>dotnet run -c Release -- timing [n] [p] [threads] [fits]</c>.
/// </summary>
internal static class Timing
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int p = args.Length > 1 ? int.Parse(args[1]) : 30;
        int threads = args.Length > 2 ? int.Parse(args[2]) : 0;
        var (data, spec, y) = LogisticData.Dense(n, p);
        var design = FastDesign.Build(data, spec);
        int reps = args.Length > 3 ? int.Parse(args[3]) : 4;
        var times = new List<double>();
        for (int rep = 0; rep < reps; rep++)
        {
            var sw = Stopwatch.StartNew();
            var fit = LogisticRegression.Fit(design, y, new LogisticOptions { MaxDegreeOfParallelism = threads });
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (rep < 4)
                Console.WriteLine($"n={n} p={p} threads={threads}: {sw.Elapsed.TotalMilliseconds:0} ms, {fit.Iterations} iterations, deviance {fit.Deviance:R}; " +
                    $"JIT so far {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods");
        }
        times.Sort();
        if (reps > 4) Console.WriteLine($"{reps} fits: min {times[0]:0.0} ms, median {times[reps / 2]:0.0} ms");
        return 0;
    }
}

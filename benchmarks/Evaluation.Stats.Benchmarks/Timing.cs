using System.Diagnostics;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// A quick wall-clock check outside BenchmarkDotNet (for profiling during development, not for docs/performance.md):
/// <c>dotnet run -c Release -- timing [n] [p] [threads]</c>.
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
        for (int rep = 0; rep < 4; rep++)
        {
            var sw = Stopwatch.StartNew();
            var fit = LogisticRegression.Fit(design, y, new LogisticOptions { MaxDegreeOfParallelism = threads });
            Console.WriteLine($"n={n} p={p} threads={threads}: {sw.Elapsed.TotalMilliseconds:0} ms, {fit.Iterations} iterations, deviance {fit.Deviance:R}");
        }
        return 0;
    }
}

using System.Diagnostics;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// A quick wall-clock check of the DiD model shape outside BenchmarkDotNet (for development, not for
/// docs/performance.md): <c>dotnet run -c Release -- did [n] [threads]</c>. Fits the same model with every dummy
/// expanded as a dense column and with the categoricals as codes, and checks that the two agree.
/// </summary>
internal static class DidTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int threads = args.Length > 1 ? int.Parse(args[1]) : 0;
        int codesOnly = args.Length > 2 ? int.Parse(args[2]) : 0; // > 0: only that many fits of the codes design (for a profiler)
        var (data, spec, y) = LogisticData.DidShape(n);
        var codes = FastDesign.Build(data, spec);
        var columns = Enumerable.Range(0, codes.TermNames.Count).Select(_ => new double[n]).ToArray();
        var row = new double[codes.TermNames.Count];
        for (int i = 0; i < n; i++) { codes.FillRow(i, row); for (int j = 0; j < row.Length; j++) columns[j][i] = row[j]; }
        var dense = FastDesign.FromColumns(columns, codes.TermNames);
        var options = new LogisticOptions { MaxDegreeOfParallelism = threads };
        if (codesOnly > 0)
        {
            LogisticRegression.Fit(codes, y, options);
            var times = new List<double>();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int rep = 0; rep < codesOnly; rep++)
            {
                var sw = Stopwatch.StartNew();
                LogisticRegression.Fit(codes, y, options);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / codesOnly;
            long before = GC.GetTotalAllocatedBytes(true);
            LogisticRegression.Fit(codes, y, options);
            Console.WriteLine($"allocated per fit: {(GC.GetTotalAllocatedBytes(true) - before) / 1e6:0.0} MB, gen2 collections so far {GC.CollectionCount(2)}");
            Console.WriteLine($"n={n}: {codesOnly} fits of the codes design: min {times[0]:0.0} ms, median {times[times.Count / 2]:0.0} ms, CPU {cpu:0.0} ms per fit");
            return 0;
        }
        LogisticResult? a = null, b = null;
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            a = LogisticRegression.Fit(dense, y, options);
            double td = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            b = LogisticRegression.Fit(codes, y, options);
            double tc = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"n={n}: dense dummies {td:0} ms, codes {tc:0} ms ({td / tc:0.00}x), {b.Iterations} iterations");
        }
        double worst = 0;
        for (int j = 0; j < a!.Coefficients.Count; j++)
            worst = Math.Max(worst, Math.Abs(a.Coefficients[j].Estimate!.Value - b!.Coefficients[j].Estimate!.Value) / Math.Max(1e-300, Math.Abs(a.Coefficients[j].Estimate!.Value)));
        Console.WriteLine($"largest relative difference in coefficients: {worst:E2}");
        return 0;
    }
}

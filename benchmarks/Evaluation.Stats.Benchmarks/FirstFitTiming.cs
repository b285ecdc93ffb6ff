using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// First-fit latency (issue 14) as a package user meets it: in this fresh process, with no warm-up, the first fit of
/// n × p through the public API, then <c>fits</c> more of the same model (the steady state):
/// <c>dotnet run -c Release -- firstfit [n] [p] [fits]</c>. Prints the first, the median of the rest and their ratio.
/// Run it several times (each run is a new process); benchmarks/first-fit.sh does.
/// </summary>
internal static class FirstFitTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 900_000;
        int p = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
        int fits = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var (data, spec, y) = LogisticData.Dense(n, p);
        var model = new LogisticModel(data, spec, y);
        _ = model.TermNames; // the design is built before the clock starts, as a user's would be when the data are loaded
        var sw = Stopwatch.StartNew();
        model.Fit();
        double first = sw.Elapsed.TotalSeconds;
        var steady = new List<double>();
        for (int k = 0; k < fits; k++)
        {
            sw.Restart();
            model.Fit();
            steady.Add(sw.Elapsed.TotalSeconds);
        }
        steady.Sort();
        double median = steady[steady.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n={n} p={p}: first fit {first:0.000} s, steady median {median:0.000} s, ratio {first / median:0.00}"));
        return 0;
    }
}

using System.Diagnostics;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Interleaved wall-clock check of the series against one classification (issue 16's ratio), for a shared machine where
/// BenchmarkDotNet's separate blocks of iterations see different loads: <c>dotnet run -c Release -- trends [journeys] [pairs of runs]</c>.
/// Each pair runs one classification then the series back to back; it prints the medians and the median of the pairs' ratios.
/// </summary>
internal static class TrendTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int runs = args.Length > 1 ? int.Parse(args[1]) : 30;
        var data = SyntheticData.Generate(SyntheticData.DemoSeed, Math.Max(1, (int)(n / 16.8)));
        var table = JourneyTable.From(data.Journeys);
        var one = new List<double>();
        var series = new List<double>();
        var ratios = new List<double>();
        long sink = 0;
        for (int rep = -3; rep < runs; rep++) // three warm-up pairs
        {
            var sw = Stopwatch.StartNew();
            var codes = FastJourneyClassifier.ClassifyCodes(table, StudyDesign.Dscp.Pre, JourneyOutcome.EffectiveTreatment, data.Design.Rules, data.Design.Pairs, null, out _, out _);
            foreach (var c in codes) if (c == 1) sink++;
            double a = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var s = Trends.Trends.Series(data.Design, table);
            foreach (var p in s.Points) sink += p.EffectiveTreatment?.Events ?? 0;
            double b = sw.Elapsed.TotalMilliseconds;
            if (rep < 0) continue;
            one.Add(a); series.Add(b); ratios.Add(b / a);
        }
        static double Median(List<double> x) { x.Sort(); return x.Count % 2 == 1 ? x[x.Count / 2] : (x[x.Count / 2 - 1] + x[x.Count / 2]) / 2; }
        Console.WriteLine($"{table.Count:N0} journeys, {runs} interleaved pairs: one classification median {Median(one):0.0} ms, " +
                          $"series median {Median(series):0.0} ms, median ratio {Median(ratios):0.00} (checksum {sink})");
        return 0;
    }
}

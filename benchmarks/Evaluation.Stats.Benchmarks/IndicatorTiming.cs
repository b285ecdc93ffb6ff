using System.Diagnostics;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- indicators [journeys] [rounds]</c>: the four <see cref="IndicatorBenchmarks"/> methods in
/// alternating rounds in one process, printing each round and the median ratios, so that on a shared machine both
/// sides of each ratio see the same load.
/// </summary>
internal static class IndicatorTiming
{
    public static int Run(string[] args)
    {
        int journeys = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int rounds = args.Length > 1 ? int.Parse(args[1]) : 7;
        var b = new IndicatorBenchmarks { Journeys = journeys };
        b.Setup();
        var methods = new (string Name, Func<int> Run)[]
        {
            ("journey classification", b.JourneyClassification), ("indicator classification", b.IndicatorClassification),
            ("Evaluator.Journeys", b.JourneyEvaluation), ("IndicatorEvaluator.Evaluate", b.IndicatorEvaluation),
        };
        foreach (var m in methods) m.Run(); // warm-up (JIT)
        var times = methods.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < methods.Length; k++)
            {
                var clock = Stopwatch.StartNew();
                methods[k].Run();
                times[k].Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"round {r + 1}: " + string.Join("; ", methods.Select((m, k) => $"{m.Name} {times[k][^1]:0} ms")));
        }
        double Median(List<double> x) { var s = x.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
        var ratioClass = times[1].Zip(times[0], (a, c) => a / c).ToList();
        var ratioEval = times[3].Zip(times[2], (a, c) => a / c).ToList();
        Console.WriteLine($"medians: " + string.Join("; ", methods.Select((m, k) => $"{m.Name} {Median(times[k]):0} ms")));
        Console.WriteLine($"per-round ratio, classification: median {Median(ratioClass):0.00} (range {ratioClass.Min():0.00} to {ratioClass.Max():0.00})");
        Console.WriteLine($"per-round ratio, whole evaluation: median {Median(ratioEval):0.00} (range {ratioEval.Min():0.00} to {ratioEval.Max():0.00})");
        return 0;
    }
}

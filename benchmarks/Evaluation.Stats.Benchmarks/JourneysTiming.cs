using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Where `evalstats journeys` spends its time: <c>journeys FILE DESIGN [reps]</c> times, in-process after one untimed
/// run (JIT), the read of the journeys CSV, the evaluation (classification, cells, ledger, adjusted models, wild
/// bootstrap) and the programme-level analysis, each the best of <c>reps</c>, in seconds.
/// </summary>
internal static class JourneysTiming
{
    public static int Run(string[] args)
    {
        var file = args[0];
        var design = DesignFile.Load(args[1]);
        int reps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var stages = new Dictionary<string, double>();
        for (int r = 0; r <= reps; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            void Lap(string name)
            {
                if (r > 0) stages[name] = Math.Min(stages.GetValueOrDefault(name, double.MaxValue), clock.Elapsed.TotalSeconds);
                clock.Restart();
            }
            var data = Readers.JourneySet(file, new ReadOptions());
            Lap("read");
            var result = Evaluator.Journeys(design, data);
            Lap("evaluate");
            var programme = Programme.Analyse(result);
            Lap("programme");
            GC.KeepAlive(programme);
        }
        foreach (var (name, seconds) in stages) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {seconds:0.000}"));
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Data;
using Evaluation.Stats.Inference;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Where `evalstats journeys` spends its time: <c>journeys FILE DESIGN [reps]</c> times the read of the journeys CSV,
/// the evaluation (classification, cells, ledger, adjusted models, wild bootstrap) and the programme-level analysis:
/// first the cold run (what a fresh process pays, JIT included), then each stage's best of <c>reps</c> warm runs, in
/// seconds of wall clock and of the process's CPU time (all threads; on a loaded machine the CPU time is the steadier
/// figure, and CPU over wall shows how well the stage uses the cores).
/// </summary>
internal static class JourneysTiming
{
    public static int Run(string[] args)
    {
        var file = args[0];
        var design = DesignFile.Load(args[1]);
        int reps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var stages = new Dictionary<string, (double Wall, double Cpu)>();
        var process = Process.GetCurrentProcess();
        for (int r = 0; r <= reps; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            void Lap(string name)
            {
                process.Refresh();
                double wall = clock.Elapsed.TotalSeconds, used = (process.TotalProcessorTime - cpu).TotalSeconds;
                if (r == 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold {name} {wall:0.000} s (cpu {used:0.000} s; GC pauses so far {GC.GetTotalPauseDuration().TotalSeconds:0.000} s, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; JIT so far {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.000} s, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods)"));
                else if (!stages.TryGetValue(name, out var best) || wall < best.Wall) stages[name] = (wall, used);
                cpu = process.TotalProcessorTime;
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
        foreach (var (name, (wall, cpu)) in stages) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm {name} {wall:0.000} s (cpu {cpu:0.000} s)"));
        return 0;
    }
}

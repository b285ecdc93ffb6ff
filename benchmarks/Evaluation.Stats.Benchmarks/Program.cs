using BenchmarkDotNet.Running;

namespace Evaluation.Stats.Benchmarks;

internal static class Program
{
    /// <summary>Runs the benchmarks chosen by BenchmarkDotNet's arguments (for example --filter '*'). Exits non-zero when a benchmark fails.</summary>
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "timing") return Timing.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "did") return DidTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "compressed") return CompressionTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "ingest") return IngestTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "classify") return ClassifyTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "trends") return TrendTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "levels") return LevelsTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "firstfit") return FirstFitTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "journeys") return JourneysTiming.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "indicators") return IndicatorTiming.Run(args.Skip(1).ToArray());
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

namespace Evaluation.Stats.Benchmarks;

/// <summary>The journey counts a benchmark runs: the comma-separated list in <c>EVALSTATS_BENCH_JOURNEYS</c>, else its defaults.</summary>
internal static class JourneySizes
{
    public static IEnumerable<int> FromEnvironment(params int[] defaults) =>
        Environment.GetEnvironmentVariable("EVALSTATS_BENCH_JOURNEYS") is { Length: > 0 } list ? list.Split(',').Select(int.Parse) : defaults;
}

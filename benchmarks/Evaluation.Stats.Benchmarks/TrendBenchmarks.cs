using BenchmarkDotNet.Attributes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Trends;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// The series of methodology §11 (issue 16's target): 1M synthetic DSCP-like journeys, 14 quarters × 2 arms × 6 pairs,
/// against one fast classification of the same table (one outcome in one window) as the baseline. The target is a
/// ratio of at most 3. Also the reference series on a smaller table, to show what the single pass saves.
/// </summary>
[MemoryDiagnoser]
public class TrendBenchmarks
{
    private JourneyTable _table = null!;
    private EvaluationDesign _design = null!;

    /// <summary>Journeys, approximately (about 16.8 per client per area): 1M, or the sizes in <c>EVALSTATS_BENCH_JOURNEYS</c>.</summary>
    [ParamsSource(nameof(Sizes))]
    public int Journeys { get; set; }

    /// <summary>The sizes to run.</summary>
    public static IEnumerable<int> Sizes() =>
        JourneySizes.FromEnvironment(1_000_000);

    [GlobalSetup]
    public void Setup()
    {
        var data = SyntheticData.Generate(SyntheticData.DemoSeed, Math.Max(1, (int)(Journeys / 16.8)));
        _design = data.Design;
        _table = JourneyTable.From(data.Journeys);
        OneClassification(); // builds the per-table client grouping (cached in the table, shared by both) outside the timing
    }

    [Benchmark(Baseline = true, Description = "one classification (fast; effective treatment, pre window)")]
    public int OneClassification()
    {
        var codes = FastJourneyClassifier.ClassifyCodes(_table, StudyDesign.Dscp.Pre, JourneyOutcome.EffectiveTreatment, _design.Rules, _design.Pairs, null, out _, out _);
        int events = 0;
        foreach (var c in codes) if (c == 1) events++;
        return events;
    }

    [Benchmark(Description = "series (fast; 14 quarters x 2 arms x 6 pairs, 5 measures)")]
    public long Series()
    {
        var series = Trends.Trends.Series(_design, _table);
        long events = 0;
        foreach (var p in series.Points) events += p.EffectiveTreatment?.Events ?? 0;
        return events;
    }
}

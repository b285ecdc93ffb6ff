using BenchmarkDotNet.Attributes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Journey classification (methodology §2): two outcomes (effective treatment, successful completion) in two windows,
/// on synthetic DSCP-like journeys. Reference (records, baseline) against fast (columnar table in memory).
/// </summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private IReadOnlyList<Journey> _journeys = [];
    private JourneyTable _table = null!;
    private EvaluationDesign _design = null!;
    private static readonly JourneyOutcome[] Outcomes = [JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion];
    private static readonly DateWindow[] Windows = [StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post];

    /// <summary>
    /// Journeys, approximately (the generator makes about 16.8 journeys per client per area and 1,000): 10k, 100k, 1M
    /// and 10M, or only the sizes listed in <c>EVALSTATS_BENCH_JOURNEYS</c> (comma-separated), since the reference
    /// takes about 8 s a run at 10M.
    /// </summary>
    [ParamsSource(nameof(Sizes))]
    public int Journeys { get; set; }

    /// <summary>The sizes to run (see <see cref="Journeys"/>).</summary>
    public static IEnumerable<int> Sizes() =>
        JourneySizes.FromEnvironment(10_000, 100_000, 1_000_000, 10_000_000);

    [GlobalSetup]
    public void Setup()
    {
        var data = SyntheticData.Generate(SyntheticData.DemoSeed, Math.Max(1, (int)(Journeys / 16.8)));
        _journeys = data.Journeys;
        _design = data.Design;
        _table = JourneyTable.From(_journeys);
    }

    [Benchmark(Baseline = true, Description = "reference (records)")]
    public int Reference()
    {
        int events = 0;
        foreach (var outcome in Outcomes)
            foreach (var w in Windows)
                foreach (var s in JourneyClassifier.Classify(_journeys, w, outcome, _design.Rules, _design.Pairs))
                    if (s.IsEvent) events++;
        return events;
    }

    [Benchmark(Description = "fast (columnar, the four analyses in shared passes)")]
    public int Fast()
    {
        int events = 0;
        var analyses = Outcomes.SelectMany(o => Windows.Select(w => (w, o))).ToArray();
        foreach (var codes in FastJourneyClassifier.ClassifyManyCodes(_table, analyses, _design.Rules, _design.Pairs, null, out _, out _))
            foreach (var c in codes)
                if (c == 1) events++;
        return events;
    }
}

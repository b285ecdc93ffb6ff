using BenchmarkDotNet.Attributes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Journey classification (methodology §2) on synthetic DSCP-like data. The reference implementation is the
/// baseline; the fast path (issue 5) will be added beside it as a second benchmark method.
/// </summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private IReadOnlyList<Journey> _journeys = [];
    private EvaluationDesign _design = null!;

    /// <summary>Clients per area; the data set has about 17 journeys per 1,000 clients per area × 13 areas.</summary>
    [Params(1_000, 10_000)]
    public int ClientsPerArea { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = SyntheticData.Generate(SyntheticData.DemoSeed, ClientsPerArea);
        _journeys = data.Journeys;
        _design = data.Design;
    }

    [Benchmark(Baseline = true, Description = "reference: effective treatment, post window")]
    public int ReferenceEffectiveTreatment()
    {
        var status = JourneyClassifier.Classify(_journeys, StudyDesign.Dscp.Post, JourneyOutcome.EffectiveTreatment, _design.Rules, _design.Pairs);
        int events = 0;
        foreach (var s in status) if (s.IsEvent) events++;
        return events;
    }

    [Benchmark(Description = "reference: all journey outcomes, both windows, with ledger")]
    public int ReferenceEvaluateJourneys() =>
        Evaluator.Journeys(_design, new RecordSet<Journey>(_journeys)).Exclusions.Entries.Count;
}

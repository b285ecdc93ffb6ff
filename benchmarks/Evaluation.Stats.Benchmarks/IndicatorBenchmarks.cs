using BenchmarkDotNet.Attributes;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// The national indicators (methodology §13) against today's three journey outcomes on the same 1M journeys (the
/// indicator synthetic data, with waiting dates), fast paths only: the classification layer (every analysis's row
/// statuses) and the whole evaluation without covariates (cells, DiD, the logistic DiD of each pair, ledger). The
/// issue's target is a ratio of at most 2.
/// </summary>
[MemoryDiagnoser]
public class IndicatorBenchmarks
{
    private IReadOnlyList<Journey> _journeys = [];
    private JourneyTable _table = null!;
    private IndicatorTable _indicatorTable = null!;
    private EvaluationDesign _design = null!;
    private static readonly DateWindow[] Windows = [StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post];
    private static readonly JourneyOutcome[] Outcomes = [JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion, JourneyOutcome.SuccessfulCompletionOfCaseload];

    /// <summary>About 1M journeys unless <c>EVALSTATS_BENCH_JOURNEYS</c> lists other sizes.</summary>
    [ParamsSource(nameof(Sizes))]
    public int Journeys { get; set; }

    /// <summary>The sizes to run.</summary>
    public static IEnumerable<int> Sizes() =>
        JourneySizes.FromEnvironment(1_000_000);

    [GlobalSetup]
    public void Setup()
    {
        // The indicator generator makes about 17.6 journeys per client per area.
        var data = IndicatorData.Generate(IndicatorData.DemoSeed, Math.Max(1, (int)(Journeys / 17.6)));
        _journeys = data.Journeys;
        _design = data.Design with { Covariates = CovariateSpec.None };
        _table = JourneyTable.From(_journeys);
        _indicatorTable = IndicatorTable.From(_journeys);
    }

    [Benchmark(Baseline = true, Description = "journeys: three outcomes x two windows, row statuses (fast)")]
    public int JourneyClassification()
    {
        var analyses = Outcomes.SelectMany(o => Windows.Select(w => (w, o))).ToArray();
        return FastJourneyClassifier.ClassifyMany(_table, analyses, _design.Rules, _design.Pairs).Sum(s => s.Length);
    }

    [Benchmark(Description = "indicators: 2 R + time + waits x two windows, row statuses (fast)")]
    public int IndicatorClassification()
    {
        var c = FastIndicatorClassifier.Classify(_indicatorTable, Windows, _design.Rules, _design.Pairs, IndicatorOptions.Default);
        return c.Representation.Sum(r => r.Count) + c.TimeInTreatment.Count + c.Waiting.Count;
    }

    [Benchmark(Description = "Evaluator.Journeys (whole, no covariates, fast)")]
    public int JourneyEvaluation() =>
        Evaluator.Journeys(_design, new RecordSet<Journey>(_journeys), Implementation.Fast).Pairs.Count;

    [Benchmark(Description = "IndicatorEvaluator.Evaluate (whole, no covariates, no TOP, fast)")]
    public int IndicatorEvaluation() =>
        IndicatorEvaluator.Evaluate(_design, new RecordSet<Journey>(_journeys), null, null, Implementation.Fast).TimeInTreatment.Count;
}

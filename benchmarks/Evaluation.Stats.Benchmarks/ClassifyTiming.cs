using System.Diagnostics;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Benchmarks;

/// <summary>Quick wall-clock check of the fast classifier (development only): <c>dotnet run -c Release -- classify [journeys] [runs]</c>.</summary>
internal static class ClassifyTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var data = SyntheticData.Generate(SyntheticData.DemoSeed, Math.Max(1, (int)(n / 16.8)));
        var table = JourneyTable.From(data.Journeys);
        int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
        var times = new List<double>();
        for (int rep = 0; rep < runs; rep++)
        {
            var sw = Stopwatch.StartNew();
            int events = 0;
            var analyses = new[] { JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion }
                .SelectMany(o => new[] { StudyDesign.Dscp.Pre, StudyDesign.Dscp.Post }.Select(w => (w, o))).ToArray();
            foreach (var codes in FastJourneyClassifier.ClassifyManyCodes(table, analyses, data.Design.Rules, data.Design.Pairs, null, out _, out _))
                foreach (var c in codes)
                    if (c == 1) events++;
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (rep < 5) Console.WriteLine($"{table.Count:N0} journeys, {table.ClientCount:N0} clients: {sw.Elapsed.TotalMilliseconds:0.0} ms ({events} events)");
        }
        times.Sort();
        if (runs > 5) Console.WriteLine($"{runs} runs: min {times[0]:0.0} ms, median {times[runs / 2]:0.0} ms");
        return 0;
    }
}

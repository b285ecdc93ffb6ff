using Evaluation.Stats.Data;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Tests;

/// <summary>The README's C# example, run on the demo journeys (the README reads "journeys.csv").</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_Runs()
    {
        var path = CliTests.Fixture("demo", "journeys.csv");
        var design = new EvaluationDesign(StudyDesign.Dscp, [new AreaPair("site 2", ["P2"], ["C2"])]);
        RecordSet<Journey> journeys = Readers.Journeys(path, new ReadOptions { OnBadRows = BadRowPolicy.Stop });
        EvaluationResult result = Evaluator.Journeys(design, journeys);
        DidResult did = result.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Did;
        Assert.Contains("95% CI", did.RiskDifference.ToString());
        Assert.Contains("ATT", result.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Adjusted!.ToString());
        Assert.Contains("effectiveTreatment/pre", result.Exclusions.ToString());

        var cells = new PairCells(new Cell(200, 100), new Cell(250, 150), new Cell(300, 120), new Cell(280, 126));
        Assert.StartsWith("site 2: DiD 0.0500", DidEstimator.Estimate("site 2", cells).ToString());
    }
}

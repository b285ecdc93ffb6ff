using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Tests;

/// <summary>
/// A formula's categorical terms reach the fast engine as code columns (FormulaDesign.ToFastDesign): on every R
/// formula fixture (fixtures/formula: make_fixtures.R, whose model matrices FormulaReferenceTests checks), the fit on
/// the code columns equals the fit on the same design's dense columns to 1e-10, with and without prior weights and
/// an offset; both match the reference engine.
/// </summary>
[Trait("Category", "FastPath")]
public class FormulaCodesTests
{
    public static TheoryData<string, string> Cases() => FormulaReferenceTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void CodeColumns_FitAsTheDenseColumns(string name, string formula)
    {
        var data = FormulaReferenceTests.Data();
        var design = ModelFormula.Parse(formula).Expand(data);
        var fast = design.ToFastDesign();
        // Every level indicator of a categorical term alone is a code column, not a dense one.
        int alone = ModelFormula.Parse(formula).Terms.Count(t => t.Count == 1 && design.Levels.ContainsKey(ModelFormula.Parse(formula).Variables[t[0]].Name));
        Assert.Equal(alone, fast.Codes.Length);
        Assert.Equal(design.TermNames.Count - fast.Parameters.Count(p => p.Dense < 0), fast.DenseCount);

        var y = data.Numeric("y").Select(v => v > 0 ? 1.0 : 0.0).ToArray(); // the fixture's y is continuous: its sign as a 0/1 outcome
        var rng = new Random(name.Length);
        var weights = Enumerable.Range(0, y.Length).Select(_ => 1.0 + rng.Next(4)).ToArray();
        var offset = Enumerable.Range(0, y.Length).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var denseDesign = FastDesign.FromColumns(design.Columns, design.TermNames);
        foreach (var (w, o) in new[] { (null, null), (weights, offset) })
        {
            var options = new LogisticOptions { Implementation = Implementation.Fast };
            var codes = design.Logistic(y, w, o).Fit(options);
            var dense = new LogisticModel(denseDesign, y, w, o).Fit(options);
            var reference = design.Logistic(y, w, o).Fit(options with { Implementation = Implementation.Reference });
            Assert.Null(FastWeightedAgreementTests.Disagreement(dense, codes));
            Assert.Null(FastWeightedAgreementTests.Disagreement(reference, codes));
        }
    }
}

using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Trends;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The trend models of methodology §11 and grouped-binomial fitting against R's glm
/// (fixtures/trends/trend_models.R on trend_cells.csv, output trend_expected.csv), to 1e-6 relative.
/// </summary>
public class TrendModelTests
{
    private const double Tolerance = 1e-6;
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "trends");

    private static (IReadOnlyList<TrendInterval> Intervals, IntervalCell[] Cells) Case(string name)
    {
        var rows = File.ReadAllLines(Path.Combine(Dir, "trend_cells.csv")).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == name).ToArray();
        var intervals = rows.GroupBy(f => int.Parse(f[1], CultureInfo.InvariantCulture)).OrderBy(g => g.Key).Select(g =>
        {
            var f = g.First();
            var start = DateOnly.ParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var phase = f[2] switch { "pre" => IntervalPhase.Pre, "gap" => IntervalPhase.Gap, _ => IntervalPhase.Post };
            return new TrendInterval(g.Key, start, start.AddMonths(3).AddDays(-1), phase);
        }).ToArray();
        var cells = rows.Select(f => new IntervalCell(int.Parse(f[1], CultureInfo.InvariantCulture), f[4] == "pilot" ? Group.Pilot : Group.Comparison,
            new Cell(long.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture)))).ToArray();
        return (intervals, cells);
    }

    private static Dictionary<(string Case, string Model, string Term), double[]> Expected() =>
        File.ReadAllLines(Path.Combine(Dir, "trend_expected.csv")).Skip(1).Select(l => l.Replace("\"", "").Split(','))
            .ToDictionary(f => (f[0], f[1], f[2]), f => f.Skip(3).Select(x => x == "NA" ? double.NaN : double.Parse(x, CultureInfo.InvariantCulture)).ToArray());

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Max(Math.Abs(expected), 1e-300) || Math.Abs(actual - expected) < 1e-12,
            $"{what}: expected {expected:R}, got {actual:R}");

    public static TheoryData<string> Cases => new() { "parallel", "diverging", "effect", "small", "extreme" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PreTrend_MatchesRGlm_EveryCoefficientAndFitStatistic(string name)
    {
        var (intervals, cells) = Case(name);
        var expected = Expected();
        var test = TrendModels.PreTrend(intervals, cells, out var why);
        Assert.Null(why);
        Assert.NotNull(test);
        var d = expected[(name, "preTrend", "pilot:t")];
        Close(d[0], test!.Estimate, "d");
        Close(d[1], test.StdError, "SE(d)");
        Close(d[2], test.ZValue, "z(d)");
        Close(d[3], test.PValue, "p(d)");
        foreach (var term in new[] { "(Intercept)", "pilot", "t", "pilot:t" })
        {
            var e = expected[(name, "preTrend", term)];
            Close(e[0], test.Fit[term].Estimate!.Value, term);
            Close(e[1], test.Fit[term].StdError!.Value, $"SE {term}");
        }
        Close(expected[(name, "preTrendFit", "deviance")][0], test.Fit.Deviance, "deviance");
        Close(expected[(name, "preTrendFit", "nullDeviance")][0], test.Fit.NullDeviance, "null deviance");
        Close(expected[(name, "preTrendFit", "logLik")][0], test.Fit.LogLikelihood, "log-likelihood");
        Close(expected[(name, "preTrendFit", "aic")][0], test.Fit.Aic, "AIC");
        Assert.Equal(6, test.Intervals.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EventStudy_MatchesRGlm_EveryDelta(string name)
    {
        var (intervals, cells) = Case(name);
        var expected = Expected().Where(kv => kv.Key.Case == name && kv.Key.Model == "eventStudy").ToDictionary(kv => kv.Key.Term, kv => kv.Value);
        var study = TrendModels.EventStudy(intervals, cells, out var why, out var warnings);
        Assert.Null(why);
        Assert.Equal("2009-01-01", study!.Reference.Name); // the last pre quarter
        Assert.Equal(intervals.Count, study.Coefficients.Count);
        int compared = 0;
        foreach (var c in study.Coefficients.Where(c => !c.IsReference))
        {
            if (!expected.TryGetValue(c.Interval.Name, out var e)) { Assert.Null(c.Estimate); continue; }
            Close(e[0], c.Estimate!.Value, $"delta {c.Interval.Name}");
            Close(e[1], c.StdError!.Value, $"SE {c.Interval.Name}");
            Close(e[3], c.PValue!.Value, $"p {c.Interval.Name}");
            Assert.True(c.CiLower < c.Estimate && c.Estimate < c.CiUpper);
            compared++;
        }
        Assert.Equal(expected.Count, compared);
        if (name == "extreme")
        {
            // The pilot's 0 events in 2010-04-01 make that delta infinite: absent, with a warning naming the interval.
            Assert.Null(study.Coefficients.Single(c => c.Interval.Name == "2010-04-01").Estimate);
            Assert.Contains(warnings, w => w.Contains("2010-04-01", StringComparison.Ordinal));
            Assert.Equal(12, compared);
        }
        else Assert.Equal(13, compared);
    }

    [Fact]
    public void EventStudy_IsSaturated_SoEachDeltaIsTheCellsLogOddsDid()
    {
        // An independent check of the glm route: with one cell per arm and interval, δₖ is the log-odds DiD of interval k
        // against the reference (methodology §5's log-odds interaction), SE √Σ(1/e + 1/(n − e)).
        var (intervals, cells) = Case("effect");
        var study = TrendModels.EventStudy(intervals, cells, out _, out _)!;
        Cell At(int k, Group g) => cells.Single(c => c.Interval == k && c.Arm == g).Cell;
        int r = study.Reference.Index;
        foreach (var c in study.Coefficients.Where(c => !c.IsReference))
        {
            int k = c.Interval.Index;
            var did = DidEstimator.LogOddsInteraction(new PairCells(At(r, Group.Pilot), At(k, Group.Pilot), At(r, Group.Comparison), At(k, Group.Comparison)))!;
            Assert.Equal(did.Estimate, c.Estimate!.Value, 1e-8);
            Assert.Equal(did.StdError, c.StdError!.Value, 1e-8);
        }
    }

    [Fact]
    public void PreTrend_WithFewerThanThreePreIntervals_IsAbsentWithAWarning()
    {
        var (intervals, cells) = Case("parallel");
        // Empty the pilot's cells in all but two pre quarters.
        var thinned = cells.Select(c => c.Arm == Group.Pilot && c.Interval is >= 2 and <= 5 ? c with { Cell = new Cell(0, 0) } : c).ToArray();
        Assert.Null(TrendModels.PreTrend(intervals, thinned, out var why));
        Assert.Contains("needs at least 3", why);
        var three = cells.Select(c => c.Arm == Group.Pilot && c.Interval is >= 3 and <= 5 ? c with { Cell = new Cell(0, 0) } : c).ToArray();
        Assert.NotNull(TrendModels.PreTrend(intervals, three, out why));
        Assert.Null(why);
    }

    [Fact]
    public void GroupedFit_EqualsTheFitOfTheExpandedZeroOneRows()
    {
        // The route to fast fits on compressed data: the same coefficients and SEs as the 0/1 rows the groups stand for.
        var (_, cells) = Case("small");
        var rows = cells.Where(c => c.Interval < 6).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Length, 3, (i, j) => j == 0 ? 1 : j == 1 ? (rows[i].Arm == Group.Pilot ? 1 : 0) : rows[i].Interval);
        string[] names = ["(Intercept)", "pilot", "t"];
        var grouped = LogisticRegression.FitGrouped(x, names, rows.Select(r => r.Cell.Events).ToArray(), rows.Select(r => r.Cell.N).ToArray());
        var expanded = rows.SelectMany(r => Enumerable.Range(0, (int)r.Cell.N).Select(i => (Row: r, Y: i < r.Cell.Events ? 1.0 : 0.0))).ToArray();
        var xe = Matrix<double>.Build.Dense(expanded.Length, 3, (i, j) => j == 0 ? 1 : j == 1 ? (expanded[i].Row.Arm == Group.Pilot ? 1 : 0) : expanded[i].Row.Interval);
        var ungrouped = LogisticRegression.Fit(xe, names, expanded.Select(e => e.Y).ToArray(), new LogisticOptions { Implementation = Implementation.Reference });
        foreach (var term in names)
        {
            Assert.Equal(ungrouped[term].Estimate!.Value, grouped[term].Estimate!.Value, 1e-8);
            Assert.Equal(ungrouped[term].StdError!.Value, grouped[term].StdError!.Value, 1e-8);
        }
        // The deviances differ by the saturated model's constant, so likelihood-ratio differences agree.
        Assert.Equal(ungrouped.NullDeviance - ungrouped.Deviance, grouped.NullDeviance - grouped.Deviance, 1e-7);
    }

    [Fact]
    public void GroupedFit_RejectsBadCounts_SayingWhichRow()
    {
        var x = Matrix<double>.Build.Dense(2, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => LogisticRegression.FitGrouped(x, ["(Intercept)"], [3, 1], [2, 4]));
        Assert.Contains("Row 1 has 3 events in 2 trials", e.Message);
        e = Assert.Throws<ArgumentException>(() => LogisticRegression.FitGrouped(x, ["(Intercept)"], [0, 1], [0, 4]));
        Assert.Contains("Row 1 has 0 trials", e.Message);
    }

    [Fact]
    public void GroupedFirth_EqualsFirthOnTheExpandedRecords()
    {
        // Firth's fit of grouped rows (brglm2's adjusted score) is that of the same rows expanded to 0/1 records.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 1 } });
        long[] events = [1, 3, 0], trials = [2, 3, 4];
        var grouped = LogisticRegression.FitGrouped(x, ["(Intercept)", "g"], events, trials, new LogisticOptions { Firth = true });
        var rows = Enumerable.Range(0, 3).SelectMany(i => Enumerable.Range(0, (int)trials[i]).Select(k => (Row: i, Y: k < events[i] ? 1.0 : 0.0))).ToArray();
        var expanded = new LogisticModel(Matrix<double>.Build.Dense(rows.Length, 2, (i, j) => x[rows[i].Row, j]), ["(Intercept)", "g"], rows.Select(r => r.Y).ToArray())
            .Fit(new LogisticOptions { Firth = true, Implementation = Implementation.Reference });
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(expanded.Coefficients[k].Estimate!.Value, grouped.Coefficients[k].Estimate!.Value, 1e-8);
            Assert.Equal(expanded.Coefficients[k].StdError!.Value, grouped.Coefficients[k].StdError!.Value, 1e-8);
        }
    }

    [Fact]
    public void Placebo_IsTheSection5EstimatorOnTheHalfWindowCells()
    {
        var data = Data.Synthetic.SyntheticData.Generate(17, 400);
        var analysis = Trends.Trends.Analyze(data.Design, new RecordSet<Journey>(data.Journeys));
        var (earlier, later) = Trends.Trends.PlaceboHalves(data.Design.Study);
        Assert.Equal(new DateWindow(new(2007, 10, 1), new(2008, 6, 30)), earlier);
        Assert.Equal(new DateWindow(new(2008, 7, 1), new(2009, 3, 31)), later);
        // Independently: the §5 DiD of an evaluation whose windows are the two halves.
        var halves = new EvaluationDesign(new StudyDesign(earlier, later), data.Design.Pairs) { Rules = data.Design.Rules };
        var direct = Evaluator.Journeys(halves, new RecordSet<Journey>(data.Journeys), Implementation.Reference);
        for (int p = 0; p < data.Design.Pairs.Count; p++)
            foreach (var outcome in TrendSeries.Outcomes)
            {
                var placebo = analysis.Pairs[p].Outcomes[outcome].Placebo!;
                var expected = direct.Pairs[p].Outcomes[outcome].Did;
                Assert.Equal(expected.Cells, placebo.Cells);
                Assert.Equal(expected.RiskDifference, placebo.RiskDifference);
            }
        // The halves' analyses are in the ledger and balance.
        foreach (var a in new[] { "effectiveTreatment/placeboPre", "successfulCompletionOfCaseload/placeboPost" })
            Assert.Equal(data.Journeys.Count, analysis.Exclusions.InputRows(a));
        long inCells = analysis.Pairs.Sum(x => x.Outcomes["effectiveTreatment"].Placebo!.Cells.PilotPre.N + x.Outcomes["effectiveTreatment"].Placebo!.Cells.ComparisonPre.N);
        Assert.Equal(data.Journeys.Count, inCells + analysis.Exclusions.ExcludedRows("effectiveTreatment/placeboPre"));
    }

    [Fact]
    public void Analyze_FiscalYears_HasNoPreTrend_AndSaysWhy()
    {
        var data = Data.Synthetic.SyntheticData.Generate(17, 200);
        var analysis = Trends.Trends.Analyze(data.Design, new RecordSet<Journey>(data.Journeys), IntervalKind.FiscalYear);
        // Only 2008-09 lies wholly inside the DSCP pre window.
        Assert.All(analysis.Pairs.SelectMany(p => p.Outcomes.Values), o =>
        {
            Assert.Null(o.PreTrend);
            Assert.Contains(o.Warnings, w => w.Contains("pre-trend test absent: 1 interval(s)", StringComparison.Ordinal));
        });
    }
}

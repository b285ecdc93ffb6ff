using Evaluation.Stats.Regression;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The pattern engine (the compressed logit fit's design as codes): its X'WX, X'Wz and deviance equal the dense sums over
/// the patterns' design rows, do not depend on the number of threads, and a compressed fit on it equals the compressed
/// fit on the fast engine's columnar design (estimates, model/HC0/HC1/cluster SEs, deviance) within 1e-10.
/// </summary>
public class CompressedPatternEngineTests
{
    /// <summary>
    /// Random 0/1 columns a, b, c (a:b and, when <paramref name="chain"/>, b:c, so that three columns share one joint key),
    /// categoricals g and h, 0/1 outcomes or events of trials, optional frequency weights and cluster labels.
    /// </summary>
    private static (ModelData Data, ModelSpec Spec, double[] Y, CompressedInputs Inputs, string[] Clusters) Case(int seed, bool chain, bool grouped, bool weighted, bool intercept)
    {
        var rng = new Random(seed);
        int n = 200 + rng.Next(800), gl = 2 + rng.Next(5), hl = 1 + rng.Next(4);
        double[] Bits(double p) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() < p ? 1.0 : 0.0).ToArray();
        var data = new ModelData(n).AddNumeric("a", Bits(0.5)).AddNumeric("b", Bits(0.4)).AddNumeric("c", Bits(0.6))
            .AddCategorical("g", Enumerable.Range(0, n).Select(_ => $"g{rng.Next(gl)}").ToArray())
            .AddCategorical("h", Enumerable.Range(0, n).Select(_ => rng.Next(hl)).ToArray(), Enumerable.Range(0, hl).Select(l => $"h{(l * 3) % hl}").ToArray());
        var trials = grouped ? Enumerable.Range(0, n).Select(_ => (double)(1 + rng.Next(5))).ToArray() : null;
        var y = Enumerable.Range(0, n).Select(i => grouped ? (double)rng.Next((int)trials![i] + 1) : rng.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
        var weights = weighted ? Enumerable.Range(0, n).Select(_ => (double)rng.Next(0, 4)).ToArray() : null;
        var clusters = Enumerable.Range(0, n).Select(_ => $"s{rng.Next(6)}").ToArray();
        (string, string)[] interactions = chain ? [("a", "b"), ("b", "c")] : [("a", "b")];
        return (data, new ModelSpec(["a", "b", "c"], ["g", "h"], interactions, intercept), y, new CompressedInputs(weights, trials), clusters);
    }

    private static PatternEngine Engine(int seed, bool chain, bool cluster, int threads, int chunk, out double[] y, out double[] m)
    {
        var (data, spec, outcome, inputs, clusters) = Case(seed, chain, grouped: seed % 2 == 0, weighted: false, intercept: seed % 3 != 0);
        var options = new LogisticOptions { Covariance = cluster ? CovarianceType.Cluster : CovarianceType.Model, Clusters = clusters };
        var table = CompressedFit.Count(data, spec, outcome, inputs, options, out var levels);
        var trials = table.Trials;
        (m, y) = (trials, table.Events.Select((e, r) => e / trials[r]).ToArray());
        return PatternCodes.Engine(spec, table, levels, table.Events, trials, PatternEngine.Saturated(table.Events, trials), threads, chunk)!;
    }

    [Property(MaxTest = 60)]
    public bool CompressPatternEngine_EqualsDenseSumsOverDesignRows(int seed, bool chain, bool cluster, bool small)
    {
        using var engine = Engine(seed, chain, cluster, threads: 3, chunk: small ? 7 : PatternEngine.DefaultChunk, out var y, out var m);
        int p = engine.TermNames.Count, rows = engine.Rows;
        var rng = new Random(seed ^ 0x5eed);
        var beta = Enumerable.Range(0, p).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double deviance = engine.Evaluate(beta);
        var all = Enumerable.Range(0, p).ToArray();
        var info = new double[p * p];
        var rhs = new double[p];
        engine.Assemble(all, info, rhs);

        var expectedInfo = new double[p * p];
        var expectedRhs = new double[p];
        double expectedDeviance = 0;
        var row = new double[p];
        for (int r = 0; r < rows; r++)
        {
            engine.Design.FillRow(r, row);
            double eta = row.Zip(beta, (x, b) => x * b).Sum(), mu = 1 / (1 + Math.Exp(-eta)), w = m[r] * mu * (1 - mu), wz = w * eta + m[r] * (y[r] - mu);
            for (int i = 0; i < p; i++)
            {
                expectedRhs[i] += wz * row[i];
                for (int j = 0; j < p; j++) expectedInfo[i * p + j] += w * row[i] * row[j];
            }
            expectedDeviance += 2 * m[r] * ((y[r] > 0 ? y[r] * Math.Log(y[r] / mu) : 0) + (y[r] < 1 ? (1 - y[r]) * Math.Log((1 - y[r]) / (1 - mu)) : 0));
        }
        static bool Close(double a, double b, double scale) => Math.Abs(a - b) <= 1e-10 * Math.Max(1, scale);
        double infoScale = expectedInfo.Max(Math.Abs), rhsScale = expectedRhs.Max(Math.Abs);
        return Close(deviance, expectedDeviance, expectedDeviance)
               && info.Zip(expectedInfo).All(t => Close(t.First, t.Second, infoScale))
               && rhs.Zip(expectedRhs).All(t => Close(t.First, t.Second, rhsScale));
    }

    [Property(MaxTest = 40)]
    public bool CompressPatternEngine_SameBitsWhateverTheThreads(int seed, bool chain)
    {
        double[] Sums(int threads, bool start)
        {
            using var engine = Engine(seed, chain, cluster: false, threads, chunk: 5, out _, out _);
            int p = engine.TermNames.Count;
            var beta = Enumerable.Range(0, p).Select(j => 0.1 * (j % 7) - 0.3).ToArray();
            double dev = engine.Evaluate(start ? null : beta);
            var info = new double[p * p];
            var rhs = new double[p];
            engine.Assemble(Enumerable.Range(0, p).ToArray(), info, rhs);
            return [dev, .. info, .. rhs];
        }
        return Sums(1, true).SequenceEqual(Sums(4, true)) && Sums(1, false).SequenceEqual(Sums(3, false));
    }

    [Property(MaxTest = 40)]
    public bool CompressedFit_OnPatternEngine_EqualsFitOnFastEngine(int seed, bool chain, bool grouped, bool weighted, bool intercept, byte covariance)
    {
        var (data, spec, y, inputs, clusters) = Case(seed, chain, grouped, weighted, intercept);
        var type = (covariance % 4, grouped || weighted) switch
        {
            (1, false) => CovarianceType.HC0,
            (2, false) => CovarianceType.HC1,
            (3, _) => CovarianceType.Cluster,
            _ => CovarianceType.Model,
        };
        var options = new LogisticOptions { Covariance = type, Clusters = clusters };
        var codes = CompressedFit.Fit(data, spec, y, inputs, options, patternEngine: true);
        var columns = CompressedFit.Fit(data, spec, y, inputs, options, patternEngine: false);
        static bool Near(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-10 * Math.Max(1, Math.Abs(b.Value));
        return codes.Coefficients.Count == columns.Coefficients.Count
               && codes.Coefficients.Zip(columns.Coefficients).All(t => t.First.Term == t.Second.Term && Near(t.First.Estimate, t.Second.Estimate) && Near(t.First.StdError, t.Second.StdError))
               && Near(codes.Deviance, columns.Deviance) && Near(codes.LogLikelihood, columns.LogLikelihood) && Near(codes.NullDeviance, columns.NullDeviance)
               && codes.Iterations == columns.Iterations && codes.Warnings.SequenceEqual(columns.Warnings);
    }
}

/// <summary>The fast count checks the 0/1 columns and outcome as it reads them: a bad value anywhere gives the reference path's error.</summary>
public class CompressedCountChecksTests
{
    /// <summary>A key space big enough that the threads' byte tables are merged in several ranges, some keys absent.</summary>
    [FsCheck.Xunit.Property(MaxTest = 30)]
    public bool CompressedCount_ManyKeysMergedInRanges_EqualsReference(int seed, bool skewed)
    {
        var rng = new Random(seed);
        int n = 5000 + rng.Next(20000);
        int[] levels = [20 + rng.Next(20), 25, 2 + rng.Next(30)];
        // Skewed rows put most rows on one key, so its byte counters wrap and spill.
        var codes = levels.Select(l => Enumerable.Range(0, n).Select(_ => skewed && rng.Next(4) > 0 ? 0 : rng.Next(l)).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
        var expected = PatternCounter.Reference(codes, levels, y, null, null);
        var actual = PatternCounter.Fast(codes, levels, y, null, null, threads: 3, rowsPerThread: 97);
        return expected.Events.SequenceEqual(actual.Events) && expected.Trials.SequenceEqual(actual.Trials)
               && expected.Codes.Zip(actual.Codes).All(p => p.First.SequenceEqual(p.Second));
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public bool CompressedCount_BadValue_GivesTheReferenceError(int seed, byte where, bool inOutcome, byte kind)
    {
        var rng = new Random(seed);
        int n = 20 + rng.Next(3000), at = (int)((long)where * n / 256);
        var pilot = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
        double bad = (kind % 4) switch { 0 => 2, 1 => double.NaN, 2 => 0.5, _ => -1 };
        if (inOutcome) y[at] = bad; else pilot[at] = bad;
        var data = new ModelData(n).AddNumeric("pilot", pilot).AddCategorical("g", Enumerable.Range(0, n).Select(_ => rng.Next(3)).ToArray(), ["b", "a", "c"]);
        var spec = new ModelSpec(["pilot"], ["g"], []);
        string Message(Implementation implementation)
        {
            try { CompressedFit.Fit(data, spec, y, null, new LogisticOptions { Implementation = implementation }); return "no error"; }
            catch (ArgumentException e) { return e.Message; }
        }
        string fast = Message(Implementation.Fast);
        // A bad 0/1 column makes the model not compressible: TryFit declines it (the row-level fit then reports it).
        return fast != "no error" && fast == Message(Implementation.Reference) && (inOutcome || CompressedFit.TryFit(data, spec, y) is null);
    }
}

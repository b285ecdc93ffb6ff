using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;
using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The fast engine with prior weights (frequency weights, binomial trials) and offsets: agreement with the reference
/// engine on random data (FsCheck) to 1e-10, R's fixtures (fixtures/glm: make_fixtures.R) on the fast engine, and
/// grouped against expanded records. CI runs this class at every vector width (Category=FastPath, .ci/run).
/// </summary>
[Trait("Category", "FastPath")]
public class FastWeightedAgreementTests
{
    private const double Relative = 1e-10;

    /// <summary>A random model of <see cref="FastPathAgreementTests.Case"/> with prior weights and perhaps an offset.</summary>
    /// <param name="Trials">Binomial trials (whole numbers 1–6, proportions drawn from them) rather than frequency weights (0.25–3, 0/1 outcomes).</param>
    /// <param name="Offset">Whether the model has an offset.</param>
    public sealed record WeightedCase(FastPathAgreementTests.Case Design, bool Trials, bool Offset)
    {
        public LogisticModel Model()
        {
            var (data, spec, y) = Design.Build();
            var rng = new Random(Design.Seed + 7);
            int n = y.Length;
            var m = new double[n];
            var outcome = (double[])y.Clone();
            for (int i = 0; i < n; i++)
            {
                // A few zero weights: such rows carry no information (R's glm keeps them out of every sum).
                if (i > 0 && i < n - 1 && rng.NextDouble() < 0.03) { m[i] = 0; continue; }
                if (!Trials) { m[i] = 0.25 + 2.75 * rng.NextDouble(); continue; }
                m[i] = 1 + rng.Next(6);
                // Events between 0 and m, leaning toward the row's record outcome so the fit stays finite.
                int events = (int)Math.Round(m[i] * (0.5 * y[i] + 0.5 * rng.NextDouble()));
                outcome[i] = events / m[i];
            }
            var offset = Offset ? Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray() : null;
            return new LogisticModel(data, spec, outcome, m, offset);
        }
    }

    private static Arbitrary<WeightedCase> Cases() =>
        (from seed in Gen.Choose(1, 1_000_000)
         from rows in Gen.OneOf(Gen.Choose(60, 120), Gen.Elements(511, 512, 513, 1025), Gen.Choose(500, 3000))
         from numeric in Gen.Choose(1, 6)
         from categorical in Gen.Choose(0, 3)
         from trials in Gen.Elements(true, false)
         from offset in Gen.Elements(true, false)
         select new WeightedCase(FastPathAgreementTests.Bounded(new FastPathAgreementTests.Case(seed, rows, numeric, categorical)), trials, offset)).ToArbitrary();

    private static LogisticOptions Options(Implementation impl, CovarianceType covariance = CovarianceType.Model, IReadOnlyList<string>? clusters = null) =>
        new() { Implementation = impl, Covariance = covariance, Clusters = clusters };

    /// <summary>Estimates to 1e-10 (relative, or absolute below 1), SEs to 1e-8 relative, the deviance and log-likelihood to 1e-10, the same iterations and aliasing.</summary>
    internal static string? Disagreement(LogisticResult a, LogisticResult b)
    {
        if (!a.Coefficients.Select(c => c.Term).SequenceEqual(b.Coefficients.Select(c => c.Term))) return "terms";
        if (!a.Aliased.SequenceEqual(b.Aliased)) return "aliasing";
        if (a.Separation.Count > 0 || b.Separation.Count > 0) return a.Separation.Count > 0 && b.Separation.Count > 0 ? null : "separation";
        if (a.Converged != b.Converged || a.Iterations != b.Iterations) return $"iterations {a.Iterations} and {b.Iterations}";
        foreach (var (x, y) in a.Coefficients.Zip(b.Coefficients))
        {
            if (x.IsAliased != y.IsAliased) return $"{x.Term} aliased";
            if (x.IsAliased) continue;
            if (Math.Abs(x.Estimate!.Value - y.Estimate!.Value) > Relative * Math.Max(1, Math.Abs(x.Estimate.Value))) return $"{x.Term} estimate {x.Estimate} and {y.Estimate}";
            if (Math.Abs(x.StdError!.Value - y.StdError!.Value) > 1e-8 * x.StdError.Value) return $"{x.Term} SE {x.StdError} and {y.StdError}";
        }
        if (Math.Abs(a.Deviance - b.Deviance) > Relative * Math.Max(1, a.Deviance)) return $"deviance {a.Deviance} and {b.Deviance}";
        if (Math.Abs(a.LogLikelihood - b.LogLikelihood) > Relative * Math.Max(1, Math.Abs(a.LogLikelihood))) return $"log-likelihood {a.LogLikelihood} and {b.LogLikelihood}";
        return null;
    }

    [Property(MaxTest = 50)]
    public Property FastAndReference_Agree_WithWeightsAndOffsets() => Prop.ForAll(Cases(), c =>
    {
        var model = c.Model();
        var why = Disagreement(model.Fit(Options(Implementation.Reference)), model.Fit(Options(Implementation.Fast)));
        return (why is null).Label($"{c}: {why}");
    });

    [Property(MaxTest = 20)]
    public Property FastAndReference_Agree_WithWeights_Hc0Hc1AndCluster() => Prop.ForAll(Cases(), c =>
    {
        var model = c.Model();
        var clusters = Enumerable.Range(0, model.Rows).Select(i => $"s{i * 7 % 11}").ToArray();
        var why = Disagreement(model.Fit(Options(Implementation.Reference, CovarianceType.HC0)), model.Fit(Options(Implementation.Fast, CovarianceType.HC0)))
                  ?? Disagreement(model.Fit(Options(Implementation.Reference, CovarianceType.HC1)), model.Fit(Options(Implementation.Fast, CovarianceType.HC1)))
                  ?? Disagreement(model.Fit(Options(Implementation.Reference, CovarianceType.Cluster, clusters)), model.Fit(Options(Implementation.Fast, CovarianceType.Cluster, clusters)));
        return (why is null).Label($"{c}: {why}");
    });

    /// <summary>
    /// A level seen only in rows of weight 0 (found by FsCheck): R's glm.fit decides aliasing on the rows with positive
    /// weight, so the level is aliased; the reference engine once kept it and failed on a singular information matrix.
    /// </summary>
    [Fact]
    public void Level_only_in_zero_weight_rows_is_aliased_by_both_engines()
    {
        var model = new WeightedCase(new FastPathAgreementTests.Case(999606, 73, 2, 1), Trials: true, Offset: false).Model();
        var reference = model.Fit(Options(Implementation.Reference, CovarianceType.HC0));
        var fast = model.Fit(Options(Implementation.Fast, CovarianceType.HC0));
        Assert.Equal(["g0[c]"], reference.Aliased);
        Assert.Null(Disagreement(reference, fast));
    }

    [Fact]
    public void Fast_WithWeights_SpansManyChunks_IsThreadIndependent_AndAgrees()
    {
        var c = new WeightedCase(new FastPathAgreementTests.Case(42, 40_000, 4, 3), Trials: true, Offset: true);
        var model = c.Model();
        var fast = model.Fit(Options(Implementation.Fast));
        Assert.Null(Disagreement(model.Fit(Options(Implementation.Reference)), fast));
        Assert.Equal(fast.Coefficients, model.Fit(Options(Implementation.Fast) with { MaxDegreeOfParallelism = 1 }).Coefficients);
    }

    /// <summary>
    /// The weighted family kernel at every width (AVX-512, AVX2, Vector128 and scalar, each with the scalar tail) against
    /// R's formulas row by row: w = m μ(1 − μ), w·z = m [μ(1 − μ)(η − o) + y − μ], Σ m [y log μ + (1 − y) log(1 − μ)],
    /// and in the meat pass (m (y − μ))²; η includes rows beyond R's clamp at ±30.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void WeightedFamilyKernel_EveryWidth_IsRsFormulas(int lanes)
    {
        var rng = new Random(lanes);
        const int n = 45; // not a multiple of any width: the scalar tail runs too
        var eta = Enumerable.Range(0, n).Select(i => i % 11 == 0 ? (i % 2 == 0 ? 35.0 : -33.0) : rng.NextDouble() * 8 - 4).ToArray();
        var offset = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? rng.Next(2) : rng.Next(7) / 6.0).ToArray();
        var m = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? 0 : 0.5 + rng.Next(6)).ToArray();
        foreach (bool meat in new[] { false, true })
        {
            var w = new double[n];
            var wz = new double[n];
            var args = new WeightedFamilyArgs { Eta = eta, Offset = offset, Y = y, M = m, Prepared = new double[n], W = w, Wz = wz, Meat = meat };
            switch (lanes)
            {
                case 1: WeightedFamilyKernel<LogitOperator>.RunAt<WidthScalar, double>(ref args); break;
                case 2: WeightedFamilyKernel<LogitOperator>.RunAt<Width128, Vector128<double>>(ref args); break;
                case 4: WeightedFamilyKernel<LogitOperator>.RunAt<Width256, Vector256<double>>(ref args); break;
                default: WeightedFamilyKernel<LogitOperator>.RunAt<Width512, Vector512<double>>(ref args); break;
            }
            double ll = 0;
            var link = Links.Of(BinomialLink.Logit);
            for (int i = 0; i < n; i++)
            {
                double mu = link.Inverse(eta[i]), d = link.Derivative(eta[i]), v = mu * (1 - mu), r = (y[i] - mu) * d / v;
                double ew = meat ? m[i] * r * m[i] * r : m[i] * d * d / v, ewz = meat ? 0 : m[i] * (d * d / v * (eta[i] - offset[i]) + r);
                Assert.True(Math.Abs(ew - w[i]) <= 1e-12 * Math.Max(1e-300, Math.Abs(ew)) || Math.Abs(ew - w[i]) < 1e-300, $"row {i} w {w[i]}, expected {ew}");
                Assert.True(Math.Abs(ewz - wz[i]) <= 1e-12 * Math.Max(1, Math.Abs(ewz)), $"row {i} wz {wz[i]}, expected {ewz}");
                ll += m[i] * (y[i] * Math.Log(mu) + (1 - y[i]) * Math.Log(1 - mu));
            }
            Assert.True(Math.Abs(ll - args.LogLikelihood) <= 1e-12 * Math.Abs(ll), $"log-likelihood {args.LogLikelihood}, expected {ll}");
        }
    }

    // R's fixtures on the fast engine, from columns (so categoricals reach the engine as codes), logit link.

    private static ModelData Data(Dictionary<string, string[]> c, string[] numeric, string[] categorical)
    {
        var data = new ModelData(c.First().Value.Length);
        foreach (var n in numeric) data.AddNumeric(n, GlmFixtureTests.Numbers(c[n]));
        foreach (var n in categorical) data.AddCategorical(n, c[n]);
        return data;
    }

    private static long[] Counts(string[] text) => GlmFixtureTests.Numbers(text).Select(v => (long)v).ToArray();

    private static readonly LogisticOptions Fast = new() { Implementation = Implementation.Fast };

    [Fact]
    public void Esoph_Grouped_FastEngine_MatchesGlmCbind()
    {
        var c = GlmFixtureTests.Columns("esoph");
        var spec = new ModelSpec([], ["agegp", "alcgp", "tobgp"], []);
        GlmFixtureTests.Match("esoph_logit", LogisticModel.Grouped(Data(c, [], spec.Categorical.ToArray()), spec, Counts(c["ncases"]), Counts(c["trials"])).Fit(Fast));
    }

    [Fact]
    public void Esoph_GroupedOffset_FastEngine_MatchesGlm()
    {
        var c = GlmFixtureTests.Columns("esoph_offset");
        var spec = new ModelSpec([], ["agegp", "alcgp", "tobgp"], []);
        var model = LogisticModel.Grouped(Data(c, [], spec.Categorical.ToArray()), spec, Counts(c["ncases"]), Counts(c["trials"]), GlmFixtureTests.Numbers(c["o"]));
        GlmFixtureTests.Match("esoph_offset_logit", model.Fit(Fast));
    }

    [Fact]
    public void Star98_Grouped_FastEngine_MatchesGlm()
    {
        var c = GlmFixtureTests.Columns("star98");
        var numeric = c.Keys.Where(k => k is not ("NABOVE" or "NBELOW")).ToArray();
        var above = Counts(c["NABOVE"]);
        var trials = above.Zip(Counts(c["NBELOW"]), (a, b) => a + b).ToArray();
        GlmFixtureTests.Match("star98_logit", LogisticModel.Grouped(Data(c, numeric, []), new ModelSpec(numeric, [], []), above, trials).Fit(Fast));
    }

    [Fact]
    public void FrequencyWeights_FastEngine_MatchGlmWeights()
    {
        var c = GlmFixtureTests.Columns("weights");
        var model = new LogisticModel(Data(c, ["x"], ["g"]), new ModelSpec(["x"], ["g"], []), GlmFixtureTests.Numbers(c["y"]), weights: GlmFixtureTests.Numbers(c["w"]));
        GlmFixtureTests.Match("weights_logit", model.Fit(Fast));
    }

    [Fact]
    public void Offset_FastEngine_MatchesGlmOffset()
    {
        var c = GlmFixtureTests.Columns("offset");
        var model = new LogisticModel(Data(c, ["x1", "x2"], []), new ModelSpec(["x1", "x2"], [], []), GlmFixtureTests.Numbers(c["y"]), offset: GlmFixtureTests.Numbers(c["o"]));
        GlmFixtureTests.Match("offset_logit", model.Fit(Fast));
    }

    [Fact]
    public void Esoph_GroupedAndExpanded_FastEngine_SameEstimatesAndSEs()
    {
        // The 88 groups with trials and the 975 records they expand to: the same likelihood, so the same estimates
        // and SEs (both within the IRLS tolerance of R's fit of the records, esoph_expanded_logit).
        var spec = new ModelSpec([], ["agegp", "alcgp", "tobgp"], []);
        var g = GlmFixtureTests.Columns("esoph");
        var grouped = LogisticModel.Grouped(Data(g, [], spec.Categorical.ToArray()), spec, Counts(g["ncases"]), Counts(g["trials"])).Fit(Fast);
        var e = GlmFixtureTests.Columns("esoph_expanded");
        var records = new LogisticModel(Data(e, [], spec.Categorical.ToArray()), spec, GlmFixtureTests.Numbers(e["y"])).Fit(Fast);
        GlmFixtureTests.Match("esoph_expanded_logit", grouped, statistics: false);
        GlmFixtureTests.Match("esoph_expanded_logit", records, statistics: false);
        foreach (var (a, b) in grouped.Coefficients.Zip(records.Coefficients))
        {
            LogisticFixtureTests.Close(b.Estimate, a.Estimate, 1e-8, a.Term);
            LogisticFixtureTests.Close(b.StdError, a.StdError, 1e-8, a.Term);
        }
    }
}

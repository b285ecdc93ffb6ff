using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Compressed fits against R (fixtures/glm): the record-level DiD (model, HC0, HC1 and cluster-robust SEs, each link)
/// and esoph (expanded records, and grouped rows with trials) fitted on covariate patterns give R's record-level figures.
/// </summary>
public class CompressedFitTests
{
    private static (ModelData Data, ModelSpec Spec, double[] Y, string[] Site) Did()
    {
        var c = GlmFixtureTests.Columns("did_records");
        var data = new ModelData(c["y"].Length)
            .AddNumeric("pilot", GlmFixtureTests.Numbers(c["pilot"])).AddNumeric("post", GlmFixtureTests.Numbers(c["post"]))
            .AddCategorical("region", c["region"]).AddCategorical("sex", c["sex"]).AddCategorical("ageband", c["ageband"]);
        return (data, new ModelSpec(["pilot", "post"], ["region", "sex", "ageband"], [("pilot", "post")]), GlmFixtureTests.Numbers(c["y"]), c["site"]);
    }

    [Theory]
    [InlineData(BinomialLink.Logit, Implementation.Fast)]
    [InlineData(BinomialLink.Logit, Implementation.Reference)]
    [InlineData(BinomialLink.Probit, Implementation.Fast)]
    [InlineData(BinomialLink.Cloglog, Implementation.Reference)]
    public void Did_Compressed_MatchesRecordLevelGlmAndSandwich(BinomialLink link, Implementation counting)
    {
        var (data, spec, y, site) = Did();
        var o = new LogisticOptions { Link = link, Implementation = counting };
        string name = $"did_{link.ToString().ToLowerInvariant()}";
        var fit = CompressedFit.Fit(data, spec, y, null, o);
        GlmFixtureTests.Match(name, fit);
        Assert.Equal(20_000, fit.N);
        Assert.True(fit.Patterns is > 0 and < 20_000);
        Assert.Contains("covariate patterns", fit.ToString());
        GlmFixtureTests.Match(name, CompressedFit.Fit(data, spec, y, null, o with { Covariance = CovarianceType.HC0 }), "hc0", statistics: false);
        GlmFixtureTests.Match(name, CompressedFit.Fit(data, spec, y, null, o with { Covariance = CovarianceType.HC1 }), "hc1", statistics: false);
        var clustered = CompressedFit.Fit(data, spec, y, null, o with { Covariance = CovarianceType.Cluster, Clusters = site });
        GlmFixtureTests.Match(name, clustered, "cluster", statistics: false);
        Assert.True(clustered.Patterns > fit.Patterns); // the site is in the key
    }

    [Fact]
    public void EsophExpandedRecords_Compressed_MatchGlm()
    {
        var c = GlmFixtureTests.Columns("esoph_expanded");
        var data = new ModelData(c["y"].Length).AddCategorical("agegp", c["agegp"]).AddCategorical("alcgp", c["alcgp"]).AddCategorical("tobgp", c["tobgp"]);
        var fit = CompressedFit.Fit(data, new ModelSpec([], ["agegp", "alcgp", "tobgp"], []), GlmFixtureTests.Numbers(c["y"]));
        GlmFixtureTests.Match("esoph_expanded_logit", fit);
        Assert.Equal(88, fit.Patterns);
    }

    [Theory]
    [InlineData(BinomialLink.Logit)]
    [InlineData(BinomialLink.Probit)]
    [InlineData(BinomialLink.Cloglog)]
    public void EsophGroupedRows_Compressed_MatchGlmCbind(BinomialLink link)
    {
        // Grouped rows (events of trials) compress too; the deviance and log-likelihood keep their row-level constants.
        var c = GlmFixtureTests.Columns("esoph");
        var data = new ModelData(c["ncases"].Length).AddCategorical("agegp", c["agegp"]).AddCategorical("alcgp", c["alcgp"]).AddCategorical("tobgp", c["tobgp"]);
        var fit = CompressedFit.Fit(data, new ModelSpec([], ["agegp", "alcgp", "tobgp"], []), GlmFixtureTests.Numbers(c["ncases"]),
            new CompressedInputs(Trials: GlmFixtureTests.Numbers(c["trials"])), new LogisticOptions { Link = link });
        GlmFixtureTests.Match($"esoph_{link.ToString().ToLowerInvariant()}", fit);
    }

    [Fact]
    public void NotCompressible_SaysWhy()
    {
        var c = GlmFixtureTests.Columns("weights");
        var data = new ModelData(c["y"].Length).AddNumeric("x", GlmFixtureTests.Numbers(c["x"])).AddCategorical("g", c["g"]);
        var spec = new ModelSpec(["x"], ["g"], []);
        Assert.False(CompressedFit.IsCompressible(data, spec, null, null, out var reason));
        Assert.Equal("column 'x' is not 0/1", reason);
        var e = Assert.Throws<ArgumentException>(() => CompressedFit.Fit(data, spec, GlmFixtureTests.Numbers(c["y"])));
        Assert.Contains("column 'x' is not 0/1", e.Message);
        Assert.False(CompressedFit.IsCompressible(data, new ModelSpec([], ["g"], []), new CompressedInputs(Offset: new double[data.Rows]), null, out reason));
        Assert.Contains("offset", reason);
    }
}

/// <summary>Categoricals held as codes with labels (<see cref="ModelData.AddCategorical(string, int[], IReadOnlyList{string?})"/>) fit as their text does.</summary>
public class CodedCategoricalTests
{
    private static (ModelData Coded, ModelData Text, ModelSpec Spec, double[] Y) Did()
    {
        var c = GlmFixtureTests.Columns("did_records");
        int n = c["y"].Length;
        var coded = new ModelData(n).AddNumeric("pilot", GlmFixtureTests.Numbers(c["pilot"])).AddNumeric("post", GlmFixtureTests.Numbers(c["post"]));
        var text = new ModelData(n).AddNumeric("pilot", GlmFixtureTests.Numbers(c["pilot"])).AddNumeric("post", GlmFixtureTests.Numbers(c["post"]));
        foreach (var name in new[] { "region", "sex", "ageband" })
        {
            // Labels in order of first appearance (as a reader interns them), plus one never used.
            var labels = c[name].Distinct().Append("never").ToArray();
            var index = labels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k);
            coded.AddCategorical(name, c[name].Select(v => index[v]).ToArray(), labels);
            text.AddCategorical(name, c[name]);
        }
        return (coded, text, new ModelSpec(["pilot", "post"], ["region", "sex", "ageband"], [("pilot", "post")]), GlmFixtureTests.Numbers(c["y"]));
    }

    [Theory]
    [InlineData(Implementation.Fast)]
    [InlineData(Implementation.Reference)]
    public void RecordFit_FromCodes_EqualsFitFromText_AndR(Implementation implementation)
    {
        var (coded, text, spec, y) = Did();
        var o = new LogisticOptions { Implementation = implementation };
        var fromCodes = new LogisticModel(coded, spec, y).Fit(o);
        GlmFixtureTests.Match("did_logit", fromCodes);
        Assert.Equal(new LogisticModel(text, spec, y).Fit(o).Coefficients, fromCodes.Coefficients);
    }

    [Fact]
    public void CompressedFit_FromCodes_EqualsFitFromText_AndR()
    {
        var (coded, text, spec, y) = Did();
        var fromCodes = CompressedFit.Fit(coded, spec, y);
        GlmFixtureTests.Match("did_logit", fromCodes);
        var fromText = CompressedFit.Fit(text, spec, y);
        foreach (var (a, b) in fromText.Coefficients.Zip(fromCodes.Coefficients))
        {
            LogisticFixtureTests.Close(a.Estimate, b.Estimate, 1e-12, a.Term);
            LogisticFixtureTests.Close(a.StdError, b.StdError, 1e-12, a.Term);
        }
    }

    [Fact]
    public void Codes_OutOfRange_AreRejectedNamingTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => new ModelData(3).AddCategorical("g", [0, 2, 1], ["a", "b"]));
        Assert.Contains("row 2", e.Message);
        Assert.Equal(["b", "a", null], new ModelData(3).AddCategorical("g", [1, 0, 2], ["a", "b", null]).Categorical("g"));
    }
}

/// <summary>The fast counting pass and level coder agree exactly with their readable references (FsCheck).</summary>
[Trait("Category", "FastPath")]
public class CompressionAgreementTests
{
    /// <summary>Random key columns, outcomes, optional trials and whole weights (some 0), sizes around block and thread boundaries.</summary>
    private static (int[][] Codes, int[] Levels, double[] Y, double[]? Trials, double[]? Weights) Case(int seed, int rows, int columns, bool grouped, bool weighted)
    {
        var rng = new Random(seed);
        var levels = Enumerable.Range(0, columns).Select(_ => rng.Next(1, 12)).ToArray();
        var codes = levels.Select(l => Enumerable.Range(0, rows).Select(_ => rng.Next(l)).ToArray()).ToArray();
        var trials = grouped ? Enumerable.Range(0, rows).Select(_ => (double)rng.Next(1, 20)).ToArray() : null;
        var y = Enumerable.Range(0, rows).Select(i => (double)rng.Next((int)(trials?[i] ?? 1) + 1)).ToArray();
        var weights = weighted ? Enumerable.Range(0, rows).Select(_ => (double)rng.Next(0, 4)).ToArray() : null;
        return (codes, levels, y, trials, weights);
    }

    [Property(MaxTest = 150)]
    public bool Counter_FastEqualsReference(int seed, byte rowsByte, bool grouped, bool weighted, bool hashed, bool manyRows)
    {
        int rows = 1 + rowsByte + (manyRows ? 9000 : 0);
        var (codes, levels, y, trials, weights) = Case(seed, rows, 1 + Math.Abs(seed % 5), grouped, weighted);
        var expected = PatternCounter.Reference(codes, levels, y, trials, weights);
        var actual = PatternCounter.Fast(codes, levels, y, trials, weights, threads: 3, rowsPerThread: 97, denseLimit: hashed ? 0 : PatternCounter.DenseLimit);
        return expected.Events.SequenceEqual(actual.Events) && expected.Trials.SequenceEqual(actual.Trials)
            && expected.Codes.Zip(actual.Codes).All(p => p.First.SequenceEqual(p.Second));
    }

    [Property(MaxTest = 150)]
    public bool LevelCoder_FastEqualsReference(int seed, byte rowsByte)
    {
        var rng = new Random(seed);
        string?[] pool = ["b", " a", "a ", "", null, "  ", "c", "B", "(missing)", "10", "9"];
        // Distinct instances of equal text too, as a parser would make them.
        var values = Enumerable.Range(0, 1 + rowsByte * 3).Select(_ => pool[rng.Next(pool.Length)] is { } s && rng.Next(2) == 0 ? new string(s.AsSpan()) : pool[rng.Next(pool.Length)]).ToArray();
        var (ec, el) = LevelCoder.Reference(values);
        var (ac, al) = LevelCoder.Fast(values, threads: 3, rowsPerThread: 13);
        return ec.SequenceEqual(ac) && el.SequenceEqual(al);
    }

    [Property(MaxTest = 40)]
    public bool CompressedFit_EqualsRowLevelReferenceFit(int seed, bool intercept)
    {
        // Random 0/1 and categorical columns: the compressed fit's estimates and SEs are the row-level fit's.
        var rng = new Random(seed);
        int n = 300 + rng.Next(400);
        var data = new ModelData(n)
            .AddNumeric("a", Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray())
            .AddNumeric("b", Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray())
            .AddCategorical("g", Enumerable.Range(0, n).Select(_ => "pqrs"[rng.Next(4)].ToString()).ToArray());
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.35 ? 1.0 : 0.0).ToArray();
        var spec = new ModelSpec(["a", "b"], ["g"], [("a", "b")], intercept);
        var row = new LogisticModel(data, spec, y).Fit(new LogisticOptions { Implementation = Implementation.Reference });
        var compressed = CompressedFit.Fit(data, spec, y);
        return row.Coefficients.Zip(compressed.Coefficients).All(p =>
                   p.First.Term == p.Second.Term && Near(p.First.Estimate, p.Second.Estimate) && Near(p.First.StdError, p.Second.StdError))
               && Math.Abs(row.Deviance - compressed.Deviance) < 1e-8 * row.Deviance && Math.Abs(row.NullDeviance - compressed.NullDeviance) < 1e-8 * row.NullDeviance;
    }

    /// <summary>
    /// A categorical given as codes with labels (unsorted, one unused, a blank, a null, and labels equal up to spaces)
    /// and the same column as text per row: the same patterns and levels from the fast count (codes counted as given,
    /// then mapped, or counted again when two labels are one level) as from the reference count of the text.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool Count_FromCodes_EqualsCountFromText(int seed, bool mergedLabels, bool manyRows)
    {
        var rng = new Random(seed);
        int n = 50 + rng.Next(300) + (manyRows ? 140_000 : 0);
        string?[] labels = mergedLabels ? ["q", "b", null, "unused", " b", "a", "", "z"] : ["q", "b", null, "unused", "a", "z"];
        int[] codes = Enumerable.Range(0, n).Select(_ => rng.Next(labels.Length)).Select(c => labels[c] == "unused" ? 0 : c).ToArray();
        var pilot = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
        var h = Enumerable.Range(0, n).Select(_ => "xyz"[rng.Next(3)].ToString()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(2)).ToArray();
        var coded = new ModelData(n).AddNumeric("pilot", pilot).AddCategorical("g", codes, labels).AddCategorical("h", h);
        var text = new ModelData(n).AddNumeric("pilot", pilot).AddCategorical("g", codes.Select(c => labels[c]).ToArray()).AddCategorical("h", h);
        var spec = new ModelSpec(["pilot"], ["g", "h"], []);
        var fast = CompressedFit.Count(coded, spec, y, CompressedInputs.None, new LogisticOptions { Implementation = Implementation.Fast }, out var fastLevels);
        var reference = CompressedFit.Count(text, spec, y, CompressedInputs.None, new LogisticOptions { Implementation = Implementation.Reference }, out var referenceLevels);
        // The fast count's patterns may come in another order (keyed by the given codes): compare as sets.
        static string[] Rows(PatternTable t, string[][] l) =>
            Enumerable.Range(0, t.Count).Select(r => string.Join("|", t.Codes.Select((c, j) => l[j][c[r]])) + $"#{t.Events[r]}/{t.Trials[r]}").Order(StringComparer.Ordinal).ToArray();
        return fastLevels.Zip(referenceLevels).All(p => p.First.SequenceEqual(p.Second)) && Rows(fast, fastLevels).SequenceEqual(Rows(reference, referenceLevels));
    }

    private static bool Near(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-7 * Math.Max(1, Math.Abs(a.Value));
}

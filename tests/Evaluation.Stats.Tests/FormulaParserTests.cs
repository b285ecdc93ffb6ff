using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Tests;

/// <summary>The formula parser: R's term algebra and order, and errors that give the character position.</summary>
public sealed class FormulaParserTests
{
    [Theory]
    [InlineData("y ~ a*b", "a,b,a:b", true)]
    [InlineData("y ~ a:b + c", "c,a:b", true)]                  // R sorts terms by degree
    [InlineData("y ~ b + a + a:b", "b,a,b:a", true)]            // a term's variables in order of first mention
    [InlineData("y ~ (a + b)*c", "a,b,c,a:c,b:c", true)]
    [InlineData("y ~ a*b*c - a:b:c", "a,b,c,a:b,a:c,b:c", true)]
    [InlineData("y ~ a*b - a", "b,a:b", true)]
    [InlineData("y ~ a + a + a:a", "a", true)]                  // repeats and a:a collapse
    [InlineData("y ~ 0 + a", "a", false)]
    [InlineData("y ~ a - 1", "a", false)]
    [InlineData("y ~ -1 + a", "a", false)]
    [InlineData("y ~ a - 1 + 1", "a", true)]                    // the last intercept setting wins
    [InlineData("y ~ 1", "", true)]
    [InlineData("y ~ `my col` + C(sex, ref='M')", "my col,sex", true)]
    [InlineData("a + b", "a,b", true)]                            // a right-hand side alone
    public void Terms_follow_R(string formula, string labels, bool intercept)
    {
        var f = ModelFormula.Parse(formula);
        Assert.Equal(labels, string.Join(",", f.TermLabels));
        Assert.Equal(intercept, f.HasIntercept);
    }

    [Fact]
    public void Response_and_categorical_declarations_are_read()
    {
        var f = ModelFormula.Parse("outcome ~ age + C(sex, ref=\"M\") + C(site)");
        Assert.Equal("outcome", f.Response);
        Assert.Equal(["outcome", "age", "sex", "site"], f.Columns);
        Assert.Equal(new FormulaVariable("sex", true, "M", 18, 27), f.Variables[1]);
        Assert.True(f.Variables[2].Categorical);
        Assert.Null(f.Variables[2].Reference);
        Assert.False(f.Variables[0].Categorical);
    }

    [Theory]
    [InlineData("y ~ a + ", 9, "ends where a term was expected")]
    [InlineData("y ~ a + * b", 9, "a term was expected, not '*'")]
    [InlineData("y ~ a / b", 7, "operator '/' is not supported")]
    [InlineData("y ~ log(a)", 5, "function 'log(...)' is not supported")]
    [InlineData("y ~ (a + b", 11, "')' to close the '(' at character 5")]
    [InlineData("y ~ C(a, lvl='x')", 10, "ref='level'")]
    [InlineData("y ~ a + 2", 9, "the number 2 is not a term")]
    [InlineData("y + z ~ a", 3, "single column name")]
    [InlineData("~ a", 1, "response before '~' is missing")]
    [InlineData("y ~ a ~ b", 7, "one '~'")]
    [InlineData("y ~ a + `b", 9, "backtick is not closed")]
    [InlineData("y ~ a & b", 7, "'&' has no meaning here")]
    [InlineData("y ~ C(f, ref='a') + C(f, ref='b')", 30, "reference level 'a' at character 14")]
    [InlineData("y ~ a + y", 1, "response 'y' is also a term")]
    [InlineData("y ~ ", 5, "right-hand side is empty")]
    [InlineData("y ~ (1 + a):b", 12, "cannot be an operand of ':'")]
    public void Bad_formulas_name_the_position(string formula, int position, string message)
    {
        var e = Assert.Throws<FormulaException>(() => ModelFormula.Parse(formula));
        Assert.Equal(position, e.Position);
        Assert.Contains(message, e.Message);
        Assert.Contains($"character {position}:", e.Message);
    }

    private static ModelData Data() => new ModelData(4)
        .AddNumeric("y", [1, 0, 1, 0]).AddNumeric("x", [1, 2, 3, 4])
        .AddCategorical("sex", ["F", "M", " ", "M"]).AddCategorical("one", ["k", "k", "k", "k"]);

    [Fact]
    public void Unknown_columns_and_levels_name_the_position()
    {
        var e = Assert.Throws<FormulaException>(() => ModelFormula.Parse("y ~ x + agee").Expand(Data()));
        Assert.Equal(9, e.Position);
        Assert.Contains("no column 'agee'", e.Message);
        e = Assert.Throws<FormulaException>(() => ModelFormula.Parse("y ~ x + C(sex, ref='X')").Expand(Data()));
        Assert.Equal(20, e.Position);
        Assert.Contains("'X' is not a level of 'sex' (levels: F, M, (missing))", e.Message);
        e = Assert.Throws<FormulaException>(() => ModelFormula.Parse("y ~ x + one").Expand(Data()));
        Assert.Contains("single level 'k'", e.Message);
    }

    [Fact]
    public void Missing_is_never_the_default_reference_and_ref_moves_a_level_first()
    {
        var d = ModelFormula.Parse("y ~ sex").Expand(Data());
        Assert.Equal(["F", "M", ModelSpec.MissingLevel], d.Levels["sex"]);
        Assert.Equal(["(Intercept)", "sex[M]", "sex[(missing)]"], d.TermNames);
        d = ModelFormula.Parse("y ~ C(sex, ref='M') + x").Expand(Data());
        Assert.Equal(["M", "F", ModelSpec.MissingLevel], d.Levels["sex"]);
        Assert.Equal(["(Intercept)", "sex[F]", "sex[(missing)]", "x"], d.TermNames);   // the formula's order, not numeric first
        Assert.Equal([1.0, 0, 0, 0], Enumerable.Range(0, 4).Select(i => d[i, 1]));
        Assert.Equal([0.0, 0, 1, 0], Enumerable.Range(0, 4).Select(i => d[i, 2]));
    }
}

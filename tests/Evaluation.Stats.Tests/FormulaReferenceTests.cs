using System.Globalization;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Formula;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Term expansion against R's <c>model.matrix</c> (fixtures/formula: make_fixtures.R wrote data.csv, cases.csv
/// and one NAME.expected.csv per formula). Column names must be R's once the library's brackets are dropped
/// (<c>f[b]</c> is R's <c>fb</c>), in R's order, and every value must match.
/// </summary>
public sealed class FormulaReferenceTests
{
    /// <summary>Reads a CSV whose fields may be quoted (no embedded commas or quotes in these fixtures).</summary>
    internal static List<string[]> Csv(params string[] path) => File.ReadAllLines(CliTests.Fixture(path)).Select(Fields).ToList();

    /// <summary>The fields of one line: quoted fields may hold commas (no embedded quotes in these fixtures).</summary>
    internal static string[] Fields(string line)
    {
        var fields = new List<string>();
        for (int i = 0; i <= line.Length;)
        {
            int end = line.Length > i && line[i] == '"' ? line.IndexOf('"', i + 1) + 1 : i;
            int comma = line.IndexOf(',', end);
            if (comma < 0) comma = line.Length;
            fields.Add(line[i..comma].Trim('"').Trim());
            i = comma + 1;
        }
        return fields.ToArray();
    }

    /// <summary>data.csv as model data: f and g are text, every other column numeric.</summary>
    internal static ModelData Data()
    {
        var rows = Csv("formula", "data.csv");
        var header = rows[0];
        var data = new ModelData(rows.Count - 1);
        for (int j = 0; j < header.Length; j++)
        {
            var values = rows.Skip(1).Select(r => r[j]).ToArray();
            if (header[j] is "f" or "g") data.AddCategorical(header[j], values);
            else data.AddNumeric(header[j], values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
        return data;
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Csv("formula", "cases.csv").Skip(1)) data.Add(row[0], row[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expansion_matches_R_model_matrix(string name, string formula)
    {
        var expected = Csv("formula", name + ".expected.csv");
        var design = ModelFormula.Parse(formula).Expand(Data());
        Assert.Equal(expected[0], design.TermNames.Select(RName).ToArray());
        Assert.Equal(expected.Count - 1, design.Rows);
        for (int i = 0; i < design.Rows; i++)
            for (int j = 0; j < design.TermNames.Count; j++)
            {
                double r = double.Parse(expected[i + 1][j], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(r - design[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(r)), $"{name} row {i + 1} column {expected[0][j]}: R {r}, ours {design[i, j]}");
            }
    }

    /// <summary>The library's <c>f[b]</c> is R's <c>fb</c>.</summary>
    private static string RName(string name) => name.Replace("[", "").Replace("]", "");

    [Fact]
    public void Both_engines_get_the_same_columns()
    {
        var design = ModelFormula.Parse("y ~ pilot*post + x:C(f, ref='c') + g").Expand(Data());
        var dense = design.ToDesignMatrix();
        var fast = design.ToFastDesign();
        Assert.Equal(design.TermNames, dense.TermNames);
        Assert.Equal(design.TermNames, fast.TermNames);
        var row = new double[design.TermNames.Count];
        for (int i = 0; i < design.Rows; i++)
        {
            fast.FillRow(i, row);
            for (int j = 0; j < row.Length; j++)
            {
                Assert.Equal(design[i, j], row[j]);
                Assert.Equal(design[i, j], dense.X[i, j]);
            }
        }
    }
}

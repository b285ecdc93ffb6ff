using System.Globalization;
using System.Reflection;
using Evaluation.Stats.Regression;
using Evaluation.Stats.Regression.Covariance;
using Evaluation.Stats.Regression.Formula;
using Evaluation.Stats.Regression.Linear;
using Evaluation.Stats.Reporting;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Results are read-only: the covariance of a fit is a <see cref="TermMatrix"/> (read by position or by term name,
/// copied out by <see cref="TermMatrix.ToArray"/>), and no public member of the three packages hands out a double
/// array that the library keeps.
/// </summary>
public class ReadOnlyResultTests
{
    private static (LogisticResult Logistic, LinearResult Linear) Fits()
    {
        var (data, y, _) = LinearReferenceTests.Load("logit", "site", "week", "sex");
        var design = ModelFormula.Parse("y ~ pilot*post + age + C(sex, ref='M')").Expand(data);
        var logistic = design.Logistic(y).Fit(new LogisticOptions { Covariance = CovarianceType.HC1 });
        var linear = LinearModel.Fit(design, y, new LinearOptions { Covariance = CovarianceOptions.Robust(CovarianceType.HC3) });
        return (logistic, linear);
    }

    [Fact]
    public void Covariance_reads_by_position_and_by_name_and_copies_out()
    {
        var (logistic, linear) = Fits();
        foreach (var (matrix, terms, covarianceOf, se) in new (TermMatrix, IReadOnlyList<string>, Func<string, string, double>, Func<string, double>)[]
        {
            (logistic.Covariance, logistic.EstimableTerms, logistic.CovarianceOf, t => logistic[t].StdError!.Value),
            (linear.Covariance, linear.EstimableTerms, linear.CovarianceOf, t => linear[t].StdError!.Value),
        })
        {
            Assert.Equal(terms, matrix.Terms);
            Assert.Equal(terms.Count, matrix.RowCount);
            Assert.Equal(terms.Count, matrix.ColumnCount);
            var copy = matrix.ToArray();
            Assert.Equal(terms.Count, copy.GetLength(0));
            Assert.Equal(terms.Count, copy.GetLength(1));
            for (int a = 0; a < terms.Count; a++)
            {
                Assert.Equal(se(terms[a]), Math.Sqrt(matrix[a, a]), 12);
                for (int b = 0; b < terms.Count; b++)
                {
                    Assert.Equal(matrix[a, b], matrix[terms[a], terms[b]]);
                    Assert.Equal(matrix[a, b], covarianceOf(terms[a], terms[b]));
                    Assert.Equal(matrix[a, b], copy[a, b]);
                    Assert.Equal(matrix[a, b], matrix[b, a], 14);
                }
            }
            double before = matrix[0, 0];
            copy[0, 0] = before + 1;
            Assert.Equal(before, matrix[0, 0]);
            Assert.Equal(before, matrix.ToArray()[0, 0]);
            Assert.Equal(1, matrix.IndexOf(terms[1]));
            var outside = Assert.Throws<ArgumentOutOfRangeException>(() => matrix[terms.Count, 0]);
            Assert.Contains($"0 to {terms.Count - 1}", outside.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => matrix[0, -1]);
            var unknown = Assert.Throws<KeyNotFoundException>(() => matrix["no such term", terms[0]]);
            Assert.Contains("no such term", unknown.Message);
        }
    }

    [Fact]
    public void Covariance_prints_every_term_with_the_invariant_culture_whatever_the_current_one()
    {
        var (logistic, _) = Fits();
        var text = InCulture(Invariant, () => logistic.Covariance.ToString());
        Assert.Equal(InCulture(German, () => logistic.Covariance.ToString()), text);
        Assert.Equal(InCulture(French, () => logistic.Covariance.ToString()), text);
        var lines = text.TrimEnd().Split('\n');
        Assert.Equal(logistic.EstimableTerms.Count + 1, lines.Length);
        foreach (var term in logistic.EstimableTerms) Assert.Contains(term, lines[0]);
        var first = lines[1].TrimEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(logistic.Covariance[0, 0], double.Parse(first[^logistic.EstimableTerms.Count], CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public void Linear_fit_and_covariance_convert_to_data_frames()
    {
        var (_, linear) = Fits();
        var coefficients = linear.ToDataFrame();
        Assert.Equal(["term", "estimate", "stdError", "tValue", "pValue", "ciLower", "ciUpper", "aliased"], coefficients.Columns.Select(c => c.Name));
        Assert.Equal(linear.Coefficients.Count, coefficients.Rows.Count);
        for (int i = 0; i < linear.Coefficients.Count; i++)
        {
            Assert.Equal(linear.Coefficients[i].Term, coefficients["term"][i]);
            Assert.Equal(linear.Coefficients[i].StdError, (double?)coefficients["stdError"][i]);
            Assert.Equal(linear.Coefficients[i].TValue, (double?)coefficients["tValue"][i]);
        }
        var covariance = linear.Covariance.ToDataFrame();
        Assert.Equal(["term", .. linear.EstimableTerms], covariance.Columns.Select(c => c.Name));
        for (int a = 0; a < linear.Covariance.RowCount; a++)
        {
            Assert.Equal(linear.EstimableTerms[a], covariance["term"][a]);
            for (int b = 0; b < linear.Covariance.ColumnCount; b++)
                Assert.Equal(linear.Covariance[a, b], (double?)covariance[linear.EstimableTerms[b]][a]);
        }
    }

    /// <summary>
    /// The build is globalization-invariant (no ICU), so de-DE and fr-FR cannot be loaded; these clones of the invariant
    /// culture carry their number and date conventions (decimal comma, "." or narrow no-break space grouping, a
    /// Unicode minus, day-first dates), which is what a formatter that forgets the invariant culture would pick up.
    /// </summary>
    internal static CultureInfo German { get; } = Styled(",", ".", "-", "dd.MM.yyyy");

    /// <inheritdoc cref="German"/>
    internal static CultureInfo French { get; } = Styled(",", "\u202F", "\u2212", "dd/MM/yyyy");

    internal static CultureInfo Invariant => CultureInfo.InvariantCulture;

    private static CultureInfo Styled(string decimalSeparator, string groupSeparator, string minus, string shortDate)
    {
        var c = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        var n = c.NumberFormat;
        n.NumberDecimalSeparator = n.PercentDecimalSeparator = n.CurrencyDecimalSeparator = decimalSeparator;
        n.NumberGroupSeparator = n.PercentGroupSeparator = n.CurrencyGroupSeparator = groupSeparator;
        n.NegativeSign = minus;
        n.PercentSymbol = "\u00A0%";
        c.DateTimeFormat.ShortDatePattern = shortDate;
        return c;
    }

    internal static T InCulture<T>(CultureInfo culture, Func<T> f)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            return f();
        }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, ui); }
    }

    [Fact]
    public void The_styled_cultures_really_format_differently()
    {
        Assert.Equal("-1,5", (-1.5).ToString(German));
        Assert.Equal("\u22121,5", (-1.5).ToString(French));
        Assert.Equal("1.234,5", 1234.5.ToString("N1", German));
    }

    /// <summary>
    /// Every public property, field and method result of the core, Data and Reporting packages: none is a double array
    /// (any rank), except <see cref="TermMatrix.ToArray"/> (a fresh copy) and the inputs: <see cref="ModelData"/>'s
    /// column accessors return the caller's own arrays as they were added, and the readers' tables
    /// (<c>LogitTable</c>, <c>ModelTable</c>) hand the outcome column they read to the caller who fits it.
    /// </summary>
    [Fact]
    public void No_public_member_exposes_a_double_array()
    {
        var assemblies = new[] { typeof(LogisticModel).Assembly, typeof(Data.Readers).Assembly, typeof(RegressionFrames).Assembly };
        var allowed = new HashSet<string> { "TermMatrix.ToArray", "ModelData.Numeric", "LogitTable.Outcome", "ModelTable.Outcome" };
        var offenders = new List<string>();
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var t = member switch
                {
                    PropertyInfo p => p.PropertyType,
                    FieldInfo f => f.FieldType,
                    MethodInfo m when !m.IsSpecialName => m.ReturnType,
                    _ => null,
                };
                if (t is { IsArray: true } && t.GetElementType() is var e && (e == typeof(double) || e == typeof(double?)) && !allowed.Contains($"{type.Name}.{member.Name}"))
                    offenders.Add($"{type.FullName}.{member.Name}");
            }
        Assert.Empty(offenders);
    }

    /// <summary>
    /// No public property or field of the three packages is an array of any element type: a result's contents are
    /// read through read-only views (methods such as the classifiers may still return a fresh array the caller owns).
    /// The readers' tables are inputs, not results: they hand the outcome column they read to the caller who fits it.
    /// </summary>
    [Fact]
    public void No_public_property_or_field_is_an_array()
    {
        var assemblies = new[] { typeof(LogisticModel).Assembly, typeof(Data.Readers).Assembly, typeof(RegressionFrames).Assembly };
        var allowed = new HashSet<string> { "Evaluation.Stats.Data.LogitTable.Outcome", "Evaluation.Stats.Data.ModelTable.Outcome" };
        var offenders = assemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(type => type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m switch { PropertyInfo p => p.PropertyType.IsArray, FieldInfo f => f.FieldType.IsArray, _ => false })
                .Select(m => $"{type.FullName}.{m.Name}"))
            .Where(name => !allowed.Contains(name))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Indicator_classification_views_cannot_write_to_its_rows()
    {
        var c = new Indicators.IndicatorClassification([[[default]]], [[default]], [[1]], [[default]], [[2]]);
        Assert.False(c.TreatmentDays[0] is int[]);
        Assert.Throws<NotSupportedException>(() => ((IList<int>)c.TreatmentDays[0])[0] = 5);
        Assert.Equal(1, c.TreatmentDays[0][0]);
        Assert.Equal(2, c.Waits[0][0]);
    }
}

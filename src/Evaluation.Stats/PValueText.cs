using System.Globalization;

namespace Evaluation.Stats;

/// <summary>
/// The one way p-values are printed everywhere in the project (text summaries, tables, reports, notebooks):
/// three decimals, <c>&lt;0.001</c> below 0.001, <c>n/a</c> when undefined. The JSON and DataFrames keep the exact number.
/// </summary>
public static class PValueText
{
    /// <summary>The smallest p-value printed as a number; smaller ones print as <c>&lt;0.001</c>.</summary>
    public const double Floor = 0.001;

    /// <summary>The p-value as text, in the invariant culture: <c>0.042</c>, <c>&lt;0.001</c>, or <c>n/a</c> for <c>null</c> or NaN.</summary>
    public static string Format(double? p) => p switch
    {
        null => "n/a",
        double v when double.IsNaN(v) => "n/a",
        < Floor => "<0.001",
        double v => v.ToString("0.000", CultureInfo.InvariantCulture),
    };
}

using System.Text.RegularExpressions;
using static Evaluation.Stats.Tests.ReadOnlyResultTests;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Every printed result reads the same whatever the current culture: each command's text output (which prints the
/// results' <c>ToString()</c>: DiD cells and estimates, adjusted models, programme pooling, trends, indicators and
/// their distributions, economics, power, logistic and linear fits) is run in-process under the invariant culture and
/// under German- and French-style cultures (decimal comma, other group separators and minus), and must not change.
/// Timings (<c>load 0.012 s</c>) are masked. No argument has a decimal point: the command-line parser reads numbers in
/// the current culture, which the evalstats executable fixes as invariant (InvariantGlobalization).
/// </summary>
public class CultureInvarianceTests
{
    private static string F(string area, string name) => CliTests.Fixture(area, name);

    public static TheoryData<string[]> Commands => new(
        ["journeys", "--journeys", F("demo", "journeys.csv"), "--design", F("demo", "design.json")],
        ["trends", "--journeys", F("demo", "journeys.csv"), "--design", F("demo", "design.json"), "--interval", "fiscalYear"],
        ["indicators", "--journeys", F("indicators", "journeys.csv"), "--design", F("indicators", "design.json"), "--top", F("indicators", "top.csv")],
        ["economics", "--effects", F("economics", "effects_with_se.csv"), "--costs", F("economics", "costs.csv")],
        ["power", "--cells", F("inference", "report_cells.csv")],
        ["did", "--cells", F("did", "did_cells.csv")],
        ["ols", "--data", F("linear", "did.csv"), "--formula", "y ~ pilot*post + x1 + C(f, ref='b')", "--robust", "hc3"],
        ["logit", "--data", F("linear", "logit.csv"), "--formula", "y ~ pilot*post + age + C(sex, ref='M')", "--robust", "hc1"]);

    private static readonly Regex Timing = new(@"\d+[.,]\d+ s\b", RegexOptions.Compiled);

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_output_is_the_same_in_every_culture(string[] args)
    {
        string Output(System.Globalization.CultureInfo culture) => InCulture(culture, () =>
        {
            var (code, stdout, stderr) = CliTests.Run(args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: exit {code}: {stderr}");
            return Timing.Replace(stdout, "T s");
        });
        var invariant = Output(Invariant);
        Assert.True(invariant.Length > 200, invariant);
        Assert.Equal(invariant, Output(German));
        Assert.Equal(invariant, Output(French));
    }
}

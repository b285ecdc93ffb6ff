using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.DiffInDiff;

/// <summary>A two-sided Wald estimate: estimate, standard error, confidence interval and p-value.</summary>
/// <param name="Estimate">The estimate.</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="CiLower">The lower end of the confidence interval.</param>
/// <param name="CiUpper">The upper end of the confidence interval.</param>
/// <param name="PValue">The two-sided p-value from the normal distribution; <c>null</c> when the standard error is 0 and the test is undefined.</param>
/// <param name="ConfidenceLevel">The level of the interval, for example 0.95.</param>
public sealed record WaldEstimate(double Estimate, double StdError, double CiLower, double CiUpper, double? PValue, double ConfidenceLevel)
{
    /// <summary>Builds the interval and p-value from an estimate and its standard error.</summary>
    public static WaldEstimate FromNormal(double estimate, double stdError, double confidenceLevel)
    {
        double z = Normal.InvCDF(0, 1, 0.5 + confidenceLevel / 2);
        double? p = stdError > 0 ? TwoSidedP(estimate / stdError) : null;
        return new WaldEstimate(estimate, stdError, estimate - z * stdError, estimate + z * stdError, p, confidenceLevel);
    }

    /// <summary>The two-sided normal p-value of a z statistic, <c>2·Φ(−|z|)</c>, accurate in the far tail.</summary>
    public static double TwoSidedP(double z) => 2 * Normal.CDF(0, 1, -Math.Abs(z));

    /// <summary>The estimate with its interval and p-value.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Estimate:0.0000} (SE {StdError:0.0000}; {100 * ConfidenceLevel:0.##}% CI {CiLower:0.0000} to {CiUpper:0.0000}; p {PValueText.Format(PValue)})");
}

/// <summary>The change in the base count (the denominator) from pre to post, <c>post/pre - 1</c>, in each arm (methodology §4).</summary>
/// <param name="PilotChange">The pilot's growth.</param>
/// <param name="ComparisonChange">The comparison's growth.</param>
/// <param name="Difference">The pilot's growth minus the comparison's.</param>
public sealed record BaseCountChange(double PilotChange, double ComparisonChange, double Difference);

/// <summary>
/// Difference in differences from one pair's four cells (methodology §5): the risk difference,
/// the saturated-logit log-odds interaction, and the change in the base count.
/// </summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Cells">The cells.</param>
/// <param name="RiskDifference">The DiD of proportions, as a fraction (not percentage points).</param>
/// <param name="LogOddsInteraction">The log-odds interaction; <c>null</c> when a cell has 0 or n events (see <see cref="Warnings"/>).</param>
/// <param name="BaseCount">The change in each arm's denominator.</param>
/// <param name="Warnings">What the reader should know, for example why the log-odds interaction is absent.</param>
public sealed record DidResult(string Pair, PairCells Cells, WaldEstimate RiskDifference, WaldEstimate? LogOddsInteraction,
    BaseCountChange BaseCount, IReadOnlyList<string> Warnings)
{
    /// <summary>The pilot's change in proportion, post minus pre.</summary>
    public double PilotChange => Cells.PilotPost.Proportion - Cells.PilotPre.Proportion;

    /// <summary>The comparison's change in proportion, post minus pre.</summary>
    public double ComparisonChange => Cells.ComparisonPost.Proportion - Cells.ComparisonPre.Proportion;

    /// <summary>
    /// The risk-difference DiD converted into people: DiD × n of the pilot's post cell (report Tables 7.8 and 7.9).
    /// </summary>
    public double People => RiskDifference.Estimate * Cells.PilotPost.N;

    /// <summary>A one-line summary.</summary>
    public override string ToString() => $"{Pair}: DiD {RiskDifference}" + (Warnings.Count > 0 ? $" [{string.Join("; ", Warnings)}]" : "");
}

/// <summary>The estimators of methodology §5 on 2×2 cells.</summary>
public static class DidEstimator
{
    /// <summary>The default confidence level, 0.95.</summary>
    public const double DefaultConfidenceLevel = 0.95;

    /// <summary>Estimates the DiD of one pair.</summary>
    /// <param name="pair">The pair's name, used in errors and results.</param>
    /// <param name="cells">The four cells.</param>
    /// <param name="confidenceLevel">The confidence level, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentException">When a cell has n = 0 (the message names the pair and the cell), or the level is out of range.</exception>
    public static DidResult Estimate(string pair, PairCells cells, double confidenceLevel = DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie strictly between 0 and 1.");
        foreach (var (name, cell) in cells.Named())
            if (cell.N == 0)
                throw new ArgumentException($"Pair '{pair}': cell {name} has n = 0, so its proportion and the DiD are undefined.", nameof(cells));

        var warnings = new List<string>();
        var rd = RiskDifference(cells, confidenceLevel);
        if (rd.PValue is null)
            warnings.Add("every cell has 0 or n events, so the risk difference has a standard error of 0 and no p-value");
        var logOdds = LogOddsInteraction(cells, confidenceLevel);
        if (logOdds is null)
        {
            var extreme = cells.Named().Where(c => c.Cell.Events == 0 || c.Cell.Events == c.Cell.N)
                .Select(c => $"{c.Name} has {c.Cell.Events} of {c.Cell.N}");
            warnings.Add($"log-odds interaction undefined: {string.Join(", ", extreme)} events");
        }
        return new DidResult(pair, cells, rd, logOdds, BaseCount(cells), warnings);
    }

    /// <summary>
    /// The risk-difference DiD, <c>(p_pilot_post − p_pilot_pre) − (p_comp_post − p_comp_pre)</c>,
    /// with SE <c>sqrt(Σ p(1−p)/n)</c> and a normal CI and two-sided p.
    /// </summary>
    public static WaldEstimate RiskDifference(PairCells cells, double confidenceLevel = DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(cells);
        double estimate = (cells.PilotPost.Proportion - cells.PilotPre.Proportion) - (cells.ComparisonPost.Proportion - cells.ComparisonPre.Proportion);
        double variance = cells.Named().Sum(c => c.Cell.Proportion * (1 - c.Cell.Proportion) / c.Cell.N);
        return WaldEstimate.FromNormal(estimate, Math.Sqrt(variance), confidenceLevel);
    }

    /// <summary>
    /// The log-odds interaction of the saturated logit,
    /// <c>logit(p_pilot_post) − logit(p_pilot_pre) − logit(p_comp_post) + logit(p_comp_pre)</c>,
    /// with SE <c>sqrt(Σ 1/events + 1/(n − events))</c>. <c>null</c> when any cell has 0 or n events.
    /// </summary>
    public static WaldEstimate? LogOddsInteraction(PairCells cells, double confidenceLevel = DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Named().Any(c => c.Cell.Events == 0 || c.Cell.Events == c.Cell.N)) return null;
        static double Logit(Cell c) => Math.Log((double)c.Events / (c.N - c.Events));
        double estimate = Logit(cells.PilotPost) - Logit(cells.PilotPre) - Logit(cells.ComparisonPost) + Logit(cells.ComparisonPre);
        double variance = cells.Named().Sum(c => 1.0 / c.Cell.Events + 1.0 / (c.Cell.N - c.Cell.Events));
        return WaldEstimate.FromNormal(estimate, Math.Sqrt(variance), confidenceLevel);
    }

    /// <summary>The growth in each arm's denominator, <c>post/pre − 1</c>, and the pilot's minus the comparison's.</summary>
    public static BaseCountChange BaseCount(PairCells cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        double pilot = (double)cells.PilotPost.N / cells.PilotPre.N - 1;
        double comparison = (double)cells.ComparisonPost.N / cells.ComparisonPre.N - 1;
        return new BaseCountChange(pilot, comparison, pilot - comparison);
    }
}

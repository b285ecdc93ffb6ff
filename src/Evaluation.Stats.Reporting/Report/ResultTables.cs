using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// The results as report-style tables (<see cref="ReportTable"/>): what a reader sees, formatted in the invariant
/// culture with one p-value format (<see cref="PValueText"/>), and the full-precision DataFrame behind each for its CSV.
/// The report and the notebook display both use these, so a table reads the same everywhere.
/// </summary>
public static class ResultTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The DiD table in the layout of the report's Tables 6.1 to 6.4: n and % per cell, each arm's change, the DiD with
    /// its CI (percentage points) and p. The CSV holds <see cref="DidTableRow"/>s.
    /// </summary>
    public static ReportTable Did(IEnumerable<DidResult> results, string name = "did", string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToArray();
        var rows = DidTable.Rows(list);
        double level = list.Length > 0 ? list[0].RiskDifference.ConfidenceLevel : DidEstimator.DefaultConfidenceLevel;
        string[] columns = ["pair", "pilot pre n", "%", "pilot post n", "%", "change", "comparison pre n", "%", "comparison post n", "%", "change",
            "DiD (points)", $"{Level(level)} CI", "p"];
        var shown = rows.Select(r => (IReadOnlyList<string>)[r.Pair,
            N(r.PilotPreN), P1(r.PilotPrePercent), N(r.PilotPostN), P1(r.PilotPostPercent), Signed(r.PilotChangePercentagePoints),
            N(r.ComparisonPreN), P1(r.ComparisonPrePercent), N(r.ComparisonPostN), P1(r.ComparisonPostPercent), Signed(r.ComparisonChangePercentagePoints),
            Signed(r.DidPercentagePoints), $"{P1(r.CiLowerPercentagePoints)} to {P1(r.CiUpperPercentagePoints)}", PValueText.Format(r.PValue)]).ToArray();
        return new ReportTable(name, caption ?? "Cells and difference in differences: % with the outcome, changes and DiD in percentage points",
            columns, shown, rows.ToDataFrame()).Validate();
    }

    /// <summary>
    /// The adjusted models, one row per pair: the interaction on the log-odds scale with SE and p, the odds ratio with
    /// its CI, Puhani's ATT (percentage points) with its SE, n, and the covariates (or "none").
    /// </summary>
    public static ReportTable Adjusted(IEnumerable<(string Pair, AdjustedDid Adjusted)> models, string outcome, string name = "adjusted", string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToArray();
        double level = list.Length > 0 ? list[0].Adjusted.Model.Options.ConfidenceLevel : DidEstimator.DefaultConfidenceLevel;
        string[] columns = ["pair", "log-odds", "SE", "p", $"odds ratio ({Level(level)} CI)", "ATT (points)", "ATT SE", "n", "covariates", "notes"];
        var shown = list.Select(m =>
        {
            var a = m.Adjusted;
            var covariates = a.CovariateTerms();
            return (IReadOnlyList<string>)[m.Pair,
                F(a.LogOdds, "+0.0000;-0.0000"), F(a.StdError, "0.0000"), PValueText.Format(a.PValue),
                a.OddsRatio is null ? "n/a" : $"{F(a.OddsRatio, "0.000")} ({F(a.OddsRatioCiLower, "0.000")} to {F(a.OddsRatioCiUpper, "0.000")})",
                F(a.Att * 100, "+0.0;-0.0"), F(a.AttStdError * 100, "0.0"), N(a.N),
                covariates.Count == 0 ? "none" : string.Join(", ", covariates),
                string.Join("; ", a.Model.Warnings.Concat(a.Model.Converged ? [] : ["did not converge"]))];
        }).ToArray();
        var data = RegressionFrames.AdjustedFrame(list.Select(m => (m.Pair, outcome, m.Adjusted)));
        return new ReportTable(name, caption ?? "Covariate-adjusted DiD: the logistic pilot:post interaction and the ATT on the probability scale", columns, shown, data).Validate();
    }

    /// <summary>A logistic fit's coefficients in the manner of R's <c>summary(glm)</c>, with odds ratios; aliased terms show NA.</summary>
    public static ReportTable Coefficients(LogisticResult fit, string name = "coefficients", string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        string[] columns = ["term", "estimate", "SE", "z", "p", "odds ratio", $"{Level(fit.Options.ConfidenceLevel)} CI (log-odds)"];
        var shown = fit.Coefficients.Select(c => (IReadOnlyList<string>)(c.IsAliased
            ? [c.Term, "NA", "NA", "NA", "NA", "NA", "aliased"]
            : [c.Term, F(c.Estimate, "0.000000"), F(c.StdError, "0.000000"), F(c.ZValue, "0.000"), PValueText.Format(c.PValue), F(c.OddsRatio, "0.0000"),
               $"{F(c.CiLower, "0.000")} to {F(c.CiUpper, "0.000")}"])).ToArray();
        return new ReportTable(name, caption ?? $"Logistic regression, n = {N(fit.N)}{(fit.Converged ? "" : " (did NOT converge)")}", columns, shown, fit.ToDataFrame()).Validate();
    }

    /// <summary>
    /// The exclusion ledger: analysis, reason, rows, share of the analysis's input rows, and the first
    /// <paramref name="linesShown"/> source lines of data errors (the CSV has every line).
    /// </summary>
    public static ReportTable Ledger(ExclusionLedger ledger, IEnumerable<ExclusionEntry>? extra = null, int linesShown = 10, string name = "exclusions", string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentOutOfRangeException.ThrowIfNegative(linesShown);
        var entries = ledger.Entries.Concat(extra ?? []).ToArray();
        var analyses = ledger.Analyses.ToHashSet();
        string[] columns = ["analysis", "reason", "rows", "% of input", "lines"];
        var shown = entries.Select(e => (IReadOnlyList<string>)[e.Analysis, e.Reason, N(e.Rows),
            analyses.Contains(e.Analysis) && ledger.InputRows(e.Analysis) > 0 ? (100.0 * e.Rows / ledger.InputRows(e.Analysis)).ToString("0.0", Inv) : "",
            Lines(e.Lines, linesShown)]).ToArray();
        var data = LedgerFrames.Entries(entries, a => analyses.Contains(a) ? ledger.InputRows(a) : null);
        return new ReportTable(name, caption ?? "Exclusion ledger: every input row not in a cell, by analysis and reason (cells + ledger = input rows)", columns, shown, data).Validate();
    }

    internal static string Lines(IReadOnlyList<long> lines, int shown) =>
        lines.Count == 0 ? "" : string.Join(", ", lines.Take(shown).Select(l => l.ToString(Inv))) + (lines.Count > shown ? $" and {N(lines.Count - shown)} more" : "");

    internal static string N(long n) => n.ToString("N0", Inv);

    private static string P1(double x) => double.IsFinite(x) ? x.ToString("0.0", Inv) : "n/a";

    private static string Signed(double x) => double.IsFinite(x) ? x.ToString("+0.0;-0.0;0.0", Inv) : "n/a";

    private static string F(double? x, string format) => x is double d && double.IsFinite(d) ? d.ToString(format, Inv) : "n/a";

    private static string Level(double level) => (100 * level).ToString("0.##", Inv) + "%";
}

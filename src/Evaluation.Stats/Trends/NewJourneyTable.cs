using System.Globalization;
using System.Text;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Trends;

/// <summary>
/// One row of the report's Table 7.4 layout: the new journeys an arm started in a fiscal year, indexed to the first
/// year = 100, and what became of them.
/// </summary>
/// <param name="Pair">The pair's name.</param>
/// <param name="Arm">The arm.</param>
/// <param name="Year">The fiscal year.</param>
/// <param name="NewJourneys">Journey rows (without data errors) of the arm's areas starting in the year, at any age.</param>
/// <param name="Index">New journeys as a percentage of the first year's; <c>null</c> when the first year has none.</param>
/// <param name="Retained">Those that lasted at least D days (a blank end counts as ongoing to the post window's end).</param>
/// <param name="CompletedEarly">Those that lasted under D days and ended with a completed exit reason.</param>
public sealed record NewJourneyRow(string Pair, Group Arm, TrendInterval Year, long NewJourneys, double? Index, long Retained, long CompletedEarly)
{
    /// <summary>The share retained at least D days (Table 7.4's "% retained &gt;12 weeks"); NaN with no new journeys.</summary>
    public double RetainedShare => (double)Retained / NewJourneys;

    /// <summary>The share completed in under D days (Table 7.4's "% completed &lt;12 weeks").</summary>
    public double CompletedEarlyShare => (double)CompletedEarly / NewJourneys;

    /// <summary>The share effective: retained or completed early (Table 7.4's "% new journeys effective").</summary>
    public double EffectiveShare => (double)(Retained + CompletedEarly) / NewJourneys;
}

/// <summary>The report's Table 7.4: new journeys by fiscal year, indexed to the first year = 100, with their effectiveness.</summary>
public static class NewJourneyTable
{
    /// <summary>
    /// The rows of every pair and arm for the fiscal years of the series (2007-08 to 2010-11 for the DSCP windows).
    /// A journey's length is <c>days(start, min(end, post end))</c>, a blank end counting as the post window's end, the
    /// last day the data speak for.
    /// </summary>
    public static IReadOnlyList<NewJourneyRow> Compute(EvaluationDesign design, IReadOnlyList<Journey> journeys)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(journeys);
        var years = TrendIntervals.For(design.Study, IntervalKind.FiscalYear);
        var areas = new AreaMap(design.Pairs);
        var counts = new long[design.Pairs.Count, 2, years.Count, 3];
        var horizon = design.Study.Post.End;
        int d = design.Rules.EffectiveTreatmentDays;
        foreach (var j in journeys)
        {
            if (JourneyClassifier.DataError(j) is not null || !areas.TryFind(j.Area, out int p, out var g)) continue;
            var year = years.FirstOrDefault(y => y.Window.Contains(j.Start));
            if (year is null) continue;
            int arm = g == Group.Pilot ? 0 : 1;
            var until = j.End is DateOnly e && e < horizon ? e : horizon;
            bool retained = until.DayNumber - j.Start.DayNumber >= d;
            counts[p, arm, year.Index, 0]++;
            if (retained) counts[p, arm, year.Index, 1]++;
            else if (j.End is DateOnly end && end <= horizon && design.Rules.IsCompleted(j.ExitReason)) counts[p, arm, year.Index, 2]++;
        }
        var rows = new List<NewJourneyRow>();
        for (int p = 0; p < design.Pairs.Count; p++)
            for (int arm = 0; arm < 2; arm++)
                foreach (var y in years)
                {
                    long first = counts[p, arm, 0, 0], n = counts[p, arm, y.Index, 0];
                    rows.Add(new NewJourneyRow(design.Pairs[p].Name, arm == 0 ? Group.Pilot : Group.Comparison, y, n,
                        first > 0 ? 100.0 * n / first : null, counts[p, arm, y.Index, 1], counts[p, arm, y.Index, 2]));
                }
        return rows;
    }

    /// <summary>The rows as text in the layout of Table 7.4 (one block per pair and arm; fiscal years as <c>07-08</c>).</summary>
    public static string Format(IReadOnlyList<NewJourneyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
        var table = new List<string[]> { new[] { "site", "arm", "fiscal year", "new journeys", "index (first = 100)", "% retained >= D days", "% completed < D days", "% effective" } };
        foreach (var r in rows)
            table.Add([r.Pair, r.Arm == Group.Pilot ? "pilot" : "comparison", $"{r.Year.Start.Year % 100:00}-{(r.Year.Start.Year + 1) % 100:00}",
                r.NewJourneys.ToString("N0", inv), r.Index is double x ? x.ToString("0.0", inv) : "n/a", Pct(r.RetainedShare), Pct(r.CompletedEarlyShare), Pct(r.EffectiveShare)]);
        return new StringBuilder("New journeys by fiscal year (report Table 7.4 layout)").AppendLine().Append(Formatting.TextTable.Format(table)).ToString();
    }
}

using System.Globalization;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Trends;

/// <summary>The calendar unit of a series (methodology §11).</summary>
public enum IntervalKind
{
    /// <summary>Calendar quarters: January–March, April–June, July–September, October–December (the default).</summary>
    Quarter,
    /// <summary>Calendar months.</summary>
    Month,
    /// <summary>UK fiscal years, 1 April to 31 March (the report's Table 7.4).</summary>
    FiscalYear,
}

/// <summary>Where an interval lies relative to the study's two windows.</summary>
public enum IntervalPhase
{
    /// <summary>Wholly inside the pre window: used by the pre-trend test and the event study's reference.</summary>
    Pre,
    /// <summary>Wholly inside the gap between the windows (the implementation lag).</summary>
    Gap,
    /// <summary>Wholly inside the post window.</summary>
    Post,
    /// <summary>Across a window's edge, or partly outside the span of the study.</summary>
    Straddles,
}

/// <summary>
/// One interval of a series: a whole calendar unit <c>[Start, End]</c>, both ends inclusive, with its position in the
/// series and its phase. Immutable.
/// </summary>
/// <param name="Index">The interval's 0-based position in the series: the <c>t</c> of the pre-trend model.</param>
/// <param name="Start">The first day (the interval's contract name, <c>yyyy-MM-dd</c>).</param>
/// <param name="End">The last day (inclusive).</param>
/// <param name="Phase">Where it lies relative to the windows.</param>
public sealed record TrendInterval(int Index, DateOnly Start, DateOnly End, IntervalPhase Phase)
{
    /// <summary>The interval as a window of dates.</summary>
    public DateWindow Window => new(Start, End);

    /// <summary>The number of days, both ends counted.</summary>
    public int LengthInDays => End.DayNumber - Start.DayNumber + 1;

    /// <summary>The contract name of the interval: its first day, <c>yyyy-MM-dd</c>.</summary>
    public string Name => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The interval as <c>yyyy-MM-dd to yyyy-MM-dd (phase)</c>.</summary>
    public override string ToString() => $"{Start:yyyy-MM-dd} to {End:yyyy-MM-dd} ({Phase.ToString().ToLowerInvariant()})";
}

/// <summary>Builds the intervals of a series.</summary>
public static class TrendIntervals
{
    /// <summary>
    /// The whole calendar units that overlap the span from the first day of the pre window to the last of the post
    /// window, the gap included, in order. The first and last reach outside the span when a window does not start or
    /// end on a unit boundary: a unit is never cut, so that every interval of a kind has the same meaning (a fiscal
    /// year is always a whole fiscal year). For the DSCP windows this gives 14 quarters (October 2007 to March 2011),
    /// 42 months, or the four fiscal years 2007-08 to 2010-11 of the report's Table 7.4.
    /// </summary>
    public static IReadOnlyList<TrendInterval> For(StudyDesign study, IntervalKind kind)
    {
        ArgumentNullException.ThrowIfNull(study);
        var first = UnitStart(study.Pre.Start, kind);
        var result = new List<TrendInterval>();
        for (var s = first; s <= study.Post.End; s = Next(s, kind))
        {
            var e = Next(s, kind).AddDays(-1);
            var w = new DateWindow(s, e);
            var phase = study.Pre.Contains(w) ? IntervalPhase.Pre
                : study.Post.Contains(w) ? IntervalPhase.Post
                : s > study.Pre.End && e < study.Post.Start ? IntervalPhase.Gap
                : IntervalPhase.Straddles;
            result.Add(new TrendInterval(result.Count, s, e, phase));
        }
        return result;
    }

    /// <summary>The first day of the unit of <paramref name="kind"/> that contains <paramref name="date"/>.</summary>
    public static DateOnly UnitStart(DateOnly date, IntervalKind kind) => kind switch
    {
        IntervalKind.Month => new DateOnly(date.Year, date.Month, 1),
        IntervalKind.Quarter => new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1),
        IntervalKind.FiscalYear => FiscalYear.Containing(date).Start,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown interval kind."),
    };

    private static DateOnly Next(DateOnly start, IntervalKind kind) => kind switch
    {
        IntervalKind.Month => start.AddMonths(1),
        IntervalKind.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    /// <summary>The contract name of a kind: <c>quarter</c>, <c>month</c> or <c>fiscalYear</c>.</summary>
    public static string Name(IntervalKind kind) => kind switch
    {
        IntervalKind.Quarter => "quarter",
        IntervalKind.Month => "month",
        IntervalKind.FiscalYear => "fiscalYear",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a contract name (<c>quarter</c>, <c>month</c>, <c>fiscalYear</c>).</summary>
    /// <exception cref="ArgumentException">When the name is none of them.</exception>
    public static IntervalKind Parse(string name) => name switch
    {
        "quarter" => IntervalKind.Quarter,
        "month" => IntervalKind.Month,
        "fiscalYear" => IntervalKind.FiscalYear,
        _ => throw new ArgumentException($"Unknown interval '{name}': use quarter, month or fiscalYear.", nameof(name)),
    };
}

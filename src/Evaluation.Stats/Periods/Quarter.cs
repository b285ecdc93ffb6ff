namespace Evaluation.Stats.Periods;

/// <summary>
/// A quarter: three calendar months from its first day (methodology §1). A quarter starting
/// 2007-12-01 runs to 2008-02-29. It counts towards a window only when it lies wholly inside it.
/// </summary>
/// <param name="Start">The first day of the quarter. Any day of the month is allowed; the quarter ends the day before the same day three months later.</param>
public readonly record struct Quarter(DateOnly Start)
{
    /// <summary>The last day of the quarter (inclusive).</summary>
    public DateOnly End => Start.AddMonths(3).AddDays(-1);

    /// <summary>The quarter as a window of dates.</summary>
    public DateWindow Window => new(Start, End);

    /// <summary>True when every day of the quarter lies inside <paramref name="window"/>.</summary>
    public bool LiesWhollyInside(DateWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Start >= window.Start && End <= window.End;
    }

    /// <summary>The quarter as <c>yyyy-MM-dd to yyyy-MM-dd</c>.</summary>
    public override string ToString() => $"{Start:yyyy-MM-dd} to {End:yyyy-MM-dd}";
}

namespace Evaluation.Stats.Periods;

/// <summary>
/// A window of calendar dates, <c>[Start, End]</c>, that includes <b>both</b> ends (methodology §1).
/// Dates carry no time zone; "days from a to b" is <c>b - a</c> in whole days.
/// </summary>
/// <remarks>
/// Both ends are inclusive because that is how evaluation reports state their periods
/// ("1 October 2007 to 31 March 2009" includes 31 March). A window of one day has
/// <see cref="Start"/> equal to <see cref="End"/>.
/// </remarks>
public sealed record DateWindow
{
    /// <summary>Creates a window from <paramref name="start"/> to <paramref name="end"/>, both inclusive.</summary>
    /// <exception cref="ArgumentException">When <paramref name="end"/> is before <paramref name="start"/>.</exception>
    public DateWindow(DateOnly start, DateOnly end)
    {
        if (end < start)
            throw new ArgumentException($"A window's end ({end:yyyy-MM-dd}) must not be before its start ({start:yyyy-MM-dd}).", nameof(end));
        Start = start;
        End = end;
    }

    /// <summary>The first day of the window (inclusive).</summary>
    public DateOnly Start { get; }

    /// <summary>The last day of the window (inclusive).</summary>
    public DateOnly End { get; }

    /// <summary>The number of days in the window, counting both ends.</summary>
    public int LengthInDays => End.DayNumber - Start.DayNumber + 1;

    /// <summary>True when <paramref name="date"/> lies in <c>[Start, End]</c>.</summary>
    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>True when <paramref name="other"/> lies wholly inside this window.</summary>
    public bool Contains(DateWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Start >= Start && other.End <= End;
    }

    /// <summary>True when the two windows share at least one day.</summary>
    public bool Overlaps(DateWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Start <= End && other.End >= Start;
    }

    /// <summary>
    /// The index dates that leave <paramref name="followUpDays"/> days of follow-up inside the window:
    /// <c>[Start, End - F]</c> (methodology §1, follow-up truncation). For the DSCP pre window and F = 42
    /// this is 2007-10-01 to 2009-02-17.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When F is negative.</exception>
    /// <exception cref="ArgumentException">When F leaves no eligible day.</exception>
    public DateWindow TruncateForFollowUp(int followUpDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(followUpDays);
        var end = End.AddDays(-followUpDays);
        if (end < Start)
            throw new ArgumentException($"A follow-up of {followUpDays} days leaves no eligible index date in the {LengthInDays}-day window {this}.", nameof(followUpDays));
        return new DateWindow(Start, end);
    }

    /// <summary>The quarters (three calendar months from <paramref name="firstQuarterStart"/>, and every three months after) that lie wholly inside this window.</summary>
    public IReadOnlyList<Quarter> WholeQuarters(DateOnly firstQuarterStart)
    {
        var result = new List<Quarter>();
        // Step back to the first quarter on the same 3-month grid that could touch the window.
        var q = new Quarter(firstQuarterStart);
        while (q.Start > Start) q = new Quarter(q.Start.AddMonths(-3));
        for (; q.Start <= End; q = new Quarter(q.Start.AddMonths(3)))
            if (q.LiesWhollyInside(this)) result.Add(q);
        return result;
    }

    /// <summary>The window as <c>yyyy-MM-dd to yyyy-MM-dd</c>.</summary>
    public override string ToString() => $"{Start:yyyy-MM-dd} to {End:yyyy-MM-dd}";
}

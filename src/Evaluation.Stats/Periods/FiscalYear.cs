namespace Evaluation.Stats.Periods;

/// <summary>
/// A UK fiscal year, 1 April to 31 March (methodology §1). Fiscal year 2009 (written "2009-10")
/// runs from 2009-04-01 to 2010-03-31. Some indicators are published only by fiscal year.
/// </summary>
/// <param name="StartYear">The calendar year in which the fiscal year begins.</param>
public readonly record struct FiscalYear(int StartYear)
{
    /// <summary>The first day, 1 April of <see cref="StartYear"/>.</summary>
    public DateOnly Start => new(StartYear, 4, 1);

    /// <summary>The last day, 31 March of the following year.</summary>
    public DateOnly End => new(StartYear + 1, 3, 31);

    /// <summary>The fiscal year as a window of dates.</summary>
    public DateWindow Window => new(Start, End);

    /// <summary>The fiscal year that contains <paramref name="date"/>.</summary>
    public static FiscalYear Containing(DateOnly date) => new(date.Month >= 4 ? date.Year : date.Year - 1);

    /// <summary>The fiscal year as <c>2009-10</c>.</summary>
    public override string ToString() => $"{StartYear}-{(StartYear + 1) % 100:00}";
}

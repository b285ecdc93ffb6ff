namespace Evaluation.Stats.DiffInDiff;

/// <summary>
/// One cell of a 2×2 design: <see cref="N"/> units (the denominator) of which <see cref="Events"/> had the outcome.
/// </summary>
public readonly record struct Cell
{
    /// <summary>Creates a cell.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a count is negative or <paramref name="events"/> exceeds <paramref name="n"/>.</exception>
    public Cell(long n, long events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        if (events > n) throw new ArgumentOutOfRangeException(nameof(events), events, $"A cell cannot have more events ({events}) than units ({n}).");
        N = n;
        Events = events;
    }

    /// <summary>The denominator.</summary>
    public long N { get; }

    /// <summary>The numerator.</summary>
    public long Events { get; }

    /// <summary>The proportion <c>Events / N</c>, as a fraction; NaN when N is 0.</summary>
    public double Proportion => N == 0 ? double.NaN : (double)Events / N;

    /// <summary>The cell as <c>events/n (p%)</c>.</summary>
    public override string ToString() => N == 0 ? $"{Events}/{N}" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Events}/{N} ({100 * Proportion:0.0}%)");
}

/// <summary>The four cells of one pilot–comparison pair.</summary>
/// <param name="PilotPre">The pilot area before.</param>
/// <param name="PilotPost">The pilot area after.</param>
/// <param name="ComparisonPre">The comparison area before.</param>
/// <param name="ComparisonPost">The comparison area after.</param>
public sealed record PairCells(Cell PilotPre, Cell PilotPost, Cell ComparisonPre, Cell ComparisonPost)
{
    /// <summary>The cells with their contract names (<c>pilotPre</c>, <c>pilotPost</c>, <c>comparisonPre</c>, <c>comparisonPost</c>).</summary>
    public IEnumerable<(string Name, Cell Cell)> Named()
    {
        yield return ("pilotPre", PilotPre);
        yield return ("pilotPost", PilotPost);
        yield return ("comparisonPre", ComparisonPre);
        yield return ("comparisonPost", ComparisonPost);
    }

    /// <summary>The same cells with pilot and comparison swapped.</summary>
    public PairCells SwapGroups() => new(ComparisonPre, ComparisonPost, PilotPre, PilotPost);

    /// <summary>The same cells with pre and post swapped.</summary>
    public PairCells SwapPeriods() => new(PilotPost, PilotPre, ComparisonPost, ComparisonPre);
}

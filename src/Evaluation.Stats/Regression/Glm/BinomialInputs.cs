namespace Evaluation.Stats.Regression;

/// <summary>
/// What a binomial model adds per row to a 0/1 logistic regression: frequency weights, binomial trials (the outcome
/// then holds events) and an offset. The default has none of them. (The link is <see cref="LogisticOptions.Link"/>.)
/// </summary>
/// <remarks>
/// Frequency weights and trials both become R's prior weights, but they mean different things: a row of weight
/// <c>w</c> stands for <c>w</c> identical records (its outcome is still 0 or 1), while a row of <c>t</c> trials is a
/// group with <c>y</c> events among <c>t</c> records. Both give the estimates and standard errors of the expanded
/// records. With both, a row stands for <c>w</c> groups of <c>t</c> trials each.
/// </remarks>
public sealed record BinomialInputs
{
    /// <summary>No weights, trials or offset.</summary>
    public static BinomialInputs Default { get; } = new();

    /// <summary>Frequency weights, one per row, finite and at least 0 (a row of weight 0 carries no information); <c>null</c> for 1 each.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Binomial trials, one per row, finite and at least 1; the outcome then holds the events (0 to trials); <c>null</c> for 0/1 outcomes.</summary>
    public IReadOnlyList<double>? Trials { get; init; }

    /// <summary>An offset added to each row's linear predictor with coefficient 1 (R's <c>offset()</c>); <c>null</c> for none.</summary>
    public IReadOnlyList<double>? Offset { get; init; }

    /// <summary>True when there are no weights, trials or offset.</summary>
    public bool IsDefault => Weights is null && Trials is null && Offset is null;

    /// <summary>
    /// Checks the per-row values against <paramref name="y"/>: each list has one entry per row, weights are finite and
    /// at least 0, trials are whole numbers of at least 1, events lie in 0..trials (0 or 1 without trials), and
    /// offsets are finite. Messages name the row (1-based).
    /// </summary>
    /// <exception cref="ArgumentException">When a value is out of range or a list has the wrong length.</exception>
    public void Validate(IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        int n = y.Count;
        foreach (var (list, what) in new[] { (Weights, "weights"), (Trials, "trials"), (Offset, "offsets") })
            if (list is not null && list.Count != n) throw new ArgumentException($"{list.Count} {what} for {n} rows.", what);
        for (int i = 0; i < n; i++)
        {
            if (Weights is { } w && !(double.IsFinite(w[i]) && w[i] >= 0))
                throw new ArgumentException($"Weight in row {i + 1} is {w[i]}; a frequency weight must be finite and at least 0.", nameof(Weights));
            if (Offset is { } o && !double.IsFinite(o[i]))
                throw new ArgumentException($"Offset in row {i + 1} is {o[i]}; an offset must be finite.", nameof(Offset));
            if (Trials is { } t)
            {
                if (!(t[i] >= 1 && double.IsFinite(t[i]) && t[i] == Math.Floor(t[i])))
                    throw new ArgumentException($"Trials in row {i + 1} is {t[i]}; trials must be a whole number of at least 1 (drop empty groups).", nameof(Trials));
                if (!(y[i] >= 0 && y[i] <= t[i] && y[i] == Math.Floor(y[i])))
                    throw new ArgumentException($"Outcome in row {i + 1} is {y[i]} events of {t[i]} trials; events must be a whole number from 0 to the trials.", nameof(y));
            }
            else if (y[i] is not (0.0 or 1.0))
                throw new ArgumentException($"Outcome in row {i + 1} is {y[i]}; without trials a binomial outcome must be 0 or 1.", nameof(y));
        }
    }
}

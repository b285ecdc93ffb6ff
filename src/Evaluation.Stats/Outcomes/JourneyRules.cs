using System.Collections.Frozen;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// The thresholds that decide how journeys are classified (methodology §2). Immutable and validated.
/// <see cref="Nta"/> holds the named defaults; <see cref="Default"/> uses all of them.
/// </summary>
public sealed record JourneyRules
{
    /// <summary>The NTA rules: minimum age 18, 83 days, the NTA completed exit reasons.</summary>
    public static JourneyRules Default { get; } = new(Nta.MinimumAge, Nta.EffectiveTreatmentDays, Nta.CompletedExitReasons);

    /// <summary>Creates a set of rules.</summary>
    /// <param name="minimumAge">Clients younger than this on their selected journey are excluded. Must be 0 or more.</param>
    /// <param name="effectiveTreatmentDays">The journey length, in days, that makes treatment effective. Must be 1 or more.</param>
    /// <param name="completedExitReasons">The exit reason codes that mean treatment was completed. Must not be empty.</param>
    /// <exception cref="ArgumentException">When a value is out of range.</exception>
    public JourneyRules(int minimumAge, int effectiveTreatmentDays, IEnumerable<int> completedExitReasons)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumAge);
        ArgumentOutOfRangeException.ThrowIfLessThan(effectiveTreatmentDays, 1);
        ArgumentNullException.ThrowIfNull(completedExitReasons);
        var set = completedExitReasons.ToFrozenSet();
        if (set.Count == 0)
            throw new ArgumentException("At least one exit reason must count as completed.", nameof(completedExitReasons));
        MinimumAge = minimumAge;
        EffectiveTreatmentDays = effectiveTreatmentDays;
        CompletedExitReasons = set;
    }

    /// <summary>The minimum age, in years, on the client's selected journey.</summary>
    public int MinimumAge { get; }

    /// <summary>The number of days of treatment that makes it effective (D).</summary>
    public int EffectiveTreatmentDays { get; }

    /// <summary>The exit reason codes that count as completed.</summary>
    public FrozenSet<int> CompletedExitReasons { get; }

    /// <summary>True when <paramref name="exitReason"/> is one of <see cref="CompletedExitReasons"/>.</summary>
    public bool IsCompleted(int? exitReason) => exitReason is int code && CompletedExitReasons.Contains(code);

    /// <summary>Rules as text.</summary>
    public override string ToString() =>
        $"minimum age {MinimumAge}, effective after {EffectiveTreatmentDays} days, completed exit reasons {{{string.Join(", ", CompletedExitReasons.Order())}}}";
}

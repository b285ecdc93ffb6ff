using System.Collections.Frozen;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// Named defaults from the National Treatment Agency (NTA) definitions used by the DSCP evaluation
/// (methodology §2 and §3; report Appendix B).
/// </summary>
public static class Nta
{
    /// <summary>Journeys of clients younger than this at the journey's start are excluded: 18.</summary>
    public const int MinimumAge = 18;

    /// <summary>A journey of at least this many days is effective treatment: 83 (twelve weeks).</summary>
    public const int EffectiveTreatmentDays = 83;

    /// <summary>A prison referral is picked up when a care plan follows within this many days of leaving prison: 42 (six weeks).</summary>
    public const int ReferralFollowUpDays = 42;

    /// <summary>
    /// The exit reasons that mean treatment was completed: 1 and 2 (treatment completed, drug free or not),
    /// 15 to 28 (the young people's completed codes), 80 (completed drug free, CDS-F),
    /// 81 (completed, alcohol free) and 82 (completed, occasional user). No other code counts as completed.
    /// </summary>
    public static FrozenSet<int> CompletedExitReasons { get; } =
        new[] { 1, 2, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 80, 81, 82 }.ToFrozenSet();
}

using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats;

/// <summary>The covariates of an adjusted model: numeric columns enter linearly, categorical ones as treatment contrasts.</summary>
/// <param name="Numeric">Numeric columns (for example <c>age</c>). A blank value is a data error.</param>
/// <param name="Categorical">Categorical columns (for example <c>sex</c>). A blank value is its own <c>(missing)</c> level.</param>
public sealed record CovariateSpec(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical)
{
    /// <summary>No covariates.</summary>
    public static CovariateSpec None { get; } = new([], []);

    /// <summary>Every column, numeric first.</summary>
    public IEnumerable<string> All => Numeric.Concat(Categorical);
}

/// <summary>
/// Everything that decides an evaluation's numbers: the windows, the pairs, the classification thresholds
/// and the covariates. Immutable and validated on construction; the thresholds default to the named
/// NTA values (<see cref="Nta"/>).
/// </summary>
public sealed record EvaluationDesign
{
    private readonly int _followUpDays = Nta.ReferralFollowUpDays;
    private readonly double _confidenceLevel = DiffInDiff.DidEstimator.DefaultConfidenceLevel;

    /// <summary>Creates a design.</summary>
    /// <param name="study">The pre and post windows.</param>
    /// <param name="pairs">The pilot–comparison pairs: at least one, unique names, each area in one pair only.</param>
    /// <exception cref="ArgumentException">When the pairs are empty, a name repeats, or an area is in two pairs.</exception>
    public EvaluationDesign(StudyDesign study, IEnumerable<AreaPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(pairs);
        Study = study;
        Pairs = pairs.ToArray();
        if (Pairs.Count == 0) throw new ArgumentException("A design needs at least one pair.", nameof(pairs));
        var dup = Pairs.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Pair name '{dup.Key}' is used more than once.", nameof(pairs));
        _ = new AreaMap(Pairs); // validates that each area belongs to one pair only
    }

    /// <summary>The pre and post windows.</summary>
    public StudyDesign Study { get; }

    /// <summary>The pairs, in order.</summary>
    public IReadOnlyList<AreaPair> Pairs { get; }

    /// <summary>The journey classification rules; <see cref="JourneyRules.Default"/> unless set.</summary>
    public JourneyRules Rules { get; init; } = JourneyRules.Default;

    /// <summary>F, the follow-up days for prison referrals; <see cref="Nta.ReferralFollowUpDays"/> (42) unless set.</summary>
    public int FollowUpDays
    {
        get => _followUpDays;
        init { ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(FollowUpDays)); _followUpDays = value; }
    }

    /// <summary>The confidence level of every interval; 0.95 unless set.</summary>
    public double ConfidenceLevel
    {
        get => _confidenceLevel;
        init
        {
            if (!(value > 0 && value < 1)) throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), value, "The confidence level must lie strictly between 0 and 1.");
            _confidenceLevel = value;
        }
    }

    /// <summary>Covariates of the journey models; none unless set.</summary>
    public CovariateSpec Covariates { get; init; } = CovariateSpec.None;

    /// <summary>Covariates of the referral model; none unless set.</summary>
    public CovariateSpec ReferralCovariates { get; init; } = CovariateSpec.None;

    /// <summary>Every area of every pair.</summary>
    public IEnumerable<(AreaPair Pair, string Area, Group Group)> Areas =>
        Pairs.SelectMany(p => p.PilotAreas.Select(a => (p, a, Group.Pilot)).Concat(p.ComparisonAreas.Select(a => (p, a, Group.Comparison))));

    /// <summary>
    /// Checks that every area of every pair occurs in <paramref name="areasInData"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the pair and the first missing area.</exception>
    public void RequireAreasPresent(IEnumerable<string> areasInData, string dataName)
    {
        var present = new HashSet<string>(areasInData, StringComparer.Ordinal);
        foreach (var (pair, area, group) in Areas)
            if (!present.Contains(area))
                throw new ArgumentException($"Pair '{pair.Name}' names {group.ToString().ToLowerInvariant()} area '{area}', which no row of the {dataName} has.");
    }
}

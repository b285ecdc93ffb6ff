using Evaluation.Stats.DiffInDiff;

namespace Evaluation.Stats.Economics;

/// <summary>
/// One outcome's effect as the economics stage needs it: the risk-difference DiD (a fraction), its standard error when
/// known, and n, the pilot's post-period caseload the DiD is applied to (report Tables 7.8 and 7.9).
/// </summary>
public sealed record OutcomeEffect
{
    /// <summary>Creates an effect.</summary>
    /// <param name="did">The DiD as a fraction in [−1, 1] (−0.034, not −3.4).</param>
    /// <param name="n">The pilot's post-period n (clients in treatment), at least 0.</param>
    /// <param name="stdError">The DiD's standard error, a finite number of at least 0, or <c>null</c> when unknown.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a value is out of range; the message says which and why.</exception>
    public OutcomeEffect(double did, long n, double? stdError = null)
    {
        if (!(double.IsFinite(did) && did is >= -1 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(did), did, $"A DiD of proportions is a fraction in [-1, 1]; got {did} (give -0.034, not -3.4).");
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (stdError is double se && !(double.IsFinite(se) && se >= 0))
            throw new ArgumentOutOfRangeException(nameof(stdError), se, $"A standard error is a finite number of at least 0; got {se}.");
        Did = did;
        N = n;
        StdError = stdError;
    }

    /// <summary>The DiD, a fraction.</summary>
    public double Did { get; }

    /// <summary>The pilot's post-period n.</summary>
    public long N { get; }

    /// <summary>The DiD's standard error, when known.</summary>
    public double? StdError { get; }

    /// <summary>The people the DiD stands for, DiD × n, unrounded.</summary>
    public double People => Did * N;

    /// <summary>The effect of a pair's risk-difference DiD: its estimate and SE, and n of its pilot post cell.</summary>
    public static OutcomeEffect From(DidResult did)
    {
        ArgumentNullException.ThrowIfNull(did);
        return new OutcomeEffect(did.RiskDifference.Estimate, did.Cells.PilotPost.N, did.RiskDifference.StdError);
    }

    /// <summary>The same effect with another DiD (used for the CI bounds and the Monte Carlo draws).</summary>
    internal OutcomeEffect WithDid(double did) => new(Math.Clamp(did, -1, 1), N, StdError);
}

/// <summary>
/// A pair's effects on the two valued outcomes: effective treatment, and successful completions as a share of the
/// caseload (Table 7.7's first and third columns). Either may be absent; its benefit is then absent too, with a warning.
/// </summary>
/// <param name="Name">The pair's name, matched against the costs.</param>
/// <param name="EffectiveTreatment">The effect on effective treatment.</param>
/// <param name="SuccessfulCompletion">The effect on successful completions as a share of the caseload.</param>
public sealed record PairEffects(string Name, OutcomeEffect? EffectiveTreatment, OutcomeEffect? SuccessfulCompletion)
{
    /// <summary>The effects of every pair of a journeys evaluation: <c>effectiveTreatment</c> and
    /// <c>successfulCompletionOfCaseload</c>, taken from their DiD results only.</summary>
    public static IReadOnlyList<PairEffects> From(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Pairs.Select(p => new PairEffects(p.Name,
            p.Outcomes.TryGetValue(OutcomeNames.EffectiveTreatment, out var et) ? OutcomeEffect.From(et.Did) : null,
            p.Outcomes.TryGetValue(OutcomeNames.SuccessfulCompletionOfCaseload, out var sc) ? OutcomeEffect.From(sc.Did) : null)).ToList();
    }
}

/// <summary>A pilot's costs by year (pounds), taken as given and undiscounted, as in Table 7.10.</summary>
public sealed record PairCosts
{
    /// <summary>Creates the costs of one pair.</summary>
    /// <param name="name">The pair's name.</param>
    /// <param name="byYear">The cost of each year, year 1 first; each a finite number of at least 0.</param>
    /// <exception cref="ArgumentException">When the name is blank or a cost is negative or not finite (the message names the year).</exception>
    public PairCosts(string name, IEnumerable<double> byYear)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(byYear);
        var years = byYear.ToArray();
        for (int i = 0; i < years.Length; i++)
            if (!(double.IsFinite(years[i]) && years[i] >= 0))
                throw new ArgumentException($"Pair '{name}', year {i + 1}: a cost must be a finite number of pounds of at least 0; got {years[i]}.", nameof(byYear));
        Name = name;
        ByYear = Array.AsReadOnly(years);
    }

    /// <summary>The pair's name.</summary>
    public string Name { get; }

    /// <summary>The cost of each year, year 1 first.</summary>
    public IReadOnlyList<double> ByYear { get; }

    /// <summary>The total cost, undiscounted.</summary>
    public double Total => ByYear.Sum();
}

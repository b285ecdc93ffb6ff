using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;

namespace Evaluation.Stats.Inference;

/// <summary>Options of the programme-level analysis; every default is named.</summary>
public sealed record ProgrammeOptions
{
    /// <summary>The level of the pooled intervals, 0.95 by default.</summary>
    public double ConfidenceLevel { get; init; } = DidEstimator.DefaultConfidenceLevel;

    /// <summary>The seed of any Monte Carlo draws (randomization beyond 2^16 sign flips), 1 by default.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The Monte Carlo draws of the randomization test when it cannot be exact.</summary>
    public int MonteCarloDraws { get; init; } = RandomizationTest.DefaultMonteCarloDraws;
}

/// <summary>
/// The pooling of one quantity over the pairs of one outcome: fixed effect, random effects and the sign-flip test.
/// Every part is <c>null</c> (with a warning) when fewer than two pairs have an estimate with a positive SE.
/// </summary>
/// <param name="Pairs">The pairs pooled.</param>
/// <param name="FixedEffect">The inverse-variance fixed-effect estimate.</param>
/// <param name="RandomEffects">The DerSimonian–Laird estimate with τ², I², Q.</param>
/// <param name="Randomization">The sign-flip randomization test of the fixed-effect estimate.</param>
/// <param name="Warnings">Pairs left out and why; why pooling is absent.</param>
public sealed record PooledResult(int Pairs, WaldEstimate? FixedEffect, RandomEffectsEstimate? RandomEffects,
    RandomizationResult? Randomization, IReadOnlyList<string> Warnings)
{
    /// <summary>Pools <paramref name="estimates"/>; those with a missing estimate or a non-positive SE are left out with a warning.</summary>
    /// <param name="what">The quantity's name in warnings, for example <c>risk difference</c>.</param>
    /// <param name="estimates">Per pair: the name, the estimate and its SE (either may be <c>null</c>).</param>
    /// <param name="options">The options.</param>
    /// <param name="withRandomization">Whether to run the sign-flip test.</param>
    public static PooledResult Pool(string what, IEnumerable<(string Pair, double? Estimate, double? StdError)> estimates, ProgrammeOptions options, bool withRandomization = true)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var usable = new List<PairEstimate>();
        foreach (var (pair, estimate, se) in estimates)
        {
            if (estimate is double e && se is double s && double.IsFinite(e) && double.IsFinite(s) && s > 0) usable.Add(new PairEstimate(pair, e, s));
            else warnings.Add($"{pair} left out of the pooled {what}: {(estimate is null ? "no estimate" : "its standard error is 0 or undefined")}");
        }
        if (usable.Count < 2)
        {
            warnings.Add($"pooled {what} absent: pooling needs at least 2 pairs with an estimate and a positive standard error, and {usable.Count} had one");
            return new PooledResult(usable.Count, null, null, null, warnings.AsReadOnly());
        }
        return new PooledResult(usable.Count,
            MetaAnalysis.FixedEffect(usable, options.ConfidenceLevel),
            MetaAnalysis.RandomEffects(usable, options.ConfidenceLevel),
            withRandomization ? RandomizationTest.SignFlip(usable, options.Seed, options.MonteCarloDraws) : null,
            warnings.AsReadOnly());
    }

    /// <summary>Fixed effect, random effects and randomization on one line each.</summary>
    public override string ToString() => Formatting.InferenceText.Format(this);
}

/// <summary>The pooling of the pairs' covariate-adjusted models of one outcome.</summary>
/// <param name="LogOdds">The pooled <c>pilot:post</c> log-odds, with its randomization test.</param>
/// <param name="Att">The pooled ATT (probability scale), fixed and random effects.</param>
/// <param name="WildBootstrap">The wild cluster bootstrap of the pooled record-level model (areas as clusters), or why it is absent; <c>null</c> when the evaluation did not run it.</param>
public sealed record AdjustedPooling(PooledResult LogOdds, PooledResult Att, PooledModelTest? WildBootstrap = null);

/// <summary>The programme-level answer for one outcome.</summary>
/// <param name="Outcome">The outcome's contract name.</param>
/// <param name="RiskDifference">The pooled risk-difference DiD (a fraction).</param>
/// <param name="Adjusted">The pooled adjusted models; <c>null</c> when the outcome has none (aggregate counts).</param>
public sealed record OutcomeProgramme(string Outcome, PooledResult RiskDifference, AdjustedPooling? Adjusted)
{
    /// <summary>
    /// The plain-language line, for example "pooled over 6 pairs: +1.2 points (95% CI -0.8 to +3.2; p = 0.21);
    /// randomization p = 0.31 (exact, 64 sign flips)". The estimate is the random-effects one with the Knapp–Hartung
    /// interval and p, the method docs/validation.md recommends with few pairs; the fixed-effect estimate follows.
    /// </summary>
    public string Summary() => Formatting.InferenceText.Summary(this);

    /// <summary>The summary line, then the pooled blocks.</summary>
    public override string ToString() => Formatting.InferenceText.Format(this);
}

/// <summary>A pair's test adjusted for multiplicity over its family.</summary>
/// <param name="Pair">The pair.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="PValue">The unadjusted p-value (<c>null</c>: no test, not in the family).</param>
/// <param name="PValueHolm">Holm's adjusted p-value.</param>
/// <param name="PValueBH">The Benjamini–Hochberg adjusted p-value.</param>
public sealed record AdjustedPValue(string Pair, string Outcome, double? PValue, double? PValueHolm, double? PValueBH);

/// <summary>
/// The programme-level result of an evaluation (methodology §10): per outcome, the pooled estimates and their
/// randomization test; per pair × outcome test, Holm and Benjamini–Hochberg p-values over the run's tests (the
/// risk-difference DiDs one family, the adjusted models another).
/// </summary>
public sealed class ProgrammeResult
{
    internal ProgrammeResult(IReadOnlyList<OutcomeProgramme> outcomes, IReadOnlyList<AdjustedPValue> did, IReadOnlyList<AdjustedPValue> adjusted)
    {
        Outcomes = new ReadOnlyDictionary<string, OutcomeProgramme>(outcomes.ToDictionary(o => o.Outcome, StringComparer.Ordinal));
        OutcomeOrder = outcomes.Select(o => o.Outcome).ToArray();
        Did = did;
        Adjusted = adjusted;
    }

    /// <summary>The outcomes' programme-level answers, by contract name.</summary>
    public IReadOnlyDictionary<string, OutcomeProgramme> Outcomes { get; }

    /// <summary>The outcome names in the evaluation's order.</summary>
    public IReadOnlyList<string> OutcomeOrder { get; }

    /// <summary>The risk-difference tests of every pair × outcome, adjusted over that family.</summary>
    public IReadOnlyList<AdjustedPValue> Did { get; }

    /// <summary>The adjusted models' <c>pilot:post</c> tests of every pair × outcome, adjusted over that family.</summary>
    public IReadOnlyList<AdjustedPValue> Adjusted { get; }

    /// <summary>The adjusted p-values of one pair's risk-difference test.</summary>
    public AdjustedPValue DidOf(string pair, string outcome) => Did.First(a => a.Pair == pair && a.Outcome == outcome);

    /// <summary>The adjusted p-values of one pair's adjusted-model test, or <c>null</c> when it has no adjusted model.</summary>
    public AdjustedPValue? AdjustedOf(string pair, string outcome) => Adjusted.FirstOrDefault(a => a.Pair == pair && a.Outcome == outcome);

    /// <summary>Each outcome's summary and pooled blocks, then the multiplicity-adjusted pair tests.</summary>
    public override string ToString() => Formatting.InferenceText.Format(this);
}

/// <summary>Programme-level inference over an evaluation's pairs (methodology §10).</summary>
public static class Programme
{
    /// <summary>Pools every outcome's pair estimates and adjusts the pair tests for multiplicity.</summary>
    /// <param name="result">The evaluation (journeys, referrals or aggregate).</param>
    /// <param name="options">The options; defaults when <c>null</c>.</param>
    public static ProgrammeResult Analyse(EvaluationResult result, ProgrammeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        options ??= new ProgrammeOptions();
        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.ConfidenceLevel, "The confidence level must lie strictly between 0 and 1.");
        var outcomeNames = result.Pairs.SelectMany(p => p.Outcomes.Keys).Distinct().ToList();
        var outcomes = new List<OutcomeProgramme>();
        foreach (var outcome in outcomeNames)
        {
            var rows = result.Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).Select(p => (p.Name, R: p.Outcomes[outcome])).ToList();
            var rd = PooledResult.Pool("risk difference", rows.Select(r => (r.Name, (double?)r.R.Did.RiskDifference.Estimate, (double?)r.R.Did.RiskDifference.StdError)), options);
            AdjustedPooling? adjusted = null;
            if (rows.Any(r => r.R.Adjusted is not null))
                adjusted = new AdjustedPooling(
                    PooledResult.Pool("adjusted log-odds", rows.Select(r => (r.Name, r.R.Adjusted?.LogOdds, r.R.Adjusted?.StdError)), options),
                    PooledResult.Pool("adjusted ATT", rows.Select(r => (r.Name, r.R.Adjusted?.Att, r.R.Adjusted?.AttStdError)), options, withRandomization: false),
                    result.WildBootstrap.GetValueOrDefault(outcome));
            outcomes.Add(new OutcomeProgramme(outcome, rd, adjusted));
        }
        var tests = result.Pairs.SelectMany(p => p.Outcomes.Values.Select(o => (Pair: p.Name, o))).ToList();
        var adjustedTests = tests.Where(t => t.o.Adjusted is not null).ToList();
        return new ProgrammeResult(outcomes,
            Family(tests.Select(t => (t.Pair, t.o.Outcome, t.o.Did.RiskDifference.PValue)).ToList()),
            Family(adjustedTests.Select(t => (t.Pair, t.o.Outcome, t.o.Adjusted!.PValue)).ToList()));
    }

    private static IReadOnlyList<AdjustedPValue> Family(List<(string Pair, string Outcome, double? P)> tests)
    {
        var p = tests.Select(t => t.P).ToArray();
        var holm = MultipleTesting.Holm(p);
        var bh = MultipleTesting.BenjaminiHochberg(p);
        return tests.Select((t, i) => new AdjustedPValue(t.Pair, t.Outcome, t.P, holm[i], bh[i])).ToArray();
    }
}

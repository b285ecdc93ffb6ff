using System.Globalization;
using System.Text;

namespace Evaluation.Stats.Economics;

/// <summary>The options of the cost-benefit chain; each is validated when set.</summary>
public sealed record EconomicsOptions
{
    /// <summary>The unit-value model's inputs (Table C6.1's by default).</summary>
    public UnitValueParameters UnitValues { get; init => field = value ?? throw new ArgumentNullException(nameof(UnitValues)); } = UnitValueParameters.Report;

    /// <summary>The benefit scale of the sensitivity row (Table 7.10's "benefits @ 50%"): 0.5. At least 0.</summary>
    public double BenefitScale
    {
        get;
        init => field = double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(BenefitScale), value, $"The benefit scale must be a finite number of at least 0 (0.5 is 50%); got {value}.");
    } = 0.5;

    /// <summary>The level of the DiD bounds and of the Monte Carlo interval, strictly between 0 and 1: 0.95.</summary>
    public double ConfidenceLevel
    {
        get;
        init => field = value is > 0 and < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), value, $"The confidence level must lie strictly between 0 and 1; got {value}.");
    } = 0.95;

    /// <summary>The Monte Carlo draws; 0 (the default) for none. At most 10,000,000.</summary>
    public int Draws
    {
        get;
        init => field = value is >= 0 and <= 10_000_000 ? value
            : throw new ArgumentOutOfRangeException(nameof(Draws), value, $"The number of draws must lie in [0, 10,000,000]; got {value}.");
    }

    /// <summary>The seed of the Monte Carlo draws: the same seed gives the same interval.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Ranges of unit-value inputs. The Monte Carlo draws each uniformly from its range (none by default: the unit
    /// values are then fixed); the tornado uses them in place of its default ranges.
    /// </summary>
    public IReadOnlyList<ParameterRange> Ranges { get; init => field = (value ?? throw new ArgumentNullException(nameof(Ranges))).ToArray().AsReadOnly(); } = [];
}

/// <summary>The people an effect stands for (DiD × n), by outcome; <c>null</c> where the outcome's effect is absent.</summary>
/// <param name="EffectiveTreatment">Additional clients in effective treatment (Table 7.8).</param>
/// <param name="SuccessfulCompletion">Additional successful completions (Table 7.9).</param>
public sealed record PeopleChange(double? EffectiveTreatment, double? SuccessfulCompletion);

/// <summary>The value of the people (pounds), by outcome, and their total (Table 7.10's value of benefits).</summary>
/// <param name="EffectiveTreatment">People in effective treatment × its unit value.</param>
/// <param name="SuccessfulCompletion">Successful completions × their unit value.</param>
/// <param name="Total">The sum of the outcomes present.</param>
public sealed record BenefitValues(double? EffectiveTreatment, double? SuccessfulCompletion, double Total);

/// <summary>The benefits scaled, and their ratio to costs (Table 7.10's sensitivity rows).</summary>
/// <param name="BenefitScale">The scale, for example 0.5.</param>
/// <param name="Total">Total benefits × the scale.</param>
/// <param name="Ratio">That ÷ total costs; <c>null</c> without costs.</param>
public sealed record ScaledBenefits(double BenefitScale, double Total, double? Ratio);

/// <summary>
/// One pair's cost-benefit chain (report Tables 7.8–7.11). A ratio with negative benefits is negative, not hidden
/// (the report prints "-ve"). Without costs there is no net benefit or ratio, and a warning says so.
/// </summary>
/// <param name="Name">The pair's name.</param>
/// <param name="People">People, DiD × n.</param>
/// <param name="Benefits">Their value.</param>
/// <param name="Costs">The pilot's costs, or <c>null</c>.</param>
/// <param name="NetBenefit">Total benefits − total costs.</param>
/// <param name="Ratio">Total benefits ÷ total costs (Table 7.10's 112 for site 3).</param>
/// <param name="NetRatio">Net benefit ÷ total costs (Table 7.11's "(111)").</param>
/// <param name="Sensitivity">The benefits at <see cref="EconomicsOptions.BenefitScale"/>.</param>
/// <param name="AtLowerBounds">The chain with every DiD at its lower confidence bound; <c>null</c> without standard errors.</param>
/// <param name="AtUpperBounds">The chain with every DiD at its upper confidence bound.</param>
/// <param name="Interval">The Monte Carlo interval, when draws were asked for.</param>
/// <param name="Warnings">What the reader should know.</param>
public sealed record PairEconomics(string Name, PeopleChange People, BenefitValues Benefits, PairCosts? Costs,
    double? NetBenefit, double? Ratio, double? NetRatio, ScaledBenefits Sensitivity, ChainAtBound? AtLowerBounds, ChainAtBound? AtUpperBounds,
    MonteCarloInterval? Interval, IReadOnlyList<string> Warnings)
{
    /// <summary>One line: people, benefits, costs, net benefit and ratio (pounds), and any warnings.</summary>
    public override string ToString() => Formatting.EconomicsText.Format(this);
}

/// <summary>The cost-benefit results of every pair, with the unit values they used.</summary>
/// <param name="UnitValues">The unit values (Table C6.1).</param>
/// <param name="Pairs">The pairs, in the order of the effects.</param>
/// <param name="Options">The options used.</param>
public sealed record EconomicsResult(UnitValues UnitValues, IReadOnlyList<PairEconomics> Pairs, EconomicsOptions Options)
{
    /// <summary>The pairs in the layout of Table 7.10 (pounds in thousands), then the bounds, intervals and warnings.</summary>
    public override string ToString() => Formatting.EconomicsText.Format(this);
}

/// <summary>
/// The cost-benefit chain of methodology §12: people = DiD × n; benefits = people × unit value; net benefit and
/// benefit:cost ratio against each pilot's undiscounted costs; the benefit-scale sensitivity; and the uncertainty the
/// report left out (the chain at the DiD bounds and a seeded Monte Carlo interval).
/// </summary>
public static class CostBenefit
{
    /// <summary>Runs the chain for every pair.</summary>
    /// <param name="effects">Each pair's effects; names must be unique.</param>
    /// <param name="costs">Each pair's costs; every name must be a pair of <paramref name="effects"/>. A pair without costs gets benefits only.</param>
    /// <param name="options">The options (the report's by default).</param>
    /// <exception cref="ArgumentException">When a pair repeats, or costs name a pair with no effects (the message names it).</exception>
    public static EconomicsResult Evaluate(IEnumerable<PairEffects> effects, IEnumerable<PairCosts> costs, EconomicsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(costs);
        options ??= new EconomicsOptions();
        var pairs = effects.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in pairs)
            if (!names.Add(p.Name)) throw new ArgumentException($"Pair '{p.Name}' appears twice in the effects.", nameof(effects));
        var costsByPair = new Dictionary<string, PairCosts>(StringComparer.Ordinal);
        foreach (var c in costs)
        {
            if (!names.Contains(c.Name))
                throw new ArgumentException($"Costs are given for pair '{c.Name}', which has no effects (pairs with effects: {string.Join(", ", pairs.Select(p => p.Name))}).", nameof(costs));
            if (!costsByPair.TryAdd(c.Name, c)) throw new ArgumentException($"Pair '{c.Name}' has costs twice.", nameof(costs));
        }
        var units = options.UnitValues.Compute();
        var results = pairs.Select((p, i) => Pair(p, costsByPair.GetValueOrDefault(p.Name), units, options, i)).ToList();
        return new EconomicsResult(units, results.AsReadOnly(), options);
    }

    /// <summary>Runs the chain for every pair of a journeys evaluation (its DiD results only).</summary>
    public static EconomicsResult Evaluate(EvaluationResult result, IEnumerable<PairCosts> costs, EconomicsOptions? options = null) =>
        Evaluate(PairEffects.From(result), costs, options);

    /// <summary>The benefits of one pair's effects at the given unit values.</summary>
    public static BenefitValues Benefits(PairEffects effects, UnitValues units)
    {
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(units);
        double? et = effects.EffectiveTreatment?.People * units.EffectiveTreatment;
        double? sc = effects.SuccessfulCompletion?.People * units.SuccessfulCompletion;
        return new BenefitValues(et, sc, (et ?? 0) + (sc ?? 0));
    }

    /// <summary>Benefits ÷ costs, or <c>null</c> without costs or with costs of 0.</summary>
    internal static double? Ratio(double benefits, PairCosts? costs) => costs is { Total: > 0 } ? benefits / costs.Total : null;

    private static PairEconomics Pair(PairEffects effects, PairCosts? costs, UnitValues units, EconomicsOptions options, int index)
    {
        var warnings = new List<string>();
        if (effects.EffectiveTreatment is null) warnings.Add("no effect on effective treatment was given, so its benefit is left out of the total");
        if (effects.SuccessfulCompletion is null) warnings.Add("no effect on successful completions was given, so its benefit is left out of the total");
        if (costs is null) warnings.Add("no costs were given for this pair, so it has benefits but no net benefit or benefit:cost ratio");
        else if (costs.Total == 0) warnings.Add("the costs total 0, so the benefit:cost ratio is undefined");

        var benefits = Benefits(effects, units);
        double? net = costs is null ? null : benefits.Total - costs.Total;
        double? ratio = Ratio(benefits.Total, costs);
        double? netRatio = net is double n && costs is { Total: > 0 } ? n / costs.Total : null;
        double scaled = benefits.Total * options.BenefitScale;
        var sensitivity = new ScaledBenefits(options.BenefitScale, scaled, Ratio(scaled, costs));

        var (lower, upper) = EconomicsUncertainty.AtBounds(effects, costs, units, options.ConfidenceLevel, warnings);
        var interval = options.Draws > 0 ? EconomicsUncertainty.MonteCarlo(effects, costs, options, index) : null;
        return new PairEconomics(effects.Name, new PeopleChange(effects.EffectiveTreatment?.People, effects.SuccessfulCompletion?.People),
            benefits, costs, net, ratio, netRatio, sensitivity, lower, upper, interval, warnings.AsReadOnly());
    }
}

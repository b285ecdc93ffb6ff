using MathNet.Numerics.Distributions;

namespace Evaluation.Stats.Economics;

/// <summary>The inputs of the unit-value model that can be varied (Monte Carlo ranges and the tornado).</summary>
public enum UnitValueInput
{
    /// <summary><see cref="UnitValueParameters.HarmWithoutTreatment"/>.</summary>
    HarmWithoutTreatment,
    /// <summary><see cref="UnitValueParameters.HarmInTreatment"/>.</summary>
    HarmInTreatment,
    /// <summary><see cref="UnitValueParameters.RecoveryProbability"/>.</summary>
    RecoveryProbability,
    /// <summary><see cref="UnitValueParameters.DiscountRate"/>.</summary>
    DiscountRate,
    /// <summary><see cref="UnitValueParameters.RecoveredHarmDecayRate"/>.</summary>
    RecoveredHarmDecayRate,
    /// <summary><see cref="UnitValueParameters.NoTreatmentHarmDeclineRate"/>.</summary>
    NoTreatmentHarmDeclineRate,
}

/// <summary>A stated range of one unit-value input. Both ends are checked against the input's own rule when created.</summary>
public sealed record ParameterRange
{
    /// <summary>Creates a range.</summary>
    /// <exception cref="ArgumentException">When an end is not finite, low exceeds high, or an end is outside the input's valid range.</exception>
    public ParameterRange(UnitValueInput input, double low, double high)
    {
        if (!Enum.IsDefined(input)) throw new ArgumentOutOfRangeException(nameof(input), input, "Unknown unit-value input.");
        if (!(double.IsFinite(low) && double.IsFinite(high) && low <= high))
            throw new ArgumentException($"The range of {input} must have finite ends with low <= high; got [{low}, {high}].", nameof(low));
        Input = input;
        Low = low;
        High = high;
        Apply(UnitValueParameters.Report, low);  // each end must be a valid value of the input
        Apply(UnitValueParameters.Report, high);
    }

    /// <summary>The input varied.</summary>
    public UnitValueInput Input { get; }

    /// <summary>The low end.</summary>
    public double Low { get; }

    /// <summary>The high end.</summary>
    public double High { get; }

    /// <summary>
    /// The tornado's default ranges, chosen to be illustrative: H₀ and H₁ ±10%; π from 0.41 to 0.53 (Table C5.1's
    /// likelihoods after unplanned and planned exits); the discount rate 1.5% to 6%; the recovered clients' decay from
    /// Appendix C6's 70% to the base case's 100%; the no-treatment decline from 0 to Appendix C6's 10%.
    /// </summary>
    public static IReadOnlyList<ParameterRange> Defaults { get; } = new[]
    {
        new ParameterRange(UnitValueInput.HarmWithoutTreatment, 0.9 * 55_127, 1.1 * 55_127),
        new ParameterRange(UnitValueInput.HarmInTreatment, 0.9 * 43_087, 1.1 * 43_087),
        new ParameterRange(UnitValueInput.RecoveryProbability, 0.41, 0.53),
        new ParameterRange(UnitValueInput.DiscountRate, 0.015, 0.06),
        new ParameterRange(UnitValueInput.RecoveredHarmDecayRate, 0.7, 1),
        new ParameterRange(UnitValueInput.NoTreatmentHarmDeclineRate, 0, 0.1),
    }.AsReadOnly();

    /// <summary>The parameters with this input set to <paramref name="value"/> (validated by the parameter's own rule).</summary>
    public UnitValueParameters Apply(UnitValueParameters parameters, double value)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Input switch
        {
            UnitValueInput.HarmWithoutTreatment => parameters with { HarmWithoutTreatment = value },
            UnitValueInput.HarmInTreatment => parameters with { HarmInTreatment = value },
            UnitValueInput.RecoveryProbability => parameters with { RecoveryProbability = value },
            UnitValueInput.DiscountRate => parameters with { DiscountRate = value },
            UnitValueInput.RecoveredHarmDecayRate => parameters with { RecoveredHarmDecayRate = value },
            UnitValueInput.NoTreatmentHarmDeclineRate => parameters with { NoTreatmentHarmDeclineRate = value },
            _ => throw new ArgumentOutOfRangeException(nameof(Input)),
        };
    }
}

/// <summary>The chain with every DiD at one of its confidence bounds.</summary>
/// <param name="TotalBenefits">Total benefits (pounds).</param>
/// <param name="NetBenefit">Net benefit, when there are costs.</param>
/// <param name="Ratio">Benefit:cost ratio, when there are costs.</param>
public sealed record ChainAtBound(double TotalBenefits, double? NetBenefit, double? Ratio);

/// <summary>
/// A seeded Monte Carlo interval: the DiDs drawn from their normal sampling distributions (independently) and, when
/// ranges are given, the unit-value inputs uniformly from them; percentile limits (R's quantile type 7).
/// </summary>
/// <param name="Level">The interval's level.</param>
/// <param name="Draws">The number of draws.</param>
/// <param name="Seed">The seed; the same seed gives the same interval.</param>
/// <param name="TotalLower">The lower limit of total benefits.</param>
/// <param name="TotalUpper">The upper limit of total benefits.</param>
/// <param name="NetBenefitLower">The lower limit of the net benefit (with costs).</param>
/// <param name="NetBenefitUpper">The upper limit of the net benefit.</param>
/// <param name="RatioLower">The lower limit of the benefit:cost ratio.</param>
/// <param name="RatioUpper">The upper limit of the benefit:cost ratio.</param>
/// <param name="ProbabilityNetPositive">The share of draws with a net benefit above 0.</param>
public sealed record MonteCarloInterval(double Level, int Draws, int Seed, double TotalLower, double TotalUpper,
    double? NetBenefitLower, double? NetBenefitUpper, double? RatioLower, double? RatioUpper, double? ProbabilityNetPositive);

/// <summary>One bar of a tornado: an input moved from its low to its high value, and the output at each.</summary>
/// <param name="Label">What was varied, in words.</param>
/// <param name="LowInput">The input's low value.</param>
/// <param name="HighInput">The input's high value.</param>
/// <param name="OutputAtLow">The output with the input low.</param>
/// <param name="OutputAtHigh">The output with the input high.</param>
public sealed record SensitivityBar(string Label, double LowInput, double HighInput, double OutputAtLow, double OutputAtHigh)
{
    /// <summary>The width of the bar, |output at high − output at low|.</summary>
    public double Swing => Math.Abs(OutputAtHigh - OutputAtLow);
}

/// <summary>One-way sensitivities of one output, widest bar first (the data of a tornado chart).</summary>
/// <param name="Subject">Whose output, for example a pair's name.</param>
/// <param name="Output">The output, for example "net benefit (£)".</param>
/// <param name="Base">The output at the base values.</param>
/// <param name="Bars">The bars, widest first.</param>
public sealed record SensitivityAnalysis(string Subject, string Output, double Base, IReadOnlyList<SensitivityBar> Bars)
{
    /// <summary>The bars as a table, widest first.</summary>
    public override string ToString() =>
        $"{Subject}: {Output}, base {Base.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}" + Environment.NewLine +
        string.Concat(Bars.Select(b => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  {b.Label,-45} {b.LowInput,12:G6} -> {b.OutputAtLow,16:N0}   {b.HighInput,12:G6} -> {b.OutputAtHigh,16:N0}{Environment.NewLine}")));
}

/// <summary>The uncertainty the report left out: the DiD bounds, Monte Carlo intervals and one-way sensitivities.</summary>
public static class EconomicsUncertainty
{
    /// <summary>
    /// One-way sensitivities of a pair's net benefit (its total benefits when it has no costs): each DiD over its
    /// confidence interval, the benefit scale from <see cref="EconomicsOptions.BenefitScale"/> to 1, and each
    /// unit-value input over its range (<see cref="EconomicsOptions.Ranges"/>, else <see cref="ParameterRange.Defaults"/>).
    /// </summary>
    public static SensitivityAnalysis Tornado(PairEffects effects, PairCosts? costs, EconomicsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        options ??= new EconomicsOptions();
        double cost = costs?.Total ?? 0;
        double Output(PairEffects e, UnitValues u, double scale = 1) => scale * CostBenefit.Benefits(e, u).Total - cost;
        var units = options.UnitValues.Compute();
        var bars = new List<SensitivityBar>();
        double z = Z(options.ConfidenceLevel);
        string level = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100 * options.ConfidenceLevel:0.##}% CI");
        if (effects.EffectiveTreatment is { StdError: double seEt } et)
            bars.Add(new SensitivityBar($"effective treatment DiD ({level})", et.Did - z * seEt, et.Did + z * seEt,
                Output(effects with { EffectiveTreatment = et.WithDid(et.Did - z * seEt) }, units),
                Output(effects with { EffectiveTreatment = et.WithDid(et.Did + z * seEt) }, units)));
        if (effects.SuccessfulCompletion is { StdError: double seSc } sc)
            bars.Add(new SensitivityBar($"successful completion DiD ({level})", sc.Did - z * seSc, sc.Did + z * seSc,
                Output(effects with { SuccessfulCompletion = sc.WithDid(sc.Did - z * seSc) }, units),
                Output(effects with { SuccessfulCompletion = sc.WithDid(sc.Did + z * seSc) }, units)));
        bars.Add(new SensitivityBar("benefit scale", options.BenefitScale, 1, Output(effects, units, options.BenefitScale), Output(effects, units)));
        foreach (var range in RangesFor(options))
            bars.Add(new SensitivityBar(Describe(range.Input), range.Low, range.High,
                Output(effects, range.Apply(options.UnitValues, range.Low).Compute()),
                Output(effects, range.Apply(options.UnitValues, range.High).Compute())));
        return new SensitivityAnalysis(effects.Name, costs is null ? "total benefits (£)" : "net benefit (£)", Output(effects, units),
            bars.OrderByDescending(b => b.Swing).ToList().AsReadOnly());
    }

    /// <summary>One-way sensitivities of the unit value of a successful completion (Appendix C6's sensitivities among them).</summary>
    public static SensitivityAnalysis UnitValueTornado(EconomicsOptions? options = null)
    {
        options ??= new EconomicsOptions();
        var bars = RangesFor(options).Select(range => new SensitivityBar(Describe(range.Input), range.Low, range.High,
            range.Apply(options.UnitValues, range.Low).Compute().SuccessfulCompletion,
            range.Apply(options.UnitValues, range.High).Compute().SuccessfulCompletion));
        return new SensitivityAnalysis("unit values", "value of a successful completion (£)", options.UnitValues.Compute().SuccessfulCompletion,
            bars.OrderByDescending(b => b.Swing).ToList().AsReadOnly());
    }

    /// <summary>The chain with every DiD at its lower and at its upper bound; (null, null) with a warning when a DiD has no standard error.</summary>
    internal static (ChainAtBound? Lower, ChainAtBound? Upper) AtBounds(PairEffects effects, PairCosts? costs, UnitValues units, double level, List<string> warnings)
    {
        var present = new[] { effects.EffectiveTreatment, effects.SuccessfulCompletion }.Where(e => e is not null).ToList();
        if (present.Count == 0 || present.Any(e => e!.StdError is null))
        {
            warnings.Add("a DiD has no standard error, so the chain at the confidence bounds and the Monte Carlo draw of the DiDs are not available");
            return (null, null);
        }
        double z = Z(level);
        ChainAtBound At(double sign)
        {
            var moved = effects with
            {
                EffectiveTreatment = effects.EffectiveTreatment?.WithDid(effects.EffectiveTreatment.Did + sign * z * effects.EffectiveTreatment.StdError!.Value),
                SuccessfulCompletion = effects.SuccessfulCompletion?.WithDid(effects.SuccessfulCompletion.Did + sign * z * effects.SuccessfulCompletion.StdError!.Value),
            };
            double total = CostBenefit.Benefits(moved, units).Total;
            return new ChainAtBound(total, costs is null ? null : total - costs.Total, CostBenefit.Ratio(total, costs));
        }
        return (At(-1), At(+1));
    }

    /// <summary>The Monte Carlo interval of one pair; <paramref name="index"/> gives each pair its own stream of the seed.</summary>
    internal static MonteCarloInterval MonteCarlo(PairEffects effects, PairCosts? costs, EconomicsOptions options, int index)
    {
        var random = new Random(StreamSeed(options.Seed, index));
        var fixedUnits = options.UnitValues.Compute();
        var totals = new double[options.Draws];
        int positive = 0;
        double cost = costs?.Total ?? 0;
        for (int d = 0; d < totals.Length; d++)
        {
            var drawn = effects with
            {
                EffectiveTreatment = Draw(effects.EffectiveTreatment, random),
                SuccessfulCompletion = Draw(effects.SuccessfulCompletion, random),
            };
            var units = fixedUnits;
            if (options.Ranges.Count > 0)
            {
                var parameters = options.UnitValues;
                foreach (var range in options.Ranges)
                    parameters = range.Apply(parameters, range.Low + (range.High - range.Low) * random.NextDouble());
                units = parameters.Compute();
            }
            totals[d] = CostBenefit.Benefits(drawn, units).Total;
            if (totals[d] - cost > 0) positive++;
        }
        Array.Sort(totals);
        double alpha = (1 - options.ConfidenceLevel) / 2;
        double lo = Quantile(totals, alpha), hi = Quantile(totals, 1 - alpha);
        bool withCosts = costs is not null;
        return new MonteCarloInterval(options.ConfidenceLevel, options.Draws, options.Seed, lo, hi,
            withCosts ? lo - cost : null, withCosts ? hi - cost : null, CostBenefit.Ratio(lo, costs), CostBenefit.Ratio(hi, costs),
            withCosts ? (double)positive / totals.Length : null);
    }

    /// <summary>The quantile of sorted values by linear interpolation between order statistics (R's type 7).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int i = (int)Math.Floor(h);
        return i + 1 < sorted.Length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[^1];
    }

    private static OutcomeEffect? Draw(OutcomeEffect? effect, Random random) =>
        effect is { StdError: double se } ? effect.WithDid(Normal.Sample(random, effect.Did, se)) : effect;

    private static double Z(double level) => Normal.InvCDF(0, 1, 0.5 + level / 2);

    // A fixed mix of the seed and the pair's position (SplitMix64's finaliser), so each pair has its own stream and
    // the same seed always gives the same draws; System.Random with a seed is stable across .NET versions.
    private static int StreamSeed(int seed, int index)
    {
        ulong x = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 1);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)((x ^ (x >> 31)) & int.MaxValue);
    }

    private static IEnumerable<ParameterRange> RangesFor(EconomicsOptions options) =>
        ParameterRange.Defaults.Select(d => options.Ranges.LastOrDefault(r => r.Input == d.Input) ?? d);

    private static string Describe(UnitValueInput input) => input switch
    {
        UnitValueInput.HarmWithoutTreatment => "harm without treatment (£/yr)",
        UnitValueInput.HarmInTreatment => "harm in treatment (£/yr)",
        UnitValueInput.RecoveryProbability => "recovery probability",
        UnitValueInput.DiscountRate => "discount rate",
        UnitValueInput.RecoveredHarmDecayRate => "recovered clients' harm decay rate",
        UnitValueInput.NoTreatmentHarmDeclineRate => "no-treatment harm decline rate",
        _ => input.ToString(),
    };
}

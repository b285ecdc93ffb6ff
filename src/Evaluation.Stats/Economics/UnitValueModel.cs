using System.Globalization;
using System.Text;

namespace Evaluation.Stats.Economics;

/// <summary>
/// The inputs of the unit-value model of the report's Table C6.1 (methodology §12), immutable and validated: every
/// property rejects a value outside its range with an <see cref="ArgumentOutOfRangeException"/> naming it. The
/// defaults reproduce the table; change one with a <c>with</c> expression.
/// </summary>
public sealed record UnitValueParameters
{
    /// <summary>The weighted (expected) harm of a completer in the recovery years printed in Table C6.1, £29,932, from
    /// which the default recovery probability is derived.</summary>
    public const double ReportWeightedRecoveryHarm = 29_932;

    /// <summary>The report's parameters (Table C6.1): every default.</summary>
    public static UnitValueParameters Report { get; } = new();

    /// <summary>H₀, the yearly harm (crime and health costs, £) of a client not in treatment: £55,127 (DTORS, Table C5.1).</summary>
    public double HarmWithoutTreatment { get; init => field = NonNegative(value, nameof(HarmWithoutTreatment)); } = 55_127;

    /// <summary>H₁, the yearly harm (£) of a client in treatment: £43,087 (Table C5.1).</summary>
    public double HarmInTreatment { get; init => field = NonNegative(value, nameof(HarmInTreatment)); } = 43_087;

    /// <summary>The years in treatment, 4: the years of the short-term saving H₀ − H₁ and of the treatment cost.</summary>
    public int TreatmentYears { get; init => field = NonNegative(value, nameof(TreatmentYears)); } = 4;

    /// <summary>The recovery years after treatment, 8 (years 5–12 of the table).</summary>
    public int RecoveryYears { get; init => field = NonNegative(value, nameof(RecoveryYears)); } = 8;

    /// <summary>π, the probability that a successful completion stays in recovery. Table C6.1's weighted harm of £29,932
    /// in the recovery years means π = 1 − 29,932/55,127 ≈ 0.457 (the text rounds it to 46%).</summary>
    public double RecoveryProbability { get; init => field = Probability(value, nameof(RecoveryProbability)); } = 1 - ReportWeightedRecoveryHarm / 55_127;

    /// <summary>The cost (£) of a year of treatment, £3,000, for each treatment year.</summary>
    public double TreatmentCostPerYear { get; init => field = NonNegative(value, nameof(TreatmentCostPerYear)); } = 3_000;

    /// <summary>The discount rate, a fraction above −1: 3.5% a year.</summary>
    public double DiscountRate
    {
        get;
        init
        {
            PresentValue.ValidateRate(value, nameof(DiscountRate));
            field = value;
        }
    } = PresentValue.DefaultRate;

    /// <summary>
    /// d, the yearly decay of a recovered client's harm (Appendix C6's first sensitivity): in recovery year k the
    /// recovered client causes H₁·(1 − d)^k. The base case, harm stopping at completion, is d = 1; the report's
    /// sensitivity is d = 0.7. In [0, 1].
    /// </summary>
    public double RecoveredHarmDecayRate { get; init => field = Probability(value, nameof(RecoveredHarmDecayRate)); } = 1;

    /// <summary>
    /// g, the yearly decline of the no-treatment harm in the recovery years (Appendix C6's second sensitivity, 10% in
    /// the report): H₀ in the first recovery year, then H₀·(1 − g)^(k − 1) in recovery year k. The treatment years keep
    /// H₀. The base case is g = 0. In [0, 1]. See <c>docs/methodology.md</c> for why the decline starts there.
    /// </summary>
    public double NoTreatmentHarmDeclineRate { get; init => field = Probability(value, nameof(NoTreatmentHarmDeclineRate)); }

    /// <summary>Computes the yearly table and the unit values.</summary>
    public UnitValues Compute() => UnitValues.From(this);

    /// <summary>The parameters in one line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"H0 {HarmWithoutTreatment:N0}, H1 {HarmInTreatment:N0}, {TreatmentYears} treatment + {RecoveryYears} recovery years, " +
        $"pi {RecoveryProbability:0.####}, cost {TreatmentCostPerYear:N0}/yr, rate {DiscountRate:0.####}, decay {RecoveredHarmDecayRate:0.####}, decline {NoTreatmentHarmDeclineRate:0.####}");

    private static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0; got {value}.");

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a whole number of years of at least 0; got {value}.");

    private static double Probability(double value, string name) =>
        value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1] (a fraction); got {value}.");
}

/// <summary>One year of Table C6.1: the harm on each path (undiscounted) and the values of treatment (discounted where
/// the name says so). Money is in pounds.</summary>
/// <param name="Year">The year, from 1.</param>
/// <param name="NoTreatment">The harm of a client not treated ("No treat").</param>
/// <param name="Recovery">The harm of a client in treatment, then of a recovered completer ("Recovery").</param>
/// <param name="NoRecovery">The harm of a client in treatment, then of a completer who relapses ("No recovery").</param>
/// <param name="Weighted">The expected harm, π·Recovery + (1 − π)·NoRecovery ("Wtd av.").</param>
/// <param name="ShortTermValue">The saving of treatment in the treatment years, NoTreatment − in-treatment harm.</param>
/// <param name="ShortTermDiscounted">That saving discounted ("Discounted value of treatment").</param>
/// <param name="LongTermValue">The saving of recovery in the recovery years, NoTreatment − Recovery ("Long-term value").</param>
/// <param name="RecoveryDiscounted">That saving discounted ("Discounted value of abstain").</param>
/// <param name="Expected">The discounted expected value of a successful completion: the short-term saving, then π times the recovery saving.</param>
/// <param name="CostDiscounted">The treatment cost discounted ("Discounted cost of treatment").</param>
public sealed record UnitValueYear(int Year, double NoTreatment, double Recovery, double NoRecovery, double Weighted,
    double ShortTermValue, double ShortTermDiscounted, double LongTermValue, double RecoveryDiscounted, double Expected, double CostDiscounted);

/// <summary>
/// The unit-value model's yearly table and its totals (report Table C6.1): the present value of a client in effective
/// treatment (£44,224), of a successful completion (£195,149), of recovery alone (£330,225) and of the treatment cost
/// (£11,019).
/// </summary>
public sealed record UnitValues
{
    private UnitValues(UnitValueParameters parameters, IReadOnlyList<UnitValueYear> years)
    {
        Parameters = parameters;
        Years = years;
        EffectiveTreatment = years.Sum(y => y.ShortTermDiscounted);
        Recovery = years.Sum(y => y.RecoveryDiscounted);
        SuccessfulCompletion = years.Sum(y => y.Expected);
        TreatmentCost = years.Sum(y => y.CostDiscounted);
    }

    /// <summary>The inputs.</summary>
    public UnitValueParameters Parameters { get; }

    /// <summary>The yearly table, treatment years then recovery years.</summary>
    public IReadOnlyList<UnitValueYear> Years { get; }

    /// <summary>The present value of a client in effective treatment: the discounted short-term savings (£44,224).</summary>
    public double EffectiveTreatment { get; }

    /// <summary>The present value of a successful completion: the short-term savings plus π times the recovery savings (£195,149).</summary>
    public double SuccessfulCompletion { get; }

    /// <summary>The present value of recovery before weighting by π (£330,225).</summary>
    public double Recovery { get; }

    /// <summary>The present value of the treatment cost (£11,019).</summary>
    public double TreatmentCost { get; }

    /// <summary>The short-term net value of effective treatment, <see cref="EffectiveTreatment"/> − <see cref="TreatmentCost"/> (£33,205; the report's text prints £33,215, a slip).</summary>
    public double NetShortTerm => EffectiveTreatment - TreatmentCost;

    /// <summary>Builds the table from the parameters.</summary>
    public static UnitValues From(UnitValueParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        double pi = p.RecoveryProbability;
        var years = new List<UnitValueYear>(p.TreatmentYears + p.RecoveryYears);
        for (int t = 1; t <= p.TreatmentYears; t++)
        {
            double factor = PresentValue.Factor(t, p.DiscountRate);
            double saving = p.HarmWithoutTreatment - p.HarmInTreatment;
            years.Add(new UnitValueYear(t, p.HarmWithoutTreatment, p.HarmInTreatment, p.HarmInTreatment, p.HarmInTreatment,
                saving, saving * factor, 0, 0, saving * factor, p.TreatmentCostPerYear * factor));
        }
        for (int k = 1; k <= p.RecoveryYears; k++)
        {
            int t = p.TreatmentYears + k;
            double factor = PresentValue.Factor(t, p.DiscountRate);
            double noTreatment = p.HarmWithoutTreatment * Math.Pow(1 - p.NoTreatmentHarmDeclineRate, k - 1);
            double recovered = p.HarmInTreatment * Math.Pow(1 - p.RecoveredHarmDecayRate, k);
            double weighted = pi * recovered + (1 - pi) * noTreatment;
            double saving = noTreatment - recovered;
            years.Add(new UnitValueYear(t, noTreatment, recovered, noTreatment, weighted, 0, 0, saving, saving * factor, pi * saving * factor, 0));
        }
        return new UnitValues(parameters, years.AsReadOnly());
    }

    /// <summary>The table in the layout of Table C6.1 (pounds, rounded to whole pounds), then the totals.</summary>
    public override string ToString() => Formatting.EconomicsText.Format(this);
}

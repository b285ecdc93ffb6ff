namespace Evaluation.Stats.Economics;

/// <summary>
/// Present values with end-of-year discounting (methodology §12): a value <c>v_t</c> arriving at the end of year
/// <c>t</c> (t = 1, 2, …) is worth <c>v_t / (1 + r)^t</c> today. This is the convention of the report's Table C6.1,
/// whose first-year saving of £12,040 appears as £11,633 = 12,040 / 1.035.
/// </summary>
public static class PresentValue
{
    /// <summary>The default discount rate, 3.5% a year (the report's, and HM Treasury's Green Book rate).</summary>
    public const double DefaultRate = 0.035;

    /// <summary>The discount factor of year <paramref name="year"/>, <c>1 / (1 + r)^year</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the year is negative or the rate is not a finite number above −1.</exception>
    public static double Factor(int year, double rate = DefaultRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(year);
        ValidateRate(rate);
        return Math.Pow(1 + rate, -year);
    }

    /// <summary>Each value of a stream discounted to today: element <c>t − 1</c> is <c>v_t / (1 + r)^t</c>.</summary>
    /// <param name="values">The stream, one value per year, year 1 first.</param>
    /// <param name="rate">The discount rate, a fraction above −1.</param>
    /// <exception cref="ArgumentException">When a value is not finite (the message names the year) or the rate is out of range.</exception>
    public static IReadOnlyList<double> Discounted(IReadOnlyList<double> values, double rate = DefaultRate)
    {
        ArgumentNullException.ThrowIfNull(values);
        ValidateRate(rate);
        var result = new double[values.Count];
        for (int t = 0; t < values.Count; t++)
        {
            if (!double.IsFinite(values[t]))
                throw new ArgumentException($"Year {t + 1}: the value {values[t]} is not a finite number.", nameof(values));
            result[t] = values[t] * Math.Pow(1 + rate, -(t + 1));
        }
        return result.AsReadOnly();
    }

    /// <summary>The present value <c>Σ v_t / (1 + r)^t</c> of a stream, year 1 first.</summary>
    /// <exception cref="ArgumentException">When a value is not finite or the rate is out of range.</exception>
    public static double Of(IReadOnlyList<double> values, double rate = DefaultRate) => Discounted(values, rate).Sum();

    /// <summary>Checks that a discount rate is a finite number above −1 (at −1 or below the factor is undefined or changes sign).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When it is not.</exception>
    public static void ValidateRate(double rate, string name = "rate")
    {
        if (!(double.IsFinite(rate) && rate > -1))
            throw new ArgumentOutOfRangeException(name, rate, $"The discount rate must be a finite number above -1 (a fraction: 0.035 is 3.5%); got {rate}.");
    }
}

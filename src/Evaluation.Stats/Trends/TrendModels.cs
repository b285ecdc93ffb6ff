using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using MathNet.Numerics.LinearAlgebra;

namespace Evaluation.Stats.Trends;

/// <summary>One arm's cell of one outcome in one interval: the input of the trend models.</summary>
/// <param name="Interval">The interval's index in the series.</param>
/// <param name="Arm">The arm.</param>
/// <param name="Cell">n and events.</param>
public sealed record IntervalCell(int Interval, Group Arm, Cell Cell);

/// <summary>
/// The pre-trend test (methodology §11): <c>logit(p) = a + b·pilot + c·t + d·pilot·t</c> on the cells of the intervals
/// wholly inside the pre window, t the interval's index. <see cref="Estimate"/> is d, the difference between the arms'
/// slopes on the log-odds scale; a parallel pre-trend has d = 0.
/// </summary>
/// <param name="Estimate">d.</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="ZValue">d / SE.</param>
/// <param name="PValue">The two-sided normal p-value.</param>
/// <param name="CiLower">The lower Wald limit.</param>
/// <param name="CiUpper">The upper Wald limit.</param>
/// <param name="Intervals">The indices of the intervals used.</param>
/// <param name="Fit">The grouped-binomial fit (<c>glm(cbind(events, n − events) ~ pilot * t, binomial)</c>).</param>
public sealed record PreTrendTest(double Estimate, double StdError, double ZValue, double PValue, double CiLower, double CiUpper,
    IReadOnlyList<int> Intervals, LogisticResult Fit)
{
    /// <summary>The test in one line.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"pilot·t {Estimate:0.0000} (SE {StdError:0.0000}; z {ZValue:0.00}; p {PValueText.Format(PValue)}) over {Intervals.Count} pre intervals");
}

/// <summary>One coefficient δₖ of an event study: the pilot's log-odds difference from the comparison in interval k, less that in the reference interval.</summary>
/// <param name="Interval">The interval k.</param>
/// <param name="IsReference">True for the reference interval (δ = 0 by construction; no SE).</param>
/// <param name="Estimate">δₖ; <c>null</c> when undefined in this interval (see the study's warnings).</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="ZValue">δₖ / SE.</param>
/// <param name="PValue">The two-sided normal p-value.</param>
/// <param name="CiLower">The lower Wald limit.</param>
/// <param name="CiUpper">The upper Wald limit.</param>
public sealed record EventStudyCoefficient(TrendInterval Interval, bool IsReference, double? Estimate, double? StdError, double? ZValue,
    double? PValue, double? CiLower, double? CiUpper);

/// <summary>
/// The event study (methodology §11): <c>logit(p) = arm + interval effects + Σₖ δₖ·pilot·[interval = k]</c> over every
/// interval, with the last interval wholly inside the pre window as the reference.
/// </summary>
/// <param name="Reference">The reference interval.</param>
/// <param name="Coefficients">One per interval of the series, in order (the reference included, with δ = 0).</param>
/// <param name="Fit">The grouped-binomial fit.</param>
public sealed record EventStudy(TrendInterval Reference, IReadOnlyList<EventStudyCoefficient> Coefficients, LogisticResult Fit)
{
    /// <summary>The coefficients as a table.</summary>
    public override string ToString() => Formatting.TrendText.Format(this);
}

/// <summary>The trend models on interval cells. Estimators know nothing about journeys: they take cells.</summary>
public static class TrendModels
{
    /// <summary>The fewest pre intervals the pre-trend test needs: 3.</summary>
    public const int MinimumPreIntervals = 3;

    /// <summary>
    /// The pre-trend test on the intervals wholly inside the pre window whose two arms both have n &gt; 0. <c>null</c>,
    /// with <paramref name="whyAbsent"/> saying why, when there are fewer than <see cref="MinimumPreIntervals"/> such
    /// intervals or d cannot be estimated.
    /// </summary>
    public static PreTrendTest? PreTrend(IReadOnlyList<TrendInterval> intervals, IReadOnlyList<IntervalCell> cells, out string? whyAbsent,
        double confidenceLevel = DidEstimator.DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(cells);
        var byKey = Index(cells);
        var used = intervals.Where(i => i.Phase == IntervalPhase.Pre && Both(byKey, i.Index, c => c.N > 0)).Select(i => i.Index).ToArray();
        if (used.Length < MinimumPreIntervals)
        {
            whyAbsent = $"pre-trend test absent: {used.Length} interval(s) wholly inside the pre window have cells in both arms, and the test needs at least {MinimumPreIntervals}";
            return null;
        }
        var rows = used.SelectMany(k => new[] { byKey[(k, Group.Pilot)], byKey[(k, Group.Comparison)] }).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Length, 4, (r, j) =>
        {
            double pilot = rows[r].Arm == Group.Pilot ? 1 : 0, t = rows[r].Interval;
            return j switch { 0 => 1, 1 => pilot, 2 => t, _ => pilot * t };
        });
        var fit = LogisticRegression.FitGrouped(x, ["(Intercept)", "pilot", "t", "pilot:t"], rows.Select(r => r.Cell.Events).ToArray(),
            rows.Select(r => r.Cell.N).ToArray(), new LogisticOptions { ConfidenceLevel = confidenceLevel });
        var d = fit["pilot:t"];
        if (d.IsAliased || !fit.Converged)
        {
            whyAbsent = d.IsAliased ? "pre-trend test absent: pilot·t is aliased" : "pre-trend test absent: the fit did not converge";
            return null;
        }
        whyAbsent = null;
        return new PreTrendTest(d.Estimate!.Value, d.StdError!.Value, d.ZValue!.Value, d.PValue!.Value, d.CiLower!.Value, d.CiUpper!.Value, used, fit);
    }

    /// <summary>
    /// The event study. An interval enters the fit when both arms have cells with 0 &lt; events &lt; n (otherwise its δ is
    /// infinite or empty and is reported as <c>null</c>, with a warning). <c>null</c>, with <paramref name="whyAbsent"/>,
    /// when no interval lies wholly inside the pre window or the reference interval cannot enter the fit.
    /// </summary>
    public static EventStudy? EventStudy(IReadOnlyList<TrendInterval> intervals, IReadOnlyList<IntervalCell> cells, out string? whyAbsent,
        out IReadOnlyList<string> warnings, double confidenceLevel = DidEstimator.DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(cells);
        warnings = [];
        var reference = intervals.LastOrDefault(i => i.Phase == IntervalPhase.Pre);
        if (reference is null) { whyAbsent = "event study absent: no interval lies wholly inside the pre window to serve as the reference"; return null; }
        var byKey = Index(cells);
        bool Usable(int k) => Both(byKey, k, c => c.Events > 0 && c.Events < c.N);
        if (!Usable(reference.Index))
        {
            whyAbsent = $"event study absent: the reference interval {reference.Name} does not have 0 < events < n in both arms";
            return null;
        }
        var used = intervals.Where(i => Usable(i.Index)).ToArray();
        var others = used.Where(i => i != reference).ToArray();
        var names = new List<string> { "(Intercept)", "pilot" };
        names.AddRange(others.Select(i => $"interval[{i.Name}]"));
        names.AddRange(others.Select(i => $"pilot:interval[{i.Name}]"));
        var rows = used.SelectMany(i => new[] { byKey[(i.Index, Group.Pilot)], byKey[(i.Index, Group.Comparison)] }).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Length, names.Count, (r, j) =>
        {
            double pilot = rows[r].Arm == Group.Pilot ? 1 : 0;
            if (j == 0) return 1;
            if (j == 1) return pilot;
            int m = (j - 2) % others.Length;
            double at = others[m].Index == rows[r].Interval ? 1 : 0;
            return j < 2 + others.Length ? at : pilot * at;
        });
        var fit = LogisticRegression.FitGrouped(x, names, rows.Select(r => r.Cell.Events).ToArray(), rows.Select(r => r.Cell.N).ToArray(),
            new LogisticOptions { ConfidenceLevel = confidenceLevel });
        var list = new List<string>();
        var coefficients = intervals.Select(i =>
        {
            if (i == reference) return new EventStudyCoefficient(i, true, 0, null, null, null, null, null);
            if (!Usable(i.Index))
            {
                list.Add($"event study: delta undefined in {i.Name}, where an arm has no cell or 0 or n events");
                return new EventStudyCoefficient(i, false, null, null, null, null, null, null);
            }
            var c = fit[$"pilot:interval[{i.Name}]"];
            return new EventStudyCoefficient(i, false, c.Estimate, c.StdError, c.ZValue, c.PValue, c.CiLower, c.CiUpper);
        }).ToArray();
        list.AddRange(fit.Warnings.Select(w => $"event study fit: {w}"));
        warnings = list;
        whyAbsent = null;
        return new EventStudy(reference, coefficients, fit);
    }

    private static Dictionary<(int, Group), IntervalCell> Index(IReadOnlyList<IntervalCell> cells)
    {
        var byKey = new Dictionary<(int, Group), IntervalCell>();
        foreach (var c in cells)
            if (!byKey.TryAdd((c.Interval, c.Arm), c))
                throw new ArgumentException($"Two cells for interval {c.Interval}, arm {c.Arm}.", nameof(cells));
        return byKey;
    }

    private static bool Both(Dictionary<(int, Group), IntervalCell> byKey, int k, Func<Cell, bool> test) =>
        byKey.TryGetValue((k, Group.Pilot), out var p) && byKey.TryGetValue((k, Group.Comparison), out var c) && test(p.Cell) && test(c.Cell);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>
/// A link of the binomial family as an operator over the vector width, so the family kernel is written once and a
/// link plugs in as another struct (logit here; probit and cloglog would implement the same members).
/// </summary>
internal interface IBinomialLinkOperator
{
    /// <summary>Whether mu.eta equals the variance μ(1 − μ) (the canonical link), so the working residual needs no scaling outside clamped rows.</summary>
    static abstract bool Canonical { get; }

    /// <summary>
    /// A whole-block step before the kernel runs, writing one value per row into <paramref name="prepared"/> (for logit,
    /// exp(η)): a transcendental function over a span runs as one loop of its own.
    /// </summary>
    static abstract void Prepare(ReadOnlySpan<double> eta, Span<double> prepared);

    /// <summary>The lanes that need <see cref="MeanClamped"/> (R clamps the link there).</summary>
    static abstract V Clamped<W, V>(V eta) where W : struct, ISimdWidth<V> where V : struct;

    /// <summary>
    /// For lanes not clamped: the mean μ, 1 − μ (computed without cancellation), the working weight
    /// mu.eta²/variance, and scale = mu.eta/variance (ignored when <see cref="Canonical"/>).
    /// </summary>
    static abstract void Mean<W, V>(V eta, V prepared, out V mu, out V oneMinusMu, out V weight, out V scale) where W : struct, ISimdWidth<V> where V : struct;

    /// <summary>As <see cref="Mean"/>, exact for every lane, clamped or not (taken only for vectors with a clamped lane).</summary>
    static abstract void MeanClamped<W, V>(V eta, V prepared, out V mu, out V oneMinusMu, out V weight, out V scale) where W : struct, ISimdWidth<V> where V : struct;
}

/// <summary>
/// The logit link as R's binomial() computes it. With t = exp(η), r = 1/(1 + t) and μ = t·r, mu.eta is μ·r and the
/// variance μ(1 − μ) = μ·r, so w = μ·r and the residual needs no scaling, with one reciprocal and no other division.
/// Where |η| > 30, R clamps t to [ε, 1/ε] and sets mu.eta = ε; those rows take R's own expressions (w = ε²/v,
/// residual scale ε/v with v = μ(1 − μ), and 1 − μ computed as such).
/// </summary>
internal readonly struct LogitOperator : IBinomialLinkOperator
{
    /// <summary>R's .Machine$double.eps.</summary>
    public const double Eps = 2.220446049250313e-16;

    /// <summary>R's threshold on |η| beyond which exp(η) is clamped.</summary>
    public const double Threshold = 30;

    public static bool Canonical => true;

    /// <summary>exp(η), by <see cref="ExpKernel"/>.</summary>
    public static void Prepare(ReadOnlySpan<double> eta, Span<double> prepared)
    {
        var args = new ExpArgs { X = eta, Result = prepared };
        SimdDriver.Run<ExpKernel, ExpArgs>(ref args, eta.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Clamped<W, V>(V eta) where W : struct, ISimdWidth<V> where V : struct =>
        W.Or(W.LessThan(eta, W.Create(-Threshold)), W.GreaterThan(eta, W.Create(Threshold)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mean<W, V>(V eta, V prepared, out V mu, out V oneMinusMu, out V weight, out V scale) where W : struct, ISimdWidth<V> where V : struct
    {
        V t = prepared;
        V r = W.Divide(W.One, W.Add(W.One, t));
        mu = W.Multiply(t, r);
        oneMinusMu = r;
        weight = W.Multiply(mu, r);
        scale = W.One;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MeanClamped<W, V>(V eta, V prepared, out V mu, out V oneMinusMu, out V weight, out V scale) where W : struct, ISimdWidth<V> where V : struct
    {
        V low = W.LessThan(eta, W.Create(-Threshold)), high = W.GreaterThan(eta, W.Create(Threshold)), clamped = W.Or(low, high);
        V t = W.Select(low, W.Create(Eps), W.Select(high, W.Create(1 / Eps), prepared));
        V r = W.Divide(W.One, W.Add(W.One, t));
        mu = W.Multiply(t, r);
        V oneMinus = W.Subtract(W.One, mu);
        // Unclamped, mu.eta / variance = 1; clamped, mu.eta = ε and the variance is μ(1 − μ).
        V ratio = W.Select(clamped, W.Divide(W.Create(Eps), W.Multiply(mu, oneMinus)), W.One);
        weight = W.Select(clamped, W.Multiply(W.Create(Eps), ratio), W.Multiply(mu, r));
        oneMinusMu = W.Select(clamped, oneMinus, r);
        scale = ratio;
    }
}

/// <summary>
/// The binomial family over a block: from η and y (0 or 1), the working weight w and w·z = w·η + residual, the
/// probability of the observed outcome q (for the deviance, through <see cref="SumOfLogsKernel"/>), and the count of
/// fitted probabilities within 1e−10 of 0 or 1 added to <see cref="Extreme"/>. In the sandwich's meat pass
/// (<see cref="Meat"/>) w is the squared score residual and w·z is 0.
/// </summary>
internal ref struct FamilyArgs
{
    public ReadOnlySpan<double> Eta, Y;
    /// <summary>Scratch of the block's length for the link's <see cref="IBinomialLinkOperator.Prepare"/> step (filled by <see cref="BinomialFamilyKernel{TLink}.Run"/>).</summary>
    public Span<double> Prepared;
    public Span<double> W, Wz, Q;
    public bool Meat;
    public double Extreme;
}

/// <summary><see cref="FamilyArgs"/> at width W for the link <typeparamref name="TLink"/>.</summary>
internal readonly struct BinomialFamilyKernel<TLink> : ISimdKernel<FamilyArgs> where TLink : struct, IBinomialLinkOperator
{
    /// <summary>A fitted probability this close to 0 or 1 counts as fitted 0/1 (R's glm.fit warning threshold).</summary>
    public const double FittedZeroOne = 1e-10;

    /// <summary>The link's whole-block step, then the kernel at the driver's width.</summary>
    public static void Run(ref FamilyArgs args)
    {
        TLink.Prepare(args.Eta, args.Prepared);
        SimdDriver.Run<BinomialFamilyKernel<TLink>, FamilyArgs>(ref args, args.Eta.Length);
    }

    /// <summary>The link's whole-block step, then the kernel at width W (for the tests).</summary>
    public static void RunAt<W, V>(ref FamilyArgs args) where W : struct, ISimdWidth<V> where V : struct
    {
        TLink.Prepare(args.Eta, args.Prepared);
        SimdDriver.RunAt<BinomialFamilyKernel<TLink>, FamilyArgs, W, V>(ref args, args.Eta.Length);
    }

    /// <summary>
    /// The mean, 1 − mean, working weight and working residual (y − μ)·dη/dμ·… of one vector of rows; the clamped
    /// branch only where some η is past the link's clamp. Shared by this kernel and the weighted one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Residual<W, V>(V e, V y, V p, out V mu, out V oneMinusMu, out V w) where W : struct, ISimdWidth<V> where V : struct
    {
        V scale;
        if (W.Any(TLink.Clamped<W, V>(e)))
        {
            TLink.MeanClamped<W, V>(e, p, out mu, out oneMinusMu, out w, out scale);
            return W.Multiply(W.Subtract(y, mu), scale);
        }
        TLink.Mean<W, V>(e, p, out mu, out oneMinusMu, out w, out scale);
        return TLink.Canonical ? W.Subtract(y, mu) : W.Multiply(W.Subtract(y, mu), scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref FamilyArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double re = ref MemoryMarshal.GetReference(a.Eta), ry = ref MemoryMarshal.GetReference(a.Y), rp = ref MemoryMarshal.GetReference(a.Prepared);
        ref double rw = ref MemoryMarshal.GetReference(a.W), rz = ref MemoryMarshal.GetReference(a.Wz), rq = ref MemoryMarshal.GetReference(a.Q);
        V tiny = W.Create(FittedZeroOne), top = W.Create(1 - FittedZeroOne), count = W.Zero;
        bool meat = a.Meat;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V e = W.Load(ref re, u), y = W.Load(ref ry, u), p = W.Load(ref rp, u);
            V residual = Residual<W, V>(e, y, p, out V mu, out V oneMinusMu, out V w);
            if (meat)
            {
                W.Store(W.Multiply(residual, residual), ref rw, u);
                W.Store(W.Zero, ref rz, u);
            }
            else
            {
                W.Store(w, ref rw, u);
                W.Store(W.MultiplyAdd(w, e, residual), ref rz, u);
            }
            W.Store(W.Select(W.Equal(y, W.One), mu, oneMinusMu), ref rq, u);
            count = W.Add(count, W.And(W.Or(W.LessThan(mu, tiny), W.GreaterThan(mu, top)), W.One));
        }
        a.Extreme += W.Sum(count);
        return i;
    }
}

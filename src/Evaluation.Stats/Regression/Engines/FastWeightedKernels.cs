using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Regression;

// The fast engine with prior weights m (frequency weights or binomial trials) and an offset: R's glm.fit quantities
// for a proportion y with prior weight m, as the reference engine computes them (ReferenceEngine.Evaluate). Only the
// family step differs from 0/1 records; the linear predictor, tiles, histograms and assembly read w and w·z as before.
internal static partial class FastLogisticRegression
{
    /// <summary>The prior weights and offset of a fit on the fast engine, with the per-block constants of its deviance.</summary>
    internal sealed class PriorInputs
    {
        internal PriorInputs(BinomialOutcome outcome, int block)
        {
            int n = outcome.Rows;
            Y = outcome.Y;
            M = outcome.Weights ?? Enumerable.Repeat(1.0, n).ToArray();
            Offset = outcome.Offset;
            // The saturated part 2 Σ m [y log y + (1 − y) log(1 − y)] of each block (0 for 0/1 rows), added once per block
            // so that a pass computes only the part that depends on μ.
            Saturated = new double[(n + block - 1) / block];
            for (int i = 0; i < n; i++)
            {
                double y = Y[i];
                if (y > 0 && y < 1) Saturated[i / block] += 2 * M[i] * (y * Math.Log(y) + (1 - y) * Math.Log(1 - y));
            }
        }

        internal readonly double[] Y, M;
        internal readonly double[]? Offset;
        internal readonly double[] Saturated;
    }

    private sealed partial class Workspace
    {
        /// <summary>The prior weights and offset, or null for 0/1 records without an offset (the plain family).</summary>
        internal PriorInputs? Prior { get; init; }

        /// <summary>
        /// R's start with prior weights: μ₀ = (m·y + ½)/(m + 1), η₀ = logit μ₀, w = m μ₀(1 − μ₀),
        /// w·z = w (η₀ − offset) + m (y − μ₀), and the deviance at μ₀.
        /// </summary>
        private void WeightedStart(int i0, int b, Span<double> w, Span<double> wz, Span<double> acc)
        {
            var p = Prior!;
            double dev = 0;
            for (int i = 0; i < b; i++)
            {
                double m = p.M[i0 + i], y = p.Y[i0 + i], mu = (m * y + 0.5) / (m + 1), eta = Math.Log(mu / (1 - mu));
                double v = mu * (1 - mu), off = p.Offset?[i0 + i] ?? 0;
                w[i] = m * v;
                wz[i] = m * v * (eta - off) + m * (y - mu);
                dev -= 2 * m * (y > 0 ? y * Math.Log(mu) : 0) + 2 * m * (y < 1 ? (1 - y) * Math.Log(1 - mu) : 0);
            }
            acc[_devOff] += dev + p.Saturated[i0 / Block];
        }

        /// <summary>
        /// The family with prior weights on a block: the offset added to η, then <see cref="WeightedFamilyKernel{TLink}"/>
        /// (w, w·z, the μ-dependent part of the deviance, fitted 0/1); <paramref name="t"/> takes exp(η).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WeightedFamily(int i0, Span<double> eta, Span<double> t, Span<double> w, Span<double> wz, Span<double> acc)
        {
            var p = Prior!;
            int b = eta.Length;
            var offset = p.Offset is null ? default : p.Offset.AsSpan(i0, b);
            if (p.Offset is not null) AddTo(eta, offset);
            var args = new WeightedFamilyArgs
            {
                Eta = eta, Offset = offset, Y = p.Y.AsSpan(i0, b), M = p.M.AsSpan(i0, b), Prepared = t, W = w, Wz = wz, Meat = _mode == Mode.Meat,
            };
            WeightedFamilyKernel<LogitOperator>.Run(ref args);
            acc[_devOff] += p.Saturated[i0 / Block] - 2 * args.LogLikelihood;
            acc[_extOff] += args.Extreme;
        }
    }
}

/// <summary>
/// The binomial family with prior weights over a block: from η (offset included), the offset, the proportion y and the
/// prior weight m, the working weight m·w, the product m·(w (η − offset) + residual) of weight and working response
/// (R's z = η − offset + (y − μ)/μ'), the kernel Σ m [y log μ + (1 − y) log(1 − μ)] of the log-likelihood (added to
/// <see cref="LogLikelihood"/>) and the count of fitted 0/1 (added to <see cref="Extreme"/>). In the sandwich's meat
/// pass (<see cref="Meat"/>) w is the squared score m·residual and w·z is 0. An empty <see cref="Offset"/> is 0.
/// </summary>
internal ref struct WeightedFamilyArgs
{
    public ReadOnlySpan<double> Eta, Offset, Y, M;
    /// <summary>Scratch of the block's length for the link's prepare step.</summary>
    public Span<double> Prepared;
    public Span<double> W, Wz;
    public bool Meat;
    public double LogLikelihood, Extreme;
}

/// <summary><see cref="WeightedFamilyArgs"/> at width W for the link <typeparamref name="TLink"/>.</summary>
internal readonly struct WeightedFamilyKernel<TLink> : ISimdKernel<WeightedFamilyArgs> where TLink : struct, IBinomialLinkOperator
{
    /// <summary>The link's whole-block step, then the kernel at the driver's width.</summary>
    public static void Run(ref WeightedFamilyArgs args)
    {
        TLink.Prepare(args.Eta, args.Prepared);
        SimdDriver.Run<WeightedFamilyKernel<TLink>, WeightedFamilyArgs>(ref args, args.Eta.Length);
    }

    /// <summary>The link's whole-block step, then the kernel at width W (for the tests).</summary>
    public static void RunAt<W, V>(ref WeightedFamilyArgs args) where W : struct, ISimdWidth<V> where V : struct
    {
        TLink.Prepare(args.Eta, args.Prepared);
        SimdDriver.RunAt<WeightedFamilyKernel<TLink>, WeightedFamilyArgs, W, V>(ref args, args.Eta.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Invoke<W, V>(ref WeightedFamilyArgs a, int from, int to) where W : struct, ISimdWidth<V> where V : struct
    {
        ref double re = ref MemoryMarshal.GetReference(a.Eta), ry = ref MemoryMarshal.GetReference(a.Y), rm = ref MemoryMarshal.GetReference(a.M);
        ref double rp = ref MemoryMarshal.GetReference(a.Prepared), rw = ref MemoryMarshal.GetReference(a.W), rz = ref MemoryMarshal.GetReference(a.Wz);
        bool hasOffset = !a.Offset.IsEmpty;
        ref double ro = ref MemoryMarshal.GetReference(a.Offset);
        V tiny = W.Create(BinomialFamilyKernel<TLink>.FittedZeroOne), top = W.Create(1 - BinomialFamilyKernel<TLink>.FittedZeroOne);
        V count = W.Zero, ll = W.Zero;
        bool meat = a.Meat;
        int i = from;
        for (; i <= to - W.Count; i += W.Count)
        {
            nuint u = (nuint)i;
            V e = W.Load(ref re, u), y = W.Load(ref ry, u), m = W.Load(ref rm, u), p = W.Load(ref rp, u);
            V residual = BinomialFamilyKernel<TLink>.Residual<W, V>(e, y, p, out V mu, out V oneMinusMu, out V w);
            if (meat)
            {
                V s = W.Multiply(m, residual);
                W.Store(W.Multiply(s, s), ref rw, u);
                W.Store(W.Zero, ref rz, u);
            }
            else
            {
                V z = hasOffset ? W.Subtract(e, W.Load(ref ro, u)) : e;
                W.Store(W.Multiply(m, w), ref rw, u);
                W.Store(W.Multiply(m, W.MultiplyAdd(w, z, residual)), ref rz, u);
            }
            // m y log μ + m (1 − y) log(1 − μ); a term whose factor is 0 adds exactly 0 (μ and 1 − μ are at least about ε/(1 + ε)).
            V my = W.Multiply(m, y);
            ll = W.Add(ll, W.MultiplyAdd(my, W.Log(mu), W.Multiply(W.Subtract(m, my), W.Log(oneMinusMu))));
            count = W.Add(count, W.And(W.Or(W.LessThan(mu, tiny), W.GreaterThan(mu, top)), W.One));
        }
        a.LogLikelihood += W.Sum(ll);
        a.Extreme += W.Sum(count);
        return i;
    }
}

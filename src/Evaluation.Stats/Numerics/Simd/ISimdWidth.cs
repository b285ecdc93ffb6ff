using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>
/// The operations the kernels need on a vector of doubles, as static abstract members so that a kernel written once as
/// a generic method over <c>W : ISimdWidth&lt;V&gt;</c> is compiled by the JIT into a separate body per width, with every
/// call inlined to the instruction (the type arguments are structs, so nothing is shared or dispatched at run time).
/// .NET's own <c>ISimdVector</c> is internal, hence this one. Masks are all-ones or all-zeros lanes, as the Vector
/// compare methods return them. Implemented by <see cref="Width512"/>, <see cref="Width256"/>, <see cref="Width128"/>
/// and <see cref="WidthScalar"/> (one lane, plain doubles: the tails and the no-SIMD fallback).
/// </summary>
/// <typeparam name="V">The vector type: <c>Vector512&lt;double&gt;</c>, <c>Vector256&lt;double&gt;</c>, <c>Vector128&lt;double&gt;</c> or <see cref="double"/>.</typeparam>
internal interface ISimdWidth<V> where V : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Whether the hardware executes this width (a JIT-time constant).</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>
    /// Vector registers the JIT may use at this width (16 or 32): decides whether a 4 × 4 tile's 16 accumulators fit
    /// or the tile runs as two 2 × 4 passes.
    /// </summary>
    static abstract int Registers { get; }

    static abstract V Zero { get; }
    static abstract V One { get; }
    static abstract V Create(double value);
    static abstract V Load(ref double source, nuint index);
    static abstract void Store(V value, ref double destination, nuint index);
    static abstract V Add(V a, V b);
    static abstract V Subtract(V a, V b);
    static abstract V Multiply(V a, V b);
    static abstract V Divide(V a, V b);

    /// <summary>a·b + c: one fused instruction where the hardware has FMA (x64 FMA3, every ARM64), otherwise a multiply and an add (never the slow software fma).</summary>
    static abstract V MultiplyAdd(V a, V b, V c);

    /// <summary>The sum of the lanes.</summary>
    static abstract double Sum(V value);

    /// <summary>The natural logarithm: <see cref="SimdMath.Log{W, V}"/> on vectors, <see cref="Math.Log(double)"/> on one lane.</summary>
    static abstract V Log(V value);
    static abstract V LessThan(V a, V b);
    static abstract V GreaterThan(V a, V b);
    static abstract V Equal(V a, V b);
    static abstract V Or(V a, V b);
    static abstract V And(V a, V b);

    /// <summary>Lanes of <paramref name="a"/> where <paramref name="mask"/> is set, of <paramref name="b"/> elsewhere.</summary>
    static abstract V Select(V mask, V a, V b);

    /// <summary>Whether any lane of the mask is set.</summary>
    static abstract bool Any(V mask);

    /// <summary>Whether every lane of the mask is set.</summary>
    static abstract bool All(V mask);

    // The lanes' bits as 64-bit unsigned integers (for SimdMath's exponent arithmetic).
    static abstract V AddBits(V a, ulong b);
    static abstract V AndBits(V a, ulong b);
    static abstract V OrBits(V a, ulong b);
    static abstract V ShiftLeftBits(V a, int count);
    static abstract V ShiftRightBits(V a, int count);

    /// <summary>Lane <paramref name="index"/> (for the rare lanes SimdMath leaves to Math).</summary>
    static abstract double GetElement(V value, int index);
    static abstract V WithElement(V value, int index, double element);
}

/// <summary>AVX-512: 8 doubles, 32 registers.</summary>
internal readonly struct Width512 : ISimdWidth<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;
    public static int Registers => 32;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    public static Vector512<double> One => Vector512<double>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Create(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ref double source, nuint index) => Vector512.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector512<double> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Log(Vector512<double> value) => SimdMath.Log<Width512, Vector512<double>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> GreaterThan(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Equal(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Or(Vector512<double> a, Vector512<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<double> mask, Vector512<double> a, Vector512<double> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512<double> mask) => mask != Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector512<double> mask) => mask.AsUInt64() == Vector512<ulong>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AddBits(Vector512<double> a, ulong b) => (a.AsUInt64() + Vector512.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AndBits(Vector512<double> a, ulong b) => (a.AsUInt64() & Vector512.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> OrBits(Vector512<double> a, ulong b) => (a.AsUInt64() | Vector512.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ShiftLeftBits(Vector512<double> a, int count) => Vector512.ShiftLeft(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ShiftRightBits(Vector512<double> a, int count) => Vector512.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetElement(Vector512<double> value, int index) => value.GetElement(index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> WithElement(Vector512<double> value, int index, double element) => value.WithElement(index, element);
}

/// <summary>AVX2 (or AVX-512VL): 4 doubles; 32 registers only when the JIT may use the EVEX encoding.</summary>
internal readonly struct Width256 : ISimdWidth<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;
    public static int Registers => Avx512F.VL.IsSupported ? 32 : 16;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    public static Vector256<double> One => Vector256<double>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Create(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ref double source, nuint index) => Vector256.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector256<double> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Log(Vector256<double> value) => SimdMath.Log<Width256, Vector256<double>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> GreaterThan(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Equal(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Or(Vector256<double> a, Vector256<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Select(Vector256<double> mask, Vector256<double> a, Vector256<double> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256<double> mask) => mask != Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector256<double> mask) => mask.AsUInt64() == Vector256<ulong>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AddBits(Vector256<double> a, ulong b) => (a.AsUInt64() + Vector256.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AndBits(Vector256<double> a, ulong b) => (a.AsUInt64() & Vector256.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> OrBits(Vector256<double> a, ulong b) => (a.AsUInt64() | Vector256.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> ShiftLeftBits(Vector256<double> a, int count) => Vector256.ShiftLeft(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> ShiftRightBits(Vector256<double> a, int count) => Vector256.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetElement(Vector256<double> value, int index) => value.GetElement(index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> WithElement(Vector256<double> value, int index, double element) => value.WithElement(index, element);
}

/// <summary>SSE/AVX (x64 without AVX2) or AdvSimd (ARM64 NEON, 32 registers): 2 doubles.</summary>
internal readonly struct Width128 : ISimdWidth<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;
    public static int Registers => Avx512F.VL.IsSupported || AdvSimd.Arm64.IsSupported ? 32 : 16;
    public static Vector128<double> Zero => Vector128<double>.Zero;
    public static Vector128<double> One => Vector128<double>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Create(double value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(ref double source, nuint index) => Vector128.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Divide(Vector128<double> a, Vector128<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector128<double> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Log(Vector128<double> value) => SimdMath.Log<Width128, Vector128<double>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> GreaterThan(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Equal(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Or(Vector128<double> a, Vector128<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Select(Vector128<double> mask, Vector128<double> a, Vector128<double> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector128<double> mask) => mask != Vector128<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector128<double> mask) => mask.AsUInt64() == Vector128<ulong>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AddBits(Vector128<double> a, ulong b) => (a.AsUInt64() + Vector128.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AndBits(Vector128<double> a, ulong b) => (a.AsUInt64() & Vector128.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> OrBits(Vector128<double> a, ulong b) => (a.AsUInt64() | Vector128.Create(b)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> ShiftLeftBits(Vector128<double> a, int count) => Vector128.ShiftLeft(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> ShiftRightBits(Vector128<double> a, int count) => Vector128.ShiftRightLogical(a.AsUInt64(), count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetElement(Vector128<double> value, int index) => value.GetElement(index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> WithElement(Vector128<double> value, int index, double element) => value.WithElement(index, element);
}

/// <summary>One lane of plain doubles: the tail of every kernel, and the whole of it without SIMD. A mask is a double whose bits are all ones or all zeros.</summary>
internal readonly struct WidthScalar : ISimdWidth<double>
{
    private static readonly double AllBits = BitConverter.Int64BitsToDouble(-1L);
    public static int Count => 1;
    public static bool IsAccelerated => true;
    public static int Registers => 16;
    public static double Zero => 0;
    public static double One => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Create(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ref double source, nuint index) => Unsafe.Add(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double value, ref double destination, nuint index) => Unsafe.Add(ref destination, index) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Subtract(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Multiply(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Divide(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double MultiplyAdd(double a, double b, double c) => double.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Log(double value) => Math.Log(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LessThan(double a, double b) => a < b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GreaterThan(double a, double b) => a > b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Equal(double a, double b) => a == b ? AllBits : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Or(double a, double b) => Bits(Raw(a) | Raw(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double And(double a, double b) => Bits(Raw(a) & Raw(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Select(double mask, double a, double b) => Raw(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(double mask) => Raw(mask) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(double mask) => Raw(mask) == -1L;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double AddBits(double a, ulong b) => Bits((long)((ulong)Raw(a) + b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double AndBits(double a, ulong b) => Bits((long)((ulong)Raw(a) & b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double OrBits(double a, ulong b) => Bits((long)((ulong)Raw(a) | b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ShiftLeftBits(double a, int count) => Bits((long)((ulong)Raw(a) << count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ShiftRightBits(double a, int count) => Bits((long)((ulong)Raw(a) >> count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetElement(double value, int index) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double WithElement(double value, int index, double element) => element;
    private static long Raw(double value) => BitConverter.DoubleToInt64Bits(value);
    private static double Bits(long value) => BitConverter.Int64BitsToDouble(value);
}

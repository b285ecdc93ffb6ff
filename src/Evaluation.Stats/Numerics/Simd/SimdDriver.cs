using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Evaluation.Stats.Numerics.Simd;

/// <summary>
/// A kernel written once over the vector width (the pattern of TensorPrimitives' <c>IUnaryOperator</c> with its
/// <c>InvokeSpanIntoSpan</c> driver): <see cref="Invoke"/> processes rows [from, to) in whole steps of its own size at
/// width <c>W</c> and returns where it stopped; <see cref="SimdDriver"/> chooses the width and finishes
/// the tail with the <see cref="WidthScalar"/> instantiation of the same code, whose step must be one row at the end.
/// The arguments (spans and accumulators) live in a ref struct the kernel reads and updates.
/// </summary>
internal interface ISimdKernel<TArgs> where TArgs : allows ref struct
{
    static abstract int Invoke<W, V>(ref TArgs args, int from, int to) where W : struct, ISimdWidth<V> where V : struct;
}

/// <summary>
/// The one place that picks the vector width: the widest the hardware executes (512, then 256, then 128 bits, by
/// <c>IsHardwareAccelerated</c>, so <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> and
/// <c>DOTNET_EnableHWIntrinsic=0</c> select the narrower paths), then the scalar tail.
/// </summary>
internal static class SimdDriver
{
    /// <summary>The width the driver runs on this machine: 8, 4, 2 or 1 doubles.</summary>
    public static int Lanes =>
        Vector512.IsHardwareAccelerated ? Width512.Count :
        Vector256.IsHardwareAccelerated ? Width256.Count :
        Vector128.IsHardwareAccelerated ? Width128.Count : WidthScalar.Count;

    /// <summary>Vector registers at the width the driver runs (16 or 32).</summary>
    public static int Registers =>
        Vector512.IsHardwareAccelerated ? Width512.Registers :
        Vector256.IsHardwareAccelerated ? Width256.Registers :
        Vector128.IsHardwareAccelerated ? Width128.Registers : WidthScalar.Registers;

    /// <summary>Runs <typeparamref name="TKernel"/> over rows [0, <paramref name="length"/>) at the widest accelerated width, then the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel, TArgs>(ref TArgs args, int length)
        where TKernel : ISimdKernel<TArgs> where TArgs : allows ref struct
    {
        if (Vector512.IsHardwareAccelerated) RunAt<TKernel, TArgs, Width512, Vector512<double>>(ref args, length);
        else if (Vector256.IsHardwareAccelerated) RunAt<TKernel, TArgs, Width256, Vector256<double>>(ref args, length);
        else if (Vector128.IsHardwareAccelerated) RunAt<TKernel, TArgs, Width128, Vector128<double>>(ref args, length);
        else RunAt<TKernel, TArgs, WidthScalar, double>(ref args, length);
    }

    /// <summary>
    /// Runs <typeparamref name="TKernel"/> at width <typeparamref name="W"/> whether or not the hardware accelerates it
    /// (the tests call every width on any machine), then the scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunAt<TKernel, TArgs, W, V>(ref TArgs args, int length)
        where TKernel : ISimdKernel<TArgs> where TArgs : allows ref struct where W : struct, ISimdWidth<V> where V : struct
    {
        int done = TKernel.Invoke<W, V>(ref args, 0, length);
        if (done < length) done = TKernel.Invoke<WidthScalar, double>(ref args, done, length);
        if (done != length) throw new InvalidOperationException($"{typeof(TKernel).Name} stopped at row {done} of {length}.");
    }
}

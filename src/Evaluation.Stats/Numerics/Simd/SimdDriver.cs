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
/// <c>DOTNET_EnableHWIntrinsic=0</c> select the narrower paths) up to <see cref="MaxBits"/>, then the scalar tail.
/// </summary>
internal static class SimdDriver
{
    /// <summary>The environment variable that caps the width: <c>EVALSTATS_SIMD_BITS=128</c> or <c>256</c>.</summary>
    internal const string CapVariable = "EVALSTATS_SIMD_BITS";

    /// <summary>
    /// The widest vector the driver may use, in bits (512 unless <see cref="CapVariable"/> lowers it), read once per
    /// process. Unlike the runtime's switches the cap keeps the machine's other instructions: with a cap of 128 the
    /// kernels run on 2 lanes with FMA and, where AVX-512VL is on, 32 registers, which is what ARM64 NEON offers.
    /// <c>DOTNET_EnableAVX2=0</c>, the runtime's way to reach the Vector128 path on x64, also turns FMA off (.NET 10
    /// switches the x86-64-v3 group as one), so a multiply-add costs two instructions there and never on ARM64.
    /// </summary>
    internal static readonly int MaxBits = ParseCap(Environment.GetEnvironmentVariable(CapVariable));

    /// <summary>The cap a value of <see cref="CapVariable"/> sets: 512 when unset or empty; 128, 256 or 512 otherwise.</summary>
    internal static int ParseCap(string? value) => value switch
    {
        null or "" or "512" => 512,
        "256" => 256,
        "128" => 128,
        _ => throw new InvalidOperationException($"{CapVariable} is '{value}': set it to 128, 256 or 512 (the widest vector the kernels may use), or leave it unset."),
    };

    /// <summary>Whether the kernels run at 512 bits: the hardware executes Vector512 and the cap allows it.</summary>
    internal static bool Use512 => Vector512.IsHardwareAccelerated && MaxBits >= 512;

    /// <summary>Whether the kernels run at 256 bits or wider.</summary>
    internal static bool Use256 => Vector256.IsHardwareAccelerated && MaxBits >= 256;

    /// <summary>The width the driver runs on this machine: 8, 4, 2 or 1 doubles.</summary>
    public static int Lanes =>
        Use512 ? Width512.Count :
        Use256 ? Width256.Count :
        Vector128.IsHardwareAccelerated ? Width128.Count : WidthScalar.Count;

    /// <summary>Vector registers at the width the driver runs (16 or 32).</summary>
    public static int Registers =>
        Use512 ? Width512.Registers :
        Use256 ? Width256.Registers :
        Vector128.IsHardwareAccelerated ? Width128.Registers : WidthScalar.Registers;

    /// <summary>Runs <typeparamref name="TKernel"/> over rows [0, <paramref name="length"/>) at the widest width in use, then the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel, TArgs>(ref TArgs args, int length)
        where TKernel : ISimdKernel<TArgs> where TArgs : allows ref struct
    {
        if (Use512) RunAt<TKernel, TArgs, Width512, Vector512<double>>(ref args, length);
        else if (Use256) RunAt<TKernel, TArgs, Width256, Vector256<double>>(ref args, length);
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

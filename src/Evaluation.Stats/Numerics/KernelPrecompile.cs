using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Numerics;

/// <summary>
/// First-fit latency (issue 14): compiles the fast engine's hot methods on a thread-pool thread, once per process,
/// as soon as a <c>ModelData</c> is created (and, failing that, when a model asks for its columnar design), so that
/// their JIT runs on an idle core while the data are loaded instead of inside the first fit. Every library user gets it; a fit that starts before it finishes waits
/// only for the method it needs (the runtime compiles each method once).
/// </summary>
/// <remarks>
/// The hot methods are the ones marked <see cref="MethodImplOptions.AggressiveOptimization"/> (compiled fully
/// optimised at their first call, with no tier 0). Crossgen2 leaves such methods out of ReadyToRun images, and the
/// kernels generic over the vector width need the width this machine runs, so neither ReadyToRun nor tiering helps
/// them: they are found by that attribute and compiled here, the generic ones at <see cref="SimdDriver.Lanes"/>'s
/// width and at the scalar width of the tails, those of a generic kernel type (the family kernels) for every link
/// operator. Nothing is run, so no result can change.
/// </remarks>
internal static class KernelPrecompile
{
    private static int _started;

    /// <summary>The types whose methods have been compiled here (for the tests).</summary>
    internal static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> CompiledTypes = new();

    /// <summary>The AppContext switch that turns it off (for measuring what it buys).</summary>
    public const string Off = "Evaluation.Stats.NoKernelPrecompile";

    /// <summary>Starts the compilation, the first time only; a no-op where code is not JIT-compiled (Native AOT) or when switched off.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0 || !RuntimeFeature.IsDynamicCodeCompiled) return;
        if (AppContext.TryGetSwitch(Off, out bool off) && off) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ => Compile(), null);
    }

    /// <summary>The methods compiled (for the tests): every AggressiveOptimization method of this assembly that can be.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A method trimmed away needs no compiling.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The width types are kept: the driver uses them.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "A method trimmed away needs no compiling.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "A method trimmed away needs no compiling.")]
    internal static int Compile()
    {
        var (width, vector) = SimdDriver.Lanes switch
        {
            8 => (typeof(Width512), typeof(Vector512<double>)),
            4 => (typeof(Width256), typeof(Vector256<double>)),
            2 => (typeof(Width128), typeof(Vector128<double>)),
            _ => (typeof(WidthScalar), typeof(double)),
        };
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        int compiled = 0;
        var types = typeof(KernelPrecompile).Assembly.GetTypes();
        // A kernel of a generic type (the family kernels, one per link) is compiled for each link operator.
        var links = types.Where(t => t.IsValueType && !t.ContainsGenericParameters && typeof(IBinomialLinkOperator).IsAssignableFrom(t)).ToArray();
        var closed = types.Where(t => t.IsGenericTypeDefinition && t.GetGenericArguments().Length == 1)
            .SelectMany(t => links.Select(link => Close(t, link)).OfType<Type>());
        foreach (var type in types.Where(t => !t.ContainsGenericParameters).Concat(closed))
        {
            foreach (var method in type.GetMethods(all))
            {
                if ((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) == 0 || method.IsAbstract) continue;
                try
                {
                    if (!method.IsGenericMethodDefinition) { RuntimeHelpers.PrepareMethod(method.MethodHandle); compiled++; CompiledTypes[type] = true; }
                    else if (method.GetGenericArguments().Length == 2)
                    {
                        RuntimeHelpers.PrepareMethod(method.MakeGenericMethod(width, vector).MethodHandle);
                        if (width != typeof(WidthScalar)) RuntimeHelpers.PrepareMethod(method.MakeGenericMethod(typeof(WidthScalar), typeof(double)).MethodHandle);
                        compiled++;
                        CompiledTypes[type] = true;
                    }
                }
                catch (ArgumentException)
                {
                    // generic arguments that do not meet the method's constraints: not a width kernel
                }
            }
        }
        return compiled;
    }

    /// <summary><paramref name="definition"/> over <paramref name="argument"/>, or null when its constraints refuse it.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "Only the assembly's own kernel types are closed, over its own link operators, which the fit uses.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Never called where code is not JIT-compiled (see Start).")]
    private static Type? Close(Type definition, Type argument)
    {
        try { return definition.MakeGenericType(argument); }
        catch (ArgumentException) { return null; }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Numerics;

/// <summary>
/// First-fit latency (issue 14): compiles the fast engine's hot methods on a thread-pool thread, once per process,
/// as soon as a <c>ModelData</c> is created (and, failing that, when a model asks for its columnar design), then runs
/// a small warm-up fit there (<see cref="WarmUpFit"/>), so that their JIT runs on an idle core while the data are
/// loaded instead of inside the first fit. Every library user gets it; a fit that starts before it finishes waits
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

    /// <summary>Whether the background warm-up fit has finished (for the tests).</summary>
    internal static bool WarmedUp => Volatile.Read(ref _warmedUp) != 0;

    private static int _warmedUp;
    private static readonly TaskCompletionSource Finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the background compile and warm-up fit have finished, or at once when they never started (not
    /// called, Native AOT, switched off). The CLI waits for it before its fit clock starts, so no compiling overlaps
    /// the timed fit.
    /// </summary>
    internal static Task Done => Volatile.Read(ref _started) == 0 || !RuntimeFeature.IsDynamicCodeCompiled || (AppContext.TryGetSwitch(Off, out bool off) && off)
        ? Task.CompletedTask : Finished.Task;

    /// <summary>
    /// Starts the compilation and then the warm-up fit, the first time only; a no-op where code is not JIT-compiled
    /// (Native AOT) or when switched off.
    /// </summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0 || !RuntimeFeature.IsDynamicCodeCompiled) return;
        if (AppContext.TryGetSwitch(Off, out bool off) && off) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                Compile();
                WarmUpFit();
            }
            finally { Finished.TrySetResult(); }
        }, null);
    }

    /// <summary>
    /// Fits a small synthetic model on this background thread so that the rest of a fit's code is compiled too: the
    /// IRLS loop, the solver, the result, and the framework's generic code they use (LINQ, the parallel loop). That was
    /// about 40 ms of JIT inside a package user's first fit, half of it the library's own methods, which
    /// <see cref="Compile"/> does not reach as they are not marked for optimisation. The shape (dense columns past a
    /// multiple of the vector width, two categoricals) reaches the kernels a real fit calls, and its 40,000 rows span
    /// several chunks, so the parallel loop runs as in a real fit. The result is discarded; nothing is shared with the
    /// caller's fits but compiled code. A failure here is swallowed: the caller's own fit would then compile as before.
    /// </summary>
    internal static void WarmUpFit()
    {
        try
        {
            const int n = 40_000;
            var data = new Regression.ModelData(n);
            var names = new List<string>();
            for (int j = 0; j < 10; j++)
            {
                var x = new double[n];
                for (int i = 0; i < n; i++) x[i] = Math.Sin(0.37 * (i + 1) * (j + 1));
                data.AddNumeric($"x{j}", x);
                names.Add($"x{j}");
            }
            var a = new int[n];
            var b = new int[n];
            for (int i = 0; i < n; i++) { a[i] = i * 7 % 20; b[i] = i * 11 % 20; }
            var labels = Enumerable.Range(0, 20).Select(l => (string?)l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            data.AddCategorical("a", a, labels);
            data.AddCategorical("b", b, labels);
            var y = new double[n];
            for (int i = 0; i < n; i++) y[i] = (uint)(i * 2654435761u) % 3 == 0 ? 1 : 0;
            var fit = new Regression.LogisticModel(data, new Regression.ModelSpec(names, ["a", "b"], []), y).Fit();
            if (fit.Converged) Volatile.Write(ref _warmedUp, 1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a warm-up only: the caller's fit compiles what it needs as before
        }
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

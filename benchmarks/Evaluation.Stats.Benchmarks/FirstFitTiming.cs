using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// First-fit latency (issue 14) as a package user meets it: in this fresh process, with no warm-up, the first fit of
/// n × p through the public API, then <c>fits</c> more of the same model (the steady state):
/// <c>dotnet run -c Release -- firstfit [n] [p] [fits]</c>. Prints the first, the median of the rest and their ratio.
/// Run it several times (each run is a new process); benchmarks/first-fit.sh does.
/// </summary>
internal static class FirstFitTiming
{
    public static int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 900_000;
        int p = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
        int fits = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        string prelude = args.Length > 3 ? args[3] : "none";
        // The library's background compile starts when the data are created (ModelData), so its switch is set first.
        if (prelude == "noprecompile") AppContext.SetSwitch("Evaluation.Stats.NoKernelPrecompile", true);
        var (data, spec, y) = LogisticData.Dense(n, p);
        Prelude(prelude, p);
        var model = new LogisticModel(data, spec, y);
        _ = model.TermNames; // the design is built before the clock starts, as a user's would be when the data are loaded
        // CPU time (all threads, including the JIT's background compiles) beside wall time: on a shared machine the
        // wall clock also counts other processes, the CPU time does not.
        using var jitLog = Environment.GetEnvironmentVariable("FIRSTFIT_JITLOG") == "1" ? new JitLog() : null;
        Thread.Sleep(jitLog is null ? 0 : 200);
        if (jitLog is not null) jitLog.On = true;
        var self = Process.GetCurrentProcess();
        // `perf record --control=fifo:CTL,ACK -D -1` with FIRSTFIT_PERFCTL=CTL,ACK samples the first fit only.
        var perf = Environment.GetEnvironmentVariable("FIRSTFIT_PERFCTL")?.Split(',');
        Perf(perf, "enable");
        var sw = Stopwatch.StartNew();
        var cpu0 = self.TotalProcessorTime;
        var jit0 = System.Runtime.JitInfo.GetCompilationTime();
        long methods0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        model.Fit();
        double first = sw.Elapsed.TotalSeconds;
        Perf(perf, "disable");
        double firstJit = (System.Runtime.JitInfo.GetCompilationTime() - jit0).TotalSeconds;
        long firstMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - methods0;
        self.Refresh();
        double firstCpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
        if (jitLog is not null)
        {
            jitLog.On = false;
            foreach (var m in jitLog.Done.OrderByDescending(m => m.Ms).Take(Environment.GetEnvironmentVariable("FIRSTFIT_JITLOG_ALL") == "1" ? int.MaxValue : 40)) Console.WriteLine($"{m.Ms,8:0.0} ms  {m.Tier}  {m.Name}");
            Console.WriteLine($"total {jitLog.Done.Sum(m => m.Ms):0} ms in {jitLog.Done.Count} methods");
        }
        var steady = new List<double>();
        var steadyCpu = new List<double>();
        for (int k = 0; k < fits; k++)
        {
            sw.Restart();
            self.Refresh();
            cpu0 = self.TotalProcessorTime;
            model.Fit();
            steady.Add(sw.Elapsed.TotalSeconds);
            self.Refresh();
            steadyCpu.Add((self.TotalProcessorTime - cpu0).TotalSeconds);
        }
        steady.Sort();
        steadyCpu.Sort();
        double median = steady[steady.Count / 2], medianCpu = steadyCpu[steadyCpu.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n={n} p={p}: first fit {first:0.000} s, steady median {median:0.000} s, ratio {first / median:0.00} (CPU time: first {firstCpu:0.000} s, steady {medianCpu:0.000} s, ratio {firstCpu / medianCpu:0.00}; JIT in the first fit {firstJit:0.000} s for {firstMethods} methods)"));
        return 0;
    }

    /// <summary>Sends a command to perf's control fifo and waits for its acknowledgement.</summary>
    private static void Perf(string[]? fifos, string command)
    {
        if (fifos is null) return;
        File.WriteAllText(fifos[0], command + "\n");
        using var ack = File.OpenRead(fifos[1]);
        ack.ReadExactly(new byte[5]);
    }

    /// <summary>
    /// Diagnosis only (the reported figure uses "none"): work done before the clock starts, to tell the parts of the
    /// first-fit overhead apart. "small": a 20,000-row fit of the same shape (the code is compiled, the big buffers
    /// are not yet touched); "small+wait": the same, then 1 s for background tier-up; "pool": the thread pool's
    /// workers started; "prepare": the core's AggressiveOptimization methods compiled first, in the foreground;
    /// "noprecompile": the library's own background compile of them (KernelPrecompile) switched off.
    /// </summary>
    private static void Prelude(string prelude, int p)
    {
        switch (prelude)
        {
            case "none": break;
            case "noprecompile": break; // set before the data are made (above)
            case "small":
            case "small+wait":
                var (d, s, y) = LogisticData.Dense(20_000, p);
                new LogisticModel(d, s, y).Fit();
                if (prelude == "small+wait") Thread.Sleep(1000);
                break;
            case "prepare":
                // Every AggressiveOptimization method of the core assembly compiled ahead (non-generic ones, and
                // kernels generic over the width at the width this machine runs).
                var asm = typeof(LogisticModel).Assembly;
                var width = asm.GetType("Evaluation.Stats.Numerics.Simd.Width512")!;
                var flags = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly;
                int prepared = 0;
                foreach (var t in asm.GetTypes().Where(t => !t.ContainsGenericParameters))
                    foreach (var m in t.GetMethods(flags).Where(m => (m.MethodImplementationFlags & System.Reflection.MethodImplAttributes.AggressiveOptimization) != 0))
                    {
                        try
                        {
                            if (!m.IsGenericMethodDefinition) System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(m.MethodHandle);
                            else if (m.GetGenericArguments().Length == 2)
                                System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(m.MakeGenericMethod(width, typeof(System.Runtime.Intrinsics.Vector512<double>)).MethodHandle);
                            else continue;
                            prepared++;
                        }
                        catch (ArgumentException) { }
                    }
                Console.WriteLine($"prepared {prepared} methods");
                break;
            case "pool":
                Parallel.For(0, 64, _ => Thread.SpinWait(10_000));
                break;
            default: throw new ArgumentException($"Unknown prelude '{prelude}' (none, small, small+wait, pool).");
        }
    }
}

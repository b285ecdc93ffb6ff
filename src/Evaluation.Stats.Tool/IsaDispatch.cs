using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Evaluation.Stats.Tool;

/// <summary>
/// Picks the instruction-set build of the Native AOT tool (linux-x64 package; see the csproj). Native AOT fixes the
/// vector width at compile time, so the package holds `evalstats` compiled for x86-64-v2 (runs on every x64 CPU .NET
/// supports) and the same program compiled for x86-64-v3 (AVX2) and x86-64-v4 (AVX-512) beside it. The v2 build,
/// first thing in <c>Main</c>, replaces itself (execv: same process id, arguments, environment and standard streams)
/// with the highest build the CPU (CPUID) and the kernel support: the kernel lists avx2 and avx512f in /proc/cpuinfo
/// only when it saves those registers, which CPUID cannot tell. Its flags are not used for the other extensions: a
/// kernel may omit one the CPU has (this project's VM lists no `abm`, LZCNT, which CPUID and the JIT see).
/// </summary>
/// <remarks>
/// Nothing happens under the JIT (the framework-dependent package, the tests), in the v3 and v4 builds (where
/// <see cref="Avx2.IsSupported"/> is a compile-time true), or off Linux. <c>DOTNET_EnableAVX512=0</c>,
/// <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> cap the choice as they cap the JIT, so the AVX2 and
/// Vector128 paths stay testable on an AVX-512 machine. If the exec fails the v2 build simply carries on.
/// </remarks>
internal static unsafe class IsaDispatch
{
    public static void Run(string[] args)
    {
        if (RuntimeFeature.IsDynamicCodeSupported || Avx2.IsSupported || !OperatingSystem.IsLinux() || !X86Base.IsSupported) return;
        var level = Level(Cpu(), CpuFlags());
        if (level < 3) return;
        var path = Path.Combine(AppContext.BaseDirectory, "evalstats-x86-64-v" + level);
        if (!File.Exists(path)) return;
        Exec(path, args);
    }

    /// <summary>What the CPU reports (CPUID) for the x86-64-v3 and x86-64-v4 extensions.</summary>
    internal readonly record struct CpuBits(bool V3, bool V4);

    private static CpuBits Cpu()
    {
        static bool Bit(int register, int bit) => (register >> bit & 1) != 0;
        var (_, _, ecx1, _) = X86Base.CpuId(1, 0);
        var (_, ebx7, _, _) = X86Base.CpuId(7, 0);
        var (_, _, ecxExt, _) = X86Base.CpuId(unchecked((int)0x80000001), 0);
        bool v3 = Bit(ecx1, 12) && Bit(ecx1, 22) && Bit(ecx1, 27) && Bit(ecx1, 28) && Bit(ecx1, 29) // FMA, MOVBE, OSXSAVE, AVX, F16C
                  && Bit(ebx7, 3) && Bit(ebx7, 5) && Bit(ebx7, 8) && Bit(ecxExt, 5);                // BMI1, AVX2, BMI2, LZCNT
        bool v4 = v3 && Bit(ebx7, 16) && Bit(ebx7, 17) && Bit(ebx7, 28) && Bit(ebx7, 30) && Bit(ebx7, 31); // AVX-512 F, DQ, CD, BW, VL
        return new CpuBits(v3, v4);
    }

    /// <summary>
    /// The x86-64 level (2, 3 or 4) that the CPU has, the kernel saves the registers of (it lists avx2 and avx512f in
    /// /proc/cpuinfo only then; CPUID cannot say) and the DOTNET_Enable* variables leave.
    /// </summary>
    internal static int Level(CpuBits cpu, ISet<string> kernelFlags)
    {
        static bool Off(string name) => Environment.GetEnvironmentVariable("DOTNET_" + name) is "0";
        if (Off("EnableHWIntrinsic") || Off("EnableAVX") || Off("EnableAVX2") || !cpu.V3 || !kernelFlags.Contains("avx2")) return 2;
        if (Off("EnableAVX512F") || Off("EnableAVX512") || !cpu.V4 || !kernelFlags.Contains("avx512f")) return 3;
        return 4;
    }

    /// <summary>The first processor's flags in /proc/cpuinfo (empty if it cannot be read).</summary>
    private static HashSet<string> CpuFlags()
    {
        try
        {
            using var reader = new StreamReader("/proc/cpuinfo");
            while (reader.ReadLine() is { } line)
                if (line.StartsWith("flags", StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0)
                    return [.. line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return [];
    }

    private static void Exec(string path, string[] args)
    {
        var argv = new nint[args.Length + 2];
        argv[0] = Marshal.StringToCoTaskMemUTF8(path);
        for (int i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
        fixed (nint* p = argv) Execv(argv[0], p); // returns only on failure
        foreach (var a in argv) Marshal.FreeCoTaskMem(a);
    }

    [DllImport("libc", EntryPoint = "execv")]
    private static extern int Execv(nint path, nint* argv);
}

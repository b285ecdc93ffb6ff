using Evaluation.Stats.Tool;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The choice of instruction-set build in the Native AOT tool package (src/Evaluation.Stats.Tool/IsaDispatch.cs). The
/// builds themselves are run by .ci/consumer-check.sh, which installs the package and compares their output with the
/// JIT-compiled tool's.
/// </summary>
public class AotIsaDispatchTests
{
    private static readonly HashSet<string> Both = ["avx2", "avx512f"];

    // The tests' own process may run with DOTNET_EnableAVX512=0 or DOTNET_EnableAVX2=0 (the AVX2 and Vector128 runs);
    // those cap the level exactly as they cap the JIT.
    private static int Cap(int level)
    {
        static bool Off(string name) => Environment.GetEnvironmentVariable("DOTNET_" + name) is "0";
        if (Off("EnableHWIntrinsic") || Off("EnableAVX") || Off("EnableAVX2")) return 2;
        if (Off("EnableAVX512F") || Off("EnableAVX512")) return Math.Min(level, 3);
        return level;
    }

    [Fact]
    public void Without_the_v3_extensions_the_v2_build_stays()
    {
        Assert.Equal(2, IsaDispatch.Level(new IsaDispatch.CpuBits(V3: false, V4: false), Both));
    }

    [Fact]
    public void AVX2_CPU_gets_the_v3_build()
    {
        Assert.Equal(Cap(3), IsaDispatch.Level(new IsaDispatch.CpuBits(V3: true, V4: false), Both));
    }

    [Fact]
    public void AVX512_CPU_gets_the_v4_build()
    {
        Assert.Equal(Cap(4), IsaDispatch.Level(new IsaDispatch.CpuBits(V3: true, V4: true), Both));
    }

    [Fact]
    public void A_kernel_that_does_not_save_the_wider_registers_caps_the_level()
    {
        // CPUID says the CPU has the extension; only the kernel's flags say the operating system enabled its state.
        Assert.Equal(Cap(3), IsaDispatch.Level(new IsaDispatch.CpuBits(V3: true, V4: true), new HashSet<string> { "avx2" }));
        Assert.Equal(2, IsaDispatch.Level(new IsaDispatch.CpuBits(V3: true, V4: true), new HashSet<string>()));
    }

    [Fact]
    public void Under_the_JIT_nothing_is_re_executed()
    {
        IsaDispatch.Run(["--version"]); // would replace the test host if it exec'd
        Assert.True(System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported);
    }
}

using Evaluation.Stats.Numerics;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The library's background compile of the fast engine's kernels (first-fit latency, issue 14) finds them: every
/// AggressiveOptimization method of the core assembly, the width-generic kernels at this machine's width; and its
/// warm-up fit, which compiles the rest of a fit's code, runs to convergence (it swallows its own failures, so a
/// broken warm-up would otherwise only show as a slower first fit in benchmarks/first-fit.sh).
/// </summary>
public class KernelPrecompileTests
{
    [Fact]
    [Trait("Category", "FastPath")]
    public void Compile_FindsTheHotKernels_AtThisMachinesWidth()
    {
        // 26 methods carry the attribute today (fused pass, tiles, column kernels, family); the generic ones count once.
        int compiled = KernelPrecompile.Compile();
        Assert.InRange(compiled, 20, 200);
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void Compile_ClosesTheFamilyKernels_OverTheLinkOperators()
    {
        var family = typeof(Evaluation.Stats.Numerics.Simd.BinomialFamilyKernel<Evaluation.Stats.Numerics.Simd.LogitOperator>);
        int withFamily = KernelPrecompile.Compile();
        Assert.True(KernelPrecompile.CompiledTypes.ContainsKey(family));
        Assert.True(withFamily >= 21);
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void WarmUpFit_RunsToConvergence()
    {
        KernelPrecompile.WarmUpFit();
        Assert.True(KernelPrecompile.WarmedUp, "the warm-up fit failed or did not converge, so a first fit would compile the loop itself");
    }
}

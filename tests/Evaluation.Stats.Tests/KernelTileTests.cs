using System.Runtime.Intrinsics;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The 4 × 3 tile (the off-diagonal X'WX tile at 16 vector registers) at every width against the dot products, and
/// against the 4 × 4 tile bit for bit: each entry is the same per-lane sum either way, so the fit's sums do not
/// depend on the tile shape the width chooses.
/// </summary>
[Trait("Category", "FastPath")]
public class KernelTileTests
{
    public static TheoryData<int> Widths => [8, 4, 2, 1];

    [Theory, MemberData(nameof(Widths))]
    public void Tile4x3_MatchesTheDotProducts_AndThe4x4TileBitForBit(int lanes)
    {
        switch (lanes)
        {
            case 8: Check<Width512, Vector512<double>>(); break;
            case 4: Check<Width256, Vector256<double>>(); break;
            case 2: Check<Width128, Vector128<double>>(); break;
            default: Check<WidthScalar, double>(); break;
        }
    }

    private static void Check<W, V>() where W : struct, ISimdWidth<V> where V : struct
    {
        for (int n = 0; n <= 200; n++)
        {
            var rng = new Random(n);
            var a = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray()).ToArray();
            var b = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray()).ToArray();
            var t3 = new double[16];
            var args = new TileArgs { A0 = a[0], A1 = a[1], A2 = a[2], A3 = a[3], B0 = b[0], B1 = b[1], B2 = b[2], Tile = t3 };
            SimdDriver.RunAt<Tile4x3Kernel, TileArgs, W, V>(ref args, n);
            var t4 = new double[16];
            args = new TileArgs { A0 = a[0], A1 = a[1], A2 = a[2], A3 = a[3], B0 = b[0], B1 = b[1], B2 = b[2], B3 = b[3], Tile = t4 };
            SimdDriver.RunAt<Tile4x4Kernel, TileArgs, W, V>(ref args, n);
            for (int r = 0; r < 4; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double want = 0, abs = 0;
                    for (int i = 0; i < n; i++) { want += a[r][i] * b[c][i]; abs += Math.Abs(a[r][i] * b[c][i]); }
                    Assert.True(Math.Abs(t3[r * 4 + c] - want) <= 1e-13 * abs, $"4x3[{r},{c}] n={n}: {t3[r * 4 + c]:R} against {want:R}");
                    Assert.Equal(t4[r * 4 + c], t3[r * 4 + c]);
                }
                Assert.Equal(0, t3[r * 4 + 3]);
            }
        }
    }
}

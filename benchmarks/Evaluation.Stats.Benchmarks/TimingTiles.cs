using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Numerics.Simd;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// X'WX tile shapes in isolation, one thread, on one block held in cache (as the fused pass holds it):
/// <c>timing tiles [shape] [block] [sweeps]</c> with shape 4x4 (two 2 × 4 passes on a 16-register width) or 4x3.
/// Each sweep multiplies 7 groups of 4 weighted columns with 24 columns: 672 multiply-adds per row whatever the
/// shape. Prints nanoseconds per row per sweep (min and median of 9 rounds).
/// </summary>
internal static class TimingTiles
{
    public static int Run(string[] args)
    {
        string shape = args.Length > 0 ? args[0] : "4x4";
        if (shape is "exp" or "bclexp" or "log" or "bcllog") return Transcendental(shape);
        if (shape == "stream") return Stream(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2);
        int block = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 512;
        int sweeps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        int threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        if (threads > 1)
        {
            // The same on several threads at once, each on its own block (do the cores share their multiply-add units?).
            var tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() => Run([shape, block.ToString(CultureInfo.InvariantCulture), sweeps.ToString(CultureInfo.InvariantCulture)]), TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(tasks);
            return 0;
        }
        var random = new Random(1);
        var a = Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, block).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var x = Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, block).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var tile = new double[20];
        var rounds = new List<double>();
        for (int round = 0; round < 9; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int s = 0; s < sweeps; s++)
                for (int jb = 0; jb < 28; jb += 4)
                {
                    if (shape == "4x3")
                        for (int kb = 0; kb < 24; kb += 3)
                        {
                            var t = new TileArgs { A0 = a[jb], A1 = a[jb + 1], A2 = a[jb + 2], A3 = a[jb + 3], B0 = x[kb], B1 = x[kb + 1], B2 = x[kb + 2], Tile = tile };
                            SimdDriver.Run<Tile4x3Kernel, TileArgs>(ref t, block);
                        }
                    else
                        for (int kb = 0; kb < 24; kb += 4)
                        {
                            var t = new TileArgs { A0 = a[jb], A1 = a[jb + 1], A2 = a[jb + 2], A3 = a[jb + 3], B0 = x[kb], B1 = x[kb + 1], B2 = x[kb + 2], B3 = x[kb + 3], Tile = tile };
                            SimdDriver.Run<Tile4x4Kernel, TileArgs>(ref t, block);
                        }
                }
            rounds.Add(sw.Elapsed.TotalNanoseconds / sweeps / block);
        }
        rounds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tiles {shape} block {block} lanes {SimdDriver.Lanes} registers {SimdDriver.Registers}: min {rounds[0]:0.00} ns, median {rounds[4]:0.00} ns per row (672 multiply-adds) (checksum {tile.Sum():G6})"));
        return 0;
    }

    /// <summary>Memory bandwidth as the pass meets it: 30 columns of 1M doubles summed in 16,384-row chunks on <paramref name="threads"/> threads.</summary>
    private static int Stream(int threads)
    {
        const int n = 1_000_000, p = 30, chunk = 16_384;
        var columns = Enumerable.Range(0, p).Select(j => Enumerable.Range(0, n).Select(i => (double)(i % 7 + j)).ToArray()).ToArray();
        int chunks = (n + chunk - 1) / chunk;
        var rounds = new List<double>();
        double total = 0;
        for (int round = 0; round < 9; round++)
        {
            var sums = new double[chunks];
            var sw = Stopwatch.StartNew();
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
            {
                int start = k * chunk, length = Math.Min(chunk, n - start);
                double s = 0;
                for (int b = start; b < start + length; b += 512)
                    foreach (var c in columns) s += System.Numerics.Tensors.TensorPrimitives.Sum(c.AsSpan(b, Math.Min(512, start + length - b)));
                sums[k] = s;
            });
            rounds.Add(sw.Elapsed.TotalMilliseconds);
            total = sums.Sum();
        }
        rounds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stream {n} x {p} on {threads} threads in 512-row blocks: min {rounds[0]:0.0} ms, median {rounds[4]:0.0} ms ({n * p * 8 / rounds[0] / 1e6:0.0} GB/s at the min) (checksum {total:G6})"));
        return 0;
    }

    /// <summary>exp or log of 512 values (one block, in cache) by the library's kernel or the BCL's, in nanoseconds per value.</summary>
    private static int Transcendental(string which)
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 512).Select(_ => which.EndsWith("log") ? random.NextDouble() : 20 * random.NextDouble() - 10).ToArray();
        var y = new double[512];
        var rounds = new List<double>();
        for (int round = 0; round < 9; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int rep = 0; rep < 20_000; rep++)
            {
                switch (which)
                {
                    case "exp": { var a = new ExpArgs { X = x, Result = y }; SimdDriver.Run<ExpKernel, ExpArgs>(ref a, 512); break; }
                    case "bclexp": System.Numerics.Tensors.TensorPrimitives.Exp(x, y); break;
                    case "log": { var a = new SumOfLogsArgs { Q = x }; SimdDriver.Run<SumOfLogsKernel, SumOfLogsArgs>(ref a, 512); y[0] += a.Sum; break; }
                    default: System.Numerics.Tensors.TensorPrimitives.Log(x, y); break;
                }
            }
            rounds.Add(sw.Elapsed.TotalNanoseconds / 20_000 / 512);
        }
        rounds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which} at {SimdDriver.Lanes} lanes: min {rounds[0]:0.000} ns, median {rounds[4]:0.000} ns per value"));
        return 0;
    }
}

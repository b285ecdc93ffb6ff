using System.Diagnostics;
using Evaluation.Stats.Data;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Ingestion timings for benchmarks/cross-tool/ingest.sh. <c>load FILE [reps]</c>: the best of <c>reps</c>
/// <see cref="LogitTable.Read(string, string, IReadOnlyList{string}, string?, ReadOptions?)"/> of FILE (outcome
/// <c>y</c>), in seconds, wall then CPU, after one untimed read (JIT). <c>parquet-raw FILE</c>: Parquet.Net's own
/// reading of every double column, for comparison with the load. <c>to-parquet IN.csv OUT.parquet</c>: writes the table as
/// Parquet (one double column per CSV column, 1M-row groups) for the Parquet load row. <c>fit FILE [fits]</c>: one load,
/// then each of several fits of the loaded table timed (is a fresh process's fit slower than the steady state?).
/// </summary>
internal static class IngestTiming
{
    public static int Run(string[] args)
    {
        if (args[0] == "to-parquet") return ToParquet(args[1], args[2]).GetAwaiter().GetResult();
        if (args[0] == "parquet-raw") return RawParquet(args[1]).GetAwaiter().GetResult();
        if (args[0] == "fit") return FitAfterLoad(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
        var file = args[1];
        int reps = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        LogitTable.Read(file, "y", []);
        double best = double.MaxValue, bestCpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < reps; r++)
        {
            GC.Collect();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var table = LogitTable.Read(file, "y", []);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
            GC.KeepAlive(table);
        }
        // wall seconds, then CPU seconds (user + system, all threads): on a shared machine the CPU time is the steadier figure
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{best:0.0000} {bestCpu:0.0000}"));
        return 0;
    }

    /// <summary>
    /// <c>fit FILE [fits]</c>: one load of FILE as the CLI's <c>logit</c> loads it, then <c>fits</c> fits of the loaded
    /// table, each timed (the first is what a fresh process pays; the rest are the steady state on the same columns).
    /// </summary>
    private static int FitAfterLoad(string file, int fits)
    {
        var clock = Stopwatch.StartNew();
        var table = LogitTable.Read(file, "y", []);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"load {clock.Elapsed.TotalSeconds:0.000} s"));
        for (int r = 0; r < fits; r++)
        {
            clock.Restart();
            var fit = new Evaluation.Stats.Regression.LogisticModel(table.Data, table.Spec, table.Outcome).Fit();
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fit {r + 1}: {clock.Elapsed.TotalSeconds:0.000} s, {fit.Iterations} iterations"));
        }
        return 0;
    }

    private static async Task<int> RawParquet(string path)
    {
        for (int rep = 0; rep < 3; rep++)
        {
            var clock = Stopwatch.StartNew();
            await using var reader = await ParquetReader.CreateAsync(path);
            var fields = reader.Schema.GetDataFields();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                foreach (var f in fields)
                {
                    var values = new double[rg.RowCount];
                    await rg.ReadAsync<double>(f, values.AsMemory(), null);
                }
            }
            if (rep == 0) using (var rg0 = reader.OpenRowGroupReader(0)) { var md = rg0.GetMetadata(fields[1]); Console.WriteLine($"{md?.MetaData?.Codec} {string.Join("/", md?.MetaData?.Encodings ?? [])} {md?.MetaData?.TotalCompressedSize}"); }
            Console.WriteLine($"raw {clock.Elapsed.TotalSeconds:0.000} s, {fields.Length} columns, nullable {fields[0].IsNullable}, groups {reader.RowGroupCount}");
        }
        return 0;
    }

    private static async Task<int> ToParquet(string csv, string parquet)
    {
        var table = LogitTable.Read(csv, "y", []);
        var names = new[] { "y" }.Concat(table.Spec.Numeric).ToArray();
        var fields = names.Select(n => new DataField<double>(n)).ToArray();
        await using var stream = File.Create(parquet);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        const int group = 1 << 20;
        for (int from = 0; from < table.Outcome.Length; from += group)
        {
            int n = Math.Min(group, table.Outcome.Length - from);
            using var rg = writer.CreateRowGroup();
            for (int c = 0; c < names.Length; c++)
            {
                var column = c == 0 ? table.Outcome : table.Data.Numeric(names[c]);
                await rg.WriteAsync<double>(fields[c], new ReadOnlyMemory<double>(column, from, n));
            }
        }
        return 0;
    }
}

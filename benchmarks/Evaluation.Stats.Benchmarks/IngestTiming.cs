using System.Diagnostics;
using Evaluation.Stats.Data;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Benchmarks;

/// <summary>
/// Ingestion timings for benchmarks/cross-tool/ingest.sh. <c>load FILE [reps]</c>: the best of <c>reps</c>
/// <see cref="LogitTable.Read(string, string, IReadOnlyList{string}, string?, ReadOptions?)"/> of FILE (outcome
/// <c>y</c>), in seconds, after one untimed read (JIT). <c>to-parquet IN.csv OUT.parquet</c>: writes the table as
/// Parquet (one double column per CSV column, 1M-row groups) for the Parquet load row.
/// </summary>
internal static class IngestTiming
{
    public static int Run(string[] args)
    {
        if (args[0] == "to-parquet") return ToParquet(args[1], args[2]).GetAwaiter().GetResult();
        var file = args[1];
        int reps = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        LogitTable.Read(file, "y", []);
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            var table = LogitTable.Read(file, "y", []);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            GC.KeepAlive(table);
        }
        Console.WriteLine(best.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
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

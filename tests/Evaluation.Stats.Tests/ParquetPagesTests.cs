using Evaluation.Stats.Data;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The fast Parquet page reader (ParquetPages) against the reference, Parquet.Net's own column reading: the same
/// values and nulls for required and optional DOUBLE, INT32 and INT64 columns, uncompressed and Snappy, over several
/// row groups; and a chunk it does not handle (dictionary-encoded text) is left to the reference.
/// </summary>
public class ParquetPagesTests
{
    [Theory]
    [Trait("Category", "FastPath")]
    [InlineData(CompressionMethod.None, 1)]
    [InlineData(CompressionMethod.Snappy, 2)]
    [InlineData(CompressionMethod.Snappy, 3)]
    public async Task FastPages_AgreeWithParquetNet(CompressionMethod compression, int seed)
    {
        var rng = new Random(seed);
        var path = CliTests.Temp($"pages-{compression}-{seed}.parquet", "");
        var fields = new DataField[]
        {
            new DataField<double>("d"), new DataField<double?>("dn"), new DataField<int>("i"), new DataField<int?>("in"),
            new DataField<long>("l"), new DataField<long?>("ln"), new DataField<string>("s", true),
        };
        int[] groups = [rng.Next(1, 4000), rng.Next(1, 70_000)];
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = compression }))
            foreach (int n in groups)
            {
                using var rg = writer.CreateRowGroup();
                bool Null() => rng.Next(5) == 0;
                await rg.WriteAsync<double>((DataField)fields[0], Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 1e6 - 5e5).ToArray());
                await rg.WriteAsync<double>((DataField)fields[1], Enumerable.Range(0, n).Select(_ => Null() ? (double?)null : rng.NextDouble()).ToArray());
                await rg.WriteAsync<int>((DataField)fields[2], Enumerable.Range(0, n).Select(_ => rng.Next(int.MinValue, int.MaxValue)).ToArray());
                await rg.WriteAsync<int>((DataField)fields[3], Enumerable.Range(0, n).Select(_ => Null() ? (int?)null : rng.Next(-9, 9)).ToArray());
                await rg.WriteAsync<long>((DataField)fields[4], Enumerable.Range(0, n).Select(_ => rng.NextInt64(-(1L << 52), 1L << 52)).ToArray());
                await rg.WriteAsync<long>((DataField)fields[5], Enumerable.Range(0, n).Select(_ => Null() ? (long?)null : rng.NextInt64(-5, 5)).ToArray());
                await rg.WriteAsync((DataField)fields[6], Enumerable.Range(0, n).Select(_ => "abc"[rng.Next(3)].ToString()).ToArray());
            }

        await using var reader = await ParquetReader.CreateAsync(path);
        using var file = File.OpenHandle(path);
        var read = reader.Schema.GetDataFields();
        int fast = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            foreach (var f in read.Take(6))
            {
                Assert.True(ParquetPages.TryRead(file, rg.GetMetadata(f), f, n, out var values, out var nulls), f.Name);
                fast++;
                var expected = Reference(rg, f, n);
                Assert.Equal(expected.Select(v => v ?? double.NaN), values);
                Assert.Equal(expected.Select(v => v is null), nulls ?? new bool[n]);
            }
            Assert.False(ParquetPages.TryRead(file, rg.GetMetadata(read[6]), read[6], n, out _, out _));
        }
        Assert.Equal(12, fast);
    }

    private static double?[] Reference(ParquetRowGroupReader rg, DataField f, int n)
    {
        if (f.ClrType == typeof(double)) return Read<double>(rg, f, n, v => v);
        if (f.ClrType == typeof(int)) return Read<int>(rg, f, n, v => v);
        return Read<long>(rg, f, n, v => v);
    }

    private static double?[] Read<T>(ParquetRowGroupReader rg, DataField f, int n, Func<T, double> convert) where T : struct
    {
        if (f.IsNullable)
        {
            var values = new T?[n];
            rg.ReadAsync<T>(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            return values.Select(v => v is { } x ? convert(x) : (double?)null).ToArray();
        }
        var plain = new T[n];
        rg.ReadAsync<T>(f, plain.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return plain.Select(v => (double?)convert(v)).ToArray();
    }
}

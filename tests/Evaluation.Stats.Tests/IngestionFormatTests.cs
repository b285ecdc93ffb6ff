using System.IO.Compression;
using DuckDB.NET.Data;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Tests;

/// <summary>The same data as CSV, gzip, TSV (UK dates), Parquet, a DataFrame and a DuckDB query give identical results.</summary>
public class IngestionFormatTests
{
    private static string Key(Journey j) =>
        $"{j.ClientId}|{j.Area}|{j.Start:yyyy-MM-dd}|{j.End:yyyy-MM-dd}|{j.ExitReason}|{j.Age}|{string.Join(";", j.Characteristics.Select(c => c.Key + "=" + c.Value))}";

    private static List<string[]> DemoRows(out string[] header, int take)
    {
        var lines = File.ReadAllLines(CliTests.Fixture("demo", "journeys.csv"));
        header = lines[0].Split(',');
        return lines.Skip(1).Take(take).Select(l => l.Split(',')).ToList();
    }

    [Fact]
    public void Journeys_FromEveryFormat_AreIdentical()
    {
        var rows = DemoRows(out var header, 3000);
        var csv = string.Join(",", header) + "\n" + string.Concat(rows.Select(r => string.Join(",", r) + "\n"));
        var csvPath = CliTests.Temp("j.csv", csv);
        var reference = Readers.Journeys(csvPath).Records.Select(Key).ToList();
        Assert.Equal(3000, reference.Count);

        var gzPath = csvPath + ".gz";
        using (var f = File.Create(gzPath))
        using (var z = new GZipStream(f, CompressionLevel.Fastest)) z.Write(System.Text.Encoding.UTF8.GetBytes(csv));
        Assert.Equal(reference, Readers.Journeys(gzPath).Records.Select(Key));

        static string Uk(string d) => d.Length == 10 ? $"{d[8..10]}/{d[5..7]}/{d[..4]}" : d;
        var tsv = string.Join("\t", header) + "\n" + string.Concat(rows.Select(r => string.Join("\t", r.Select((v, i) => i is 2 or 3 ? Uk(v) : v)) + "\n"));
        var tsvOptions = new ReadOptions { Delimiter = '\t', DateFormat = "dd/MM/yyyy" };
        Assert.Equal(reference, Readers.Journeys(CliTests.Temp("j.tsv", tsv), tsvOptions).Records.Select(Key));

        var parquetPath = Path.Combine(Path.GetDirectoryName(csvPath)!, "j.parquet");
        WriteParquet(parquetPath, header, rows);
        Assert.Equal(reference, Readers.Journeys(parquetPath).Records.Select(Key));

        var frame = new DataFrame(header.Select((h, c) => (DataFrameColumn)(c switch
        {
            2 or 3 => new PrimitiveDataFrameColumn<DateTime>(h, rows.Select(r => r[c].Length == 0 ? (DateTime?)null : DateTime.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture))),
            4 or 5 => new PrimitiveDataFrameColumn<int>(h, rows.Select(r => r[c].Length == 0 ? (int?)null : int.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture))),
            _ => new StringDataFrameColumn(h, rows.Select(r => r[c].Length == 0 ? null : r[c])),
        })));
        Assert.Equal(reference, Readers.Journeys(frame).Records.Select(Key));

        var db = Path.Combine(Path.GetDirectoryName(csvPath)!, "j.duckdb");
        using var connection = new DuckDBConnection($"Data Source={db}");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE journeys AS SELECT * FROM read_csv('{csvPath}', header = true, all_varchar = false, " +
                                 "types = {'exit_reason': 'INTEGER', 'age': 'INTEGER', 'journey_start': 'DATE', 'journey_end': 'DATE'})";
            create.ExecuteNonQuery();
        }
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT * FROM journeys";
        using var reader = query.ExecuteReader();
        Assert.Equal(reference, Readers.Journeys(reader).Records.Select(Key));
    }

    [Fact]
    public void LogitTable_FromEveryFormat_GivesTheSameFit()
    {
        var rng = new Random(7);
        var header = new[] { "y", "x1", "x2", "g" };
        var rows = Enumerable.Range(0, 5000).Select(i => new[]
        {
            (rng.NextDouble() < 0.4 ? 1 : 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Math.Round(rng.NextDouble() * 4 - 2, 6).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            i % 9 == 0 ? "" : rng.Next(0, 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "abc"[i % 3].ToString(),
        }).ToList();
        var csv = string.Join(",", header) + "\n" + string.Concat(rows.Select(r => string.Join(",", r) + "\n"));
        var csvPath = CliTests.Temp("d.csv", csv);
        static string Fit(LogitTable t) =>
            string.Join(";", LogisticRegression.Fit(t.Data, t.Spec, t.Outcome).Coefficients.Select(c => $"{c.Term}={c.Estimate:R}")) +
            $"|n={t.Outcome.Length}|in={t.InputRows}|" + string.Join(",", t.Exclusions.Select(e => $"{e.Reason}:{e.Rows}"));
        var reference = Fit(LogitTable.Read(csvPath, "y", []));
        Assert.Contains("in=5000", reference);
        Assert.Contains(ExclusionReasons.BlankNumericCovariate + ":556", reference);

        var gzPath = csvPath + ".gz";
        using (var f = File.Create(gzPath))
        using (var z = new GZipStream(f, CompressionLevel.Fastest)) z.Write(System.Text.Encoding.UTF8.GetBytes(csv));
        Assert.Equal(reference, Fit(LogitTable.Read(gzPath, "y", [])));
        var tsv = CliTests.Temp("d.tsv", csv.Replace(',', '\t'));
        Assert.Equal(reference, Fit(LogitTable.Read(tsv, "y", [], null, new ReadOptions { Delimiter = '\t' })));

        var parquetPath = Path.Combine(Path.GetDirectoryName(csvPath)!, "d.parquet");
        WriteParquet(parquetPath, header, rows);
        Assert.Equal(reference, Fit(LogitTable.Read(parquetPath, "y", [])));
        var typedPath = Path.Combine(Path.GetDirectoryName(csvPath)!, "typed.parquet");
        WriteTypedParquet(typedPath, rows);
        Assert.Equal(reference, Fit(LogitTable.Read(typedPath, "y", [])));

        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<int>("y", rows.Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture))),
            new PrimitiveDataFrameColumn<double>("x1", rows.Select(r => double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture))),
            new PrimitiveDataFrameColumn<double>("x2", rows.Select(r => r[2].Length == 0 ? (double?)null : double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture))),
            new StringDataFrameColumn("g", rows.Select(r => r[3])));
        Assert.Equal(reference, Fit(LogitTable.Read(frame, "y", [])));

        using var connection = new DuckDBConnection("Data Source=" + Path.Combine(Path.GetDirectoryName(csvPath)!, "d.duckdb"));
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE d AS SELECT * FROM read_csv('{csvPath}', header = true, types = {{'y': 'INTEGER', 'x1': 'DOUBLE', 'x2': 'DOUBLE', 'g': 'VARCHAR'}})";
            create.ExecuteNonQuery();
        }
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT * FROM d";
        using var reader = query.ExecuteReader();
        Assert.Equal(reference, Fit(LogitTable.Read(reader, "y", [])));
    }

    /// <summary>Typed columns: y as required int32, x1 as required double, x2 as nullable double, g as text.</summary>
    private static void WriteTypedParquet(string path, List<string[]> rows) => WriteTypedParquetAsync(path, rows).GetAwaiter().GetResult();

    private static async Task WriteTypedParquetAsync(string path, List<string[]> rows)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var y = new DataField<int>("y");
        var x1 = new DataField<double>("x1");
        var x2 = new DataField<double?>("x2");
        var g = new DataField<string>("g", true);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(y, x1, x2, g), stream);
        foreach (var part in rows.Chunk(1500)) // several row groups
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(y, part.Select(r => int.Parse(r[0], inv)).ToArray());
            await group.WriteAsync<double>(x1, part.Select(r => double.Parse(r[1], inv)).ToArray());
            await group.WriteAsync<double>(x2, part.Select(r => r[2].Length == 0 ? (double?)null : double.Parse(r[2], inv)).ToArray());
            await group.WriteAsync(g, part.Select(r => r[3]).ToArray());
        }
    }

    /// <summary>Text columns as Parquet strings (blank as null), so the Parquet reader's own parsing is what is tested.</summary>
    private static void WriteParquet(string path, string[] header, List<string[]> rows) => WriteParquetAsync(path, header, rows).GetAwaiter().GetResult();

    private static async Task WriteParquetAsync(string path, string[] header, List<string[]> rows)
    {
        var fields = header.Select(h => new DataField<string>(h, true)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < header.Length; c++)
            await group.WriteAsync(fields[c], rows.Select(r => r[c].Length == 0 ? null : r[c]).ToArray());
    }
}

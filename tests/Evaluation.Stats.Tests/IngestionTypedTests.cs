using DuckDB.NET.Data;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Methodology §9 for the typed sources of a logit table (Parquet, DataFrame, DuckDB), read column-wise without
/// text: a NaN or an infinity is an error naming the row (line = row + 1) and column, or a data error when
/// excluding; a null is blank; an outcome other than 0 or 1 is an error.
/// </summary>
public class IngestionTypedTests
{
    private const int Rows = 3000, Bad = 2100;

    private static double X1(int i) => i == Bad ? double.PositiveInfinity : Math.Round(Math.Sin(i) * 3, 4);
    private static int Y(int i) => (i * 7919) % 3 == 0 ? 1 : 0;
    private static double? X2(int i) => i % 11 == 0 ? null : i % 13;

    private static void Check(Func<ReadOptions, LogitTable> read)
    {
        var e = Assert.Throws<InputFormatException>(() => read(ReadOptions.Default));
        Assert.Equal((Bad + 1L, "x1"), (e.Line, e.Column));
        Assert.Contains("not a finite number", e.Message);
        var t = read(new ReadOptions { OnBadRows = BadRowPolicy.Exclude });
        Assert.Equal(Rows, t.InputRows);
        Assert.Equal([Bad + 1L], t.Exclusions.Single(x => x.Reason == ExclusionReasons.Unparseable).Lines);
        var blank = t.Exclusions.Single(x => x.Reason == ExclusionReasons.BlankNumericCovariate).Lines;
        Assert.Equal(Enumerable.Range(0, Rows).Where(i => i % 11 == 0 && i != Bad).Select(i => i + 1L), blank);
        var kept = Enumerable.Range(0, Rows).Where(i => i != Bad && i % 11 != 0).ToArray();
        Assert.Equal(kept.Select(i => (double)Y(i)), t.Outcome);
        Assert.Equal(kept.Select(X1), t.Data.Numeric("x1"));
        Assert.Equal(kept.Select(i => X2(i)!.Value), t.Data.Numeric("x2"));
    }

    [Fact]
    public async Task Parquet_TypedColumns_FollowTheRules_AcrossRowGroups()
    {
        var path = CliTests.Temp("typed-bad.parquet", "");
        await Write(path);
        Check(o => LogitTable.Read(path, "y", [], null, o));
    }

    private static async Task Write(string path)
    {
        var y = new DataField<int>("y");
        var x1 = new DataField<double>("x1");
        var x2 = new DataField<double?>("x2");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(y, x1, x2), stream);
        foreach (var part in Enumerable.Range(0, Rows).Chunk(1000))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(y, part.Select(Y).ToArray());
            await group.WriteAsync<double>(x1, part.Select(X1).ToArray());
            await group.WriteAsync<double>(x2, part.Select(X2).ToArray());
        }
    }

    [Fact]
    public void DataFrame_TypedColumns_FollowTheRules()
    {
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<int>("y", Enumerable.Range(0, Rows).Select(Y)),
            new PrimitiveDataFrameColumn<double>("x1", Enumerable.Range(0, Rows).Select(X1)),
            new PrimitiveDataFrameColumn<double>("x2", Enumerable.Range(0, Rows).Select(X2)));
        Check(o => LogitTable.Read(frame, "y", [], null, o));
        frame.Columns["y"][5] = 2;
        var e = Assert.Throws<InputFormatException>(() => LogitTable.Read(frame, "y", []));
        Assert.Equal((6L, "y"), (e.Line, e.Column));
        Assert.Contains("must be 0 or 1", e.Message);
    }

    [Fact]
    public void DuckDbQuery_TypedColumns_FollowTheRules()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        const string query = "SELECT (i * 7919) % 3 = 0 AS y, CASE WHEN i = 2100 THEN 'Infinity'::DOUBLE ELSE round(sin(i) * 3, 4) END AS x1, " +
                             "CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13)::INTEGER END AS x2 FROM range(3000) t(i) ORDER BY i";
        Check(o =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            return LogitTable.Read(reader, "y", [], null, o);
        });
    }
}

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Data;

/// <summary>
/// A typed table (a <see cref="DataFrame"/> or a <see cref="DbDataReader"/>) read through the same rules as a file:
/// each value is formatted once (dates in the read's date format, numbers round-trip) and then parsed by the same
/// code as delimited text, so every source obeys methodology §9 the same way. Row r (from 0) is reported as "line" r + 1.
/// </summary>
internal abstract class TypedRowSource(string name, string dateFormat) : IRowSource
{
    public string Name { get; } = name;

    public abstract IReadOnlyList<string> Header { get; }

    /// <summary>Moves to the next row, filling <paramref name="values"/>; false at the end.</summary>
    protected abstract bool Next(object?[] values);

    public long ForEach(RowAction action, ReadOptions options)
    {
        var values = new object?[Header.Count];
        var texts = new string?[Header.Count];
        var clock = Stopwatch.StartNew();
        long rows = 0;
        while (Next(values))
        {
            for (int c = 0; c < texts.Length; c++) texts[c] = Text(values[c]);
            rows++;
            action(new Fields(rows, texts, rows - 1));
            if ((rows & 0xFFFF) == 0)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                options.Progress?.Report(new ReadProgress(rows, clock.Elapsed));
            }
        }
        options.Progress?.Report(new ReadProgress(rows, clock.Elapsed, Finished: true));
        return rows;
    }

    private string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        DateTime d => d.ToString(dateFormat, CultureInfo.InvariantCulture),
        DateOnly d => d.ToString(dateFormat, CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString(dateFormat, CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public virtual void Dispose() { }
}

/// <summary>A Microsoft.Data.Analysis <see cref="DataFrame"/>.</summary>
internal sealed class DataFrameRowSource(DataFrame frame, string name, string dateFormat = "yyyy-MM-dd") : TypedRowSource(name, dateFormat)
{
    private readonly DataFrameColumn[] _columns = frame.Columns.ToArray();
    private long _row = -1;

    /// <summary>The frame, for readers that take whole columns.</summary>
    public DataFrame Frame => frame;

    public override IReadOnlyList<string> Header { get; } = frame.Columns.Select(c => c.Name).ToArray();

    protected override bool Next(object?[] values)
    {
        if (++_row >= frame.Rows.Count) return false;
        for (int c = 0; c < _columns.Length; c++) values[c] = _columns[c][_row];
        return true;
    }
}

/// <summary>Any ADO.NET <see cref="DbDataReader"/>: a query's result goes straight in, row by row.</summary>
internal sealed class DataReaderRowSource(DbDataReader reader, string name, string dateFormat = "yyyy-MM-dd") : TypedRowSource(name, dateFormat)
{
    public override IReadOnlyList<string> Header { get; } = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();

    /// <summary>The reader, for readers that take typed values.</summary>
    public DbDataReader Reader => reader;

    protected override bool Next(object?[] values)
    {
        if (!reader.Read()) return false;
        for (int c = 0; c < values.Length; c++) values[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
        return true;
    }
}

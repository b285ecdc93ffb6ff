using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Data;

/// <summary>The Parquet path of <see cref="LogitColumns"/>: whole typed columns per row group, no text in between.</summary>
internal sealed partial class LogitColumns
{
    /// <summary>One column of one row group: numbers (with nulls marked) or text.</summary>
    private sealed record TypedColumn(double[]? Numbers, bool[]? Nulls, string?[]? Texts)
    {
        public bool IsNull(int i) => Numbers is not null ? Nulls is not null && Nulls[i] : Texts![i] is null;

        public string Text(int i) => Texts?[i] ?? Numbers![i].ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads a Parquet file column by column: numeric columns go straight into the double columns, text columns
    /// are parsed as delimited text would be, and each row then meets the same rules as in <see cref="Parse"/>
    /// (row r is line r + 1). Returns the number of rows.
    /// </summary>
    private long LoadParquet(ParquetRowSource source, List<(long Slot, Problem Problem)> rejected)
    {
        var fields = source.Fields;
        long offset = 0;
        for (int g = 0; g < source.Reader.RowGroupCount; g++)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            using var rg = source.Reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            var y = Column(rg, fields[_y], n);
            var cluster = _cluster < 0 ? null : Column(rg, fields[_cluster], n);
            var columns = _index.Select(i => Column(rg, fields[i], n)).ToArray();
            for (int i = 0; i < n; i++)
            {
                long slot = offset + i;
                var problem = Row(i, slot + 1, y, cluster, columns, out var row);
                if (problem is not null)
                {
                    if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, problem.Line, problem.Column, problem.Message);
                    rejected.Add((slot, problem));
                    _lines.Set(slot, slot + 1);
                }
                else { Write(row!, slot); _pool.Enqueue(row!); }
            }
            offset += n;
            _options.Progress?.Report(new ReadProgress(offset, TimeSpan.Zero));
        }
        return offset;
    }

    private Problem? Row(int i, long line, TypedColumn y, TypedColumn? cluster, TypedColumn[] columns, out Parsed? row)
    {
        row = _pool.TryDequeue(out var p) ? p : new Parsed(_predictors.Length);
        row.Line = line;
        row.Problem = null;
        if (y.IsNull(i)) row.Y = double.NaN;
        else if (y.Numbers is not null && y.Numbers[i] is 0 or 1) row.Y = y.Numbers[i];
        else if (y.Texts is not null && y.Texts[i]!.Trim() is "0" or "1") row.Y = y.Texts[i]!.Trim() == "1" ? 1 : 0;
        else return new Problem(line, _outcomeHeader, $"the outcome is {Echo.Quote(y.Text(i))}; it must be 0 or 1");
        row.Cluster = cluster is null || cluster.IsNull(i) ? null : _intern.Intern(cluster.Text(i).AsSpan().Trim());
        for (int k = 0; k < columns.Length; k++)
        {
            var c = columns[k];
            row.Texts[k] = null;
            row.Numbers[k] = double.NaN;
            if (c.IsNull(i)) continue;
            if (_named[k]) { row.Texts[k] = _intern.Intern(c.Text(i).AsSpan().Trim()); continue; }
            double v;
            if (c.Numbers is not null) v = c.Numbers[i];
            else
            {
                var f = c.Texts![i].AsSpan().Trim();
                if (f.IsEmpty) continue;
                if (!FieldParse.TryNumber(f, out v)) { row.Texts[k] = _intern.Intern(f); continue; }
            }
            if (!double.IsFinite(v)) return new Problem(line, _predictors[k], TableReader.NotFinite(c.Text(i)));
            row.Numbers[k] = v;
        }
        return null;
    }

    /// <summary>A column of a row group as numbers (every numeric Parquet type) or as text (strings, dates, booleans).</summary>
    private TypedColumn Column(ParquetRowGroupReader rg, DataField f, int n)
    {
        var t = f.ClrType;
        if (t == typeof(double) && !f.IsNullable)
        {
            var values = new double[n];
            rg.ReadAsync<double>(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            return new TypedColumn(values, null, null);
        }
        if (t == typeof(double)) return Numbers(ParquetRowSource.Nullable<double>(rg, f, n), v => v);
        if (t == typeof(float)) return Numbers(ParquetRowSource.Nullable<float>(rg, f, n), v => v);
        if (t == typeof(int)) return Numbers(ParquetRowSource.Nullable<int>(rg, f, n), v => v);
        if (t == typeof(long)) return Numbers(ParquetRowSource.Nullable<long>(rg, f, n), v => v);
        if (t == typeof(short)) return Numbers(ParquetRowSource.Nullable<short>(rg, f, n), v => v);
        if (t == typeof(byte)) return Numbers(ParquetRowSource.Nullable<byte>(rg, f, n), v => v);
        if (t == typeof(decimal)) return Numbers(ParquetRowSource.Nullable<decimal>(rg, f, n), v => (double)v);
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return new TypedColumn(null, null, ParquetRowSource.Strings(rg, f, n));
        if (t == typeof(bool)) return new TypedColumn(null, null, Array.ConvertAll(ParquetRowSource.Nullable<bool>(rg, f, n), v => v is { } b ? (b ? "1" : "0") : null));
        if (t == typeof(DateOnly)) return new TypedColumn(null, null, Array.ConvertAll(ParquetRowSource.Nullable<DateOnly>(rg, f, n), v => v?.ToString(_options.DateFormat, CultureInfo.InvariantCulture)));
        if (t == typeof(DateTime)) return new TypedColumn(null, null, Array.ConvertAll(ParquetRowSource.Nullable<DateTime>(rg, f, n), v => v?.ToString(_options.DateFormat, CultureInfo.InvariantCulture)));
        throw new InputFormatException(_source.Name, 0, f.Name, $"the Parquet column has type {t.Name}, which cannot be read as a number or text");
    }

    private static TypedColumn Numbers<T>(T?[] values, Func<T, double> convert) where T : struct
    {
        var numbers = new double[values.Length];
        var nulls = new bool[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v) numbers[i] = convert(v);
            else nulls[i] = true;
        }
        return new TypedColumn(numbers, nulls, null);
    }
}

using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Data;

/// <summary>
/// The Parquet path of <see cref="LogitColumns"/>: each column chunk of each row group is read whole, as its own
/// type, straight into the segment's column (no per-value boxing, no text for numbers): plain numeric chunks by
/// <see cref="ParquetPages"/>, anything else by Parquet.Net. The columns are shared out between the cores, each
/// reading through its own file handle. Row r of the file is "line" r + 1.
/// </summary>
internal sealed partial class LogitColumns
{
    private List<LogitSegment> LoadParquet(ParquetRowSource source)
    {
        var fields = source.Fields;
        var segments = new List<LogitSegment>();
        long offset = 0;
        for (int g = 0; g < source.Reader.RowGroupCount; g++)
        {
            using var rg = source.Reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            segments.Add(new LogitSegment(n, _predictors.Length, offset + 1));
            offset += n;
        }
        var columns = ColumnsRead();
        int workers = Math.Min(Environment.ProcessorCount, columns.Length);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var reader = w == 0 ? source.Reader : ParquetReader.CreateAsync(source.Name, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
            using var file = File.OpenHandle(source.Name, FileMode.Open, FileAccess.Read, FileShare.Read);
            try
            {
                for (int i = w; i < columns.Length; i += workers)
                {
                    int c = columns[i];
                    var field = fields[SourceColumn(c)];
                    for (int g = 0; g < segments.Count; g++)
                    {
                        _options.CancellationToken.ThrowIfCancellationRequested();
                        using var rg = reader.OpenRowGroupReader(g);
                        ReadColumn(rg, field, c, segments[g], file);
                    }
                }
            }
            finally
            {
                if (w != 0) reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        foreach (var s in segments) _options.Progress?.Report(new ReadProgress(s.Lines[^1], TimeSpan.Zero));
        return Finish(segments);
    }

    /// <summary>Reads one column chunk into the segment: the outcome (c = -1), the cluster (-2) or predictor c.</summary>
    private void ReadColumn(ParquetRowGroupReader rg, DataField field, int c, LogitSegment s, Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (ParquetPages.TryRead(file, rg.GetMetadata(field), field, s.Rows, out var values, out var valueNulls))
        {
            Store(s, c, values, valueNulls, null, field.Name);
            return;
        }
        var numbers = Numbers(rg, field, s.Rows, out var nulls);
        Store(s, c, numbers, nulls, numbers is null ? Texts(rg, field, s.Rows) : null, field.Name);
    }

    /// <summary>A column of every numeric Parquet type (and booleans as 0/1) as doubles, nulls as NaN and marked; <c>null</c> for other types.</summary>
    private static double[]? Numbers(ParquetRowGroupReader rg, DataField f, int n, out bool[]? nulls)
    {
        var t = f.ClrType;
        nulls = null;
        if (t == typeof(double) && !f.IsNullable)
        {
            var values = GC.AllocateUninitializedArray<double>(n);
            rg.ReadAsync<double>(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            return values;
        }
        if (t == typeof(double)) return ReadConverted<double>(rg, f, n, v => v, out nulls);
        if (t == typeof(float)) return ReadConverted<float>(rg, f, n, v => v, out nulls);
        if (t == typeof(int)) return ReadConverted<int>(rg, f, n, v => v, out nulls);
        if (t == typeof(long)) return ReadConverted<long>(rg, f, n, v => v, out nulls);
        if (t == typeof(short)) return ReadConverted<short>(rg, f, n, v => v, out nulls);
        if (t == typeof(byte)) return ReadConverted<byte>(rg, f, n, v => v, out nulls);
        if (t == typeof(sbyte)) return ReadConverted<sbyte>(rg, f, n, v => v, out nulls);
        if (t == typeof(decimal)) return ReadConverted<decimal>(rg, f, n, v => (double)v, out nulls);
        if (t == typeof(bool)) return ReadConverted<bool>(rg, f, n, v => v ? 1 : 0, out nulls);
        return null;
    }

    private static double[] ReadConverted<T>(ParquetRowGroupReader rg, DataField f, int n, Func<T, double> convert, out bool[]? nulls) where T : struct
    {
        var values = GC.AllocateUninitializedArray<double>(n);
        nulls = null;
        if (!f.IsNullable)
        {
            var plain = new T[n];
            rg.ReadAsync<T>(f, plain.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            for (int r = 0; r < n; r++) values[r] = convert(plain[r]);
            return values;
        }
        var read = new T?[n];
        rg.ReadAsync<T>(f, read.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        for (int r = 0; r < n; r++)
        {
            if (read[r] is { } v) values[r] = convert(v);
            else (nulls ??= new bool[n])[r] = true;
            if (nulls is not null && nulls[r]) values[r] = double.NaN;
        }
        return values;
    }

    /// <summary>A text, date or timestamp column as text (dates in the read's date format).</summary>
    private string?[] Texts(ParquetRowGroupReader rg, DataField f, int n)
    {
        var t = f.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return ParquetRowSource.Strings(rg, f, n);
        if (t == typeof(DateOnly)) return Array.ConvertAll(ParquetRowSource.Nullable<DateOnly>(rg, f, n), v => v?.ToString(_options.DateFormat, CultureInfo.InvariantCulture));
        if (t == typeof(DateTime)) return Array.ConvertAll(ParquetRowSource.Nullable<DateTime>(rg, f, n), v => v?.ToString(_options.DateFormat, CultureInfo.InvariantCulture));
        throw new InputFormatException(_source.Name, 0, f.Name, $"the Parquet column has type {t.Name}, which cannot be read as a number or text");
    }
}

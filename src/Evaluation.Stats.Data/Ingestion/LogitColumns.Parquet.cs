using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Data;

/// <summary>
/// The Parquet path of <see cref="LogitColumns"/>: each column chunk of each row group is read whole, as its own
/// type, straight into the segment's column (no per-value boxing, no text for numbers); the columns are shared out
/// between the cores, each reading through its own file handle. Row r of the file is "line" r + 1.
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
            segments.Add(new LogitSegment(n, _predictors.Length, offset + 2));
            offset += n;
        }
        // column -1 is the outcome, -2 the cluster column, 0.. the predictors
        var columns = Enumerable.Range(-2, _predictors.Length + 2).Where(c => c != -2 || _cluster >= 0).ToArray();
        int workers = Math.Min(Environment.ProcessorCount, columns.Length);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var reader = w == 0 ? source.Reader : ParquetReader.CreateAsync(source.Name, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
            try
            {
                for (int i = w; i < columns.Length; i += workers)
                {
                    int c = columns[i];
                    var field = fields[c == -1 ? _y : c == -2 ? _cluster : _index[c]];
                    for (int g = 0; g < segments.Count; g++)
                    {
                        _options.CancellationToken.ThrowIfCancellationRequested();
                        using var rg = reader.OpenRowGroupReader(g);
                        ReadColumn(rg, field, c, segments[g]);
                    }
                }
            }
            finally
            {
                if (w != 0) reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        foreach (var s in segments)
        {
            if (s.Problems is { } p) s.Problems = p.OrderBy(x => x.Row).ToList(); // a row's first problem first: columns in file order
            for (int k = 0; k < _predictors.Length; k++)
            {
                if (_named[k]) continue;
                s.HasNumber[k] = AnyGood(s, r => !double.IsNaN(s.Column(k + 1)[r]));
                s.HasText[k] = s.Codes[k] is { } codes && AnyGood(s, r => codes[r] >= 0);
            }
            _options.Progress?.Report(new ReadProgress(s.Lines[^1] - 1, TimeSpan.Zero));
        }
        return segments;
    }

    private static bool AnyGood(LogitSegment s, Func<int, bool> test)
    {
        var bad = s.Problems?.Select(p => p.Row).ToHashSet();
        for (int r = 0; r < s.Rows; r++)
            if (test(r) && (bad is null || !bad.Contains(r))) return true;
        return false;
    }

    /// <summary>Reads one column chunk into the segment: the outcome (c = -1), the cluster (-2) or predictor c.</summary>
    private void ReadColumn(ParquetRowGroupReader rg, DataField field, int c, LogitSegment s)
    {
        int n = s.Rows;
        var numbers = Numbers(rg, field, n, out var nulls);
        string?[]? texts = numbers is null ? Texts(rg, field, n) : null;
        string column = c == -1 ? _outcomeHeader : c == -2 ? field.Name : _predictors[c];
        if (c == -2 || (c >= 0 && _named[c]))
        {
            var levels = c == -2 ? _clusterLevels! : _levels[c];
            var codes = new int[n];
            for (int r = 0; r < n; r++)
                codes[r] = texts is not null
                    ? texts[r] is { } t && t.AsSpan().Trim() is { IsEmpty: false } f ? levels.Code(f) : -1
                    : nulls is not null && nulls[r] ? -1 : levels.Code(numbers![r].ToString("R", CultureInfo.InvariantCulture));
            if (c == -2) s.ClusterCodes = codes;
            else s.Codes[c] = codes;
            return;
        }
        if (texts is not null)
        {
            // Text in a column read for numbers: parsed as delimited text would be.
            numbers = new double[n];
            int[]? codes = null;
            for (int r = 0; r < n; r++)
            {
                numbers[r] = double.NaN;
                var f = texts[r].AsSpan().Trim();
                if (f.IsEmpty) continue;
                if (c == -1)
                {
                    if (f is "0" or "1") numbers[r] = f[0] - '0';
                    else s.Fail(r, new Problem(s.Lines[r], column, $"the outcome is {Echo.Quote(f)}; it must be 0 or 1"));
                }
                else if (!FieldParse.TryNumber(f, out var v)) (codes ??= NoCodes(n))[r] = _levels[c].Code(f);
                else if (double.IsFinite(v)) numbers[r] = v;
                else s.Fail(r, new Problem(s.Lines[r], column, TableReader.NotFinite(f)));
            }
            if (codes is not null) s.Codes[c] = codes;
        }
        else
        {
            // Typed numbers: a null is blank (NaN); a NaN or an infinity stored in the file is not data.
            if (!LogitSegment.AllFinite(numbers!))
                for (int r = 0; r < n; r++)
                {
                    double v = numbers![r];
                    if (double.IsFinite(v) || (nulls is not null && nulls[r])) continue;
                    var shown = v.ToString("R", CultureInfo.InvariantCulture);
                    s.Fail(r, new Problem(s.Lines[r], column, c == -1 ? $"the outcome is {Echo.Quote(shown)}; it must be 0 or 1" : TableReader.NotFinite(shown)));
                }
            if (c == -1)
                for (int r = 0; r < n; r++)
                    if (numbers![r] is not (0 or 1) && double.IsFinite(numbers[r]))
                        s.Fail(r, new Problem(s.Lines[r], column, $"the outcome is {Echo.Quote(numbers[r].ToString("R", CultureInfo.InvariantCulture))}; it must be 0 or 1"));
        }
        s.Arrays[c + 1] = numbers;
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
        if (t == typeof(double)) return Convert<double>(rg, f, n, v => v, out nulls);
        if (t == typeof(float)) return Convert<float>(rg, f, n, v => v, out nulls);
        if (t == typeof(int)) return Convert<int>(rg, f, n, v => v, out nulls);
        if (t == typeof(long)) return Convert<long>(rg, f, n, v => v, out nulls);
        if (t == typeof(short)) return Convert<short>(rg, f, n, v => v, out nulls);
        if (t == typeof(byte)) return Convert<byte>(rg, f, n, v => v, out nulls);
        if (t == typeof(sbyte)) return Convert<sbyte>(rg, f, n, v => v, out nulls);
        if (t == typeof(decimal)) return Convert<decimal>(rg, f, n, v => (double)v, out nulls);
        if (t == typeof(bool)) return Convert<bool>(rg, f, n, v => v ? 1 : 0, out nulls);
        return null;
    }

    private static double[] Convert<T>(ParquetRowGroupReader rg, DataField f, int n, Func<T, double> convert, out bool[]? nulls) where T : struct
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

    private static int[] NoCodes(int n)
    {
        var codes = new int[n];
        codes.AsSpan().Fill(-1);
        return codes;
    }
}

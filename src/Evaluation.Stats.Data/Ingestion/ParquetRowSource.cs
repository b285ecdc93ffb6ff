using Parquet;
using Parquet.Schema;

namespace Evaluation.Stats.Data;

/// <summary>
/// A Parquet file, read with Parquet.Net (pure managed code: no native library to ship or to match to the
/// platform, which is why it was chosen over ParquetSharp). Row groups are read one at a time, column by column;
/// dates may be DATE columns or text in the read's date format. Row r is reported as "line" r + 1.
/// </summary>
internal sealed class ParquetRowSource : TypedRowSource
{
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private int _group = -1;
    private long _rowInGroup, _groupRows;
    private object?[][] _columns = [];

    private ParquetRowSource(ParquetReader reader, string name, string dateFormat) : base(name, dateFormat)
    {
        _reader = reader;
        _fields = reader.Schema.GetDataFields();
        foreach (var f in _fields)
            if (f.IsArray || f.Path.ToList().Count > 1)
                throw new InputFormatException(name, 0, f.Name, "the column is nested or repeated; only flat tables can be read");
        Header = _fields.Select(f => f.Name).ToArray();
    }

    /// <summary>Opens a Parquet file; a file that is not Parquet is an error saying what it looks like.</summary>
    public static ParquetRowSource Open(string path, ReadOptions options)
    {
        using (var probe = InputOpener.OpenBytes(path, out _))
        {
            var head = new byte[4096];
            int n = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (!head.AsSpan(0, n).StartsWith("PAR1"u8))
                throw new InputFormatException(path, 0, null, InputOpener.Describe(head.AsSpan(0, n)) is { } what
                    ? $"the name ends in .parquet but the file {what}" : "the name ends in .parquet but the file is not Parquet (it does not start with PAR1)");
        }
        try
        {
            var reader = ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
            return new ParquetRowSource(reader, path, options.DateFormat);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new InputFormatException(path, 0, null, $"the Parquet file cannot be read: {e.Message}");
        }
    }

    public override IReadOnlyList<string> Header { get; }

    /// <summary>The row groups, for column-wise readers.</summary>
    internal ParquetReader Reader => _reader;

    /// <summary>The flat columns.</summary>
    internal IReadOnlyList<DataField> Fields => _fields;

    protected override bool Next(object?[] values)
    {
        while (_rowInGroup >= _groupRows)
        {
            if (++_group >= _reader.RowGroupCount) return false;
            using var rg = _reader.OpenRowGroupReader(_group);
            _groupRows = rg.RowCount;
            _rowInGroup = 0;
            _columns = _fields.Select(f => ReadBoxed(rg, f, checked((int)rg.RowCount))).ToArray();
        }
        for (int c = 0; c < values.Length; c++) values[c] = _columns[c][_rowInGroup];
        _rowInGroup++;
        return true;
    }

    private static object?[] ReadBoxed(ParquetRowGroupReader rg, DataField f, int n) => f.ClrType switch
    {
        var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => Strings(rg, f, n),
        var t when t == typeof(double) => Boxed<double>(rg, f, n),
        var t when t == typeof(float) => Boxed<float>(rg, f, n),
        var t when t == typeof(int) => Boxed<int>(rg, f, n),
        var t when t == typeof(long) => Boxed<long>(rg, f, n),
        var t when t == typeof(short) => Boxed<short>(rg, f, n),
        var t when t == typeof(byte) => Boxed<byte>(rg, f, n),
        var t when t == typeof(sbyte) => Boxed<sbyte>(rg, f, n),
        var t when t == typeof(bool) => Boxed<bool>(rg, f, n),
        var t when t == typeof(decimal) => Boxed<decimal>(rg, f, n),
        var t when t == typeof(DateOnly) => Boxed<DateOnly>(rg, f, n),
        var t when t == typeof(DateTime) => Boxed<DateTime>(rg, f, n),
        var t => throw new NotSupportedException($"column '{f.Name}' has type {t.Name}, which is not read"),
    };

    internal static string?[] Strings(ParquetRowGroupReader rg, DataField f, int n)
    {
        var values = new string?[n];
        rg.ReadAsync(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return values;
    }

    /// <summary>A column's values with nulls (a non-nullable column is read as such and has none).</summary>
    internal static T?[] Nullable<T>(ParquetRowGroupReader rg, DataField f, int n) where T : struct
    {
        if (f.IsNullable)
        {
            var values = new T?[n];
            rg.ReadAsync<T>(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            return values;
        }
        var plain = new T[n];
        rg.ReadAsync<T>(f, plain.AsMemory(), null).AsTask().GetAwaiter().GetResult();
        return Array.ConvertAll(plain, v => (T?)v);
    }

    private static object?[] Boxed<T>(ParquetRowGroupReader rg, DataField f, int n) where T : struct =>
        Array.ConvertAll(Nullable<T>(rg, f, n), v => v is { } x ? (object)x : null);

    public override void Dispose() => _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Data;

/// <summary>
/// The typed sources of <see cref="LogitColumns"/> (Parquet, a <see cref="DataFrame"/>, a <see cref="DbDataReader"/>):
/// whole columns as numbers or text, never formatted to text and parsed back. Row r (from 0) is "line" r + 1.
/// </summary>
internal sealed partial class LogitColumns
{
    /// <summary>The columns read: the outcome (-1), the cluster (-2) when there is one, and the predictors (0..).</summary>
    private int[] ColumnsRead() => Enumerable.Range(-2, _predictors.Length + 2).Where(c => c != -2 || _cluster >= 0).ToArray();

    /// <summary>The source column of column <paramref name="c"/> of <see cref="ColumnsRead"/>.</summary>
    private int SourceColumn(int c) => c == -1 ? _y : c == -2 ? _cluster : _index[c];

    /// <summary>A <see cref="DataFrame"/>: each column converted once, by its type, into one segment.</summary>
    private List<LogitSegment> LoadFrame(DataFrame frame)
    {
        var segment = new LogitSegment(checked((int)frame.Rows.Count), _predictors.Length, 1);
        var columns = ColumnsRead();
        Parallel.ForEach(columns, c =>
        {
            var column = frame.Columns[SourceColumn(c)];
            var (numbers, nulls, texts) = FrameColumn(column, segment.Rows);
            Store(segment, c, numbers, nulls, texts, column.Name);
        });
        return Finish([segment]);
    }

    private (double[]? Numbers, bool[]? Nulls, string?[]? Texts) FrameColumn(DataFrameColumn column, int n) => column switch
    {
        PrimitiveDataFrameColumn<double> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<float> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<int> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<long> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<short> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<byte> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<sbyte> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<uint> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<ulong> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<ushort> d => Frame(d, n, v => v),
        PrimitiveDataFrameColumn<decimal> d => Frame(d, n, v => (double)v),
        PrimitiveDataFrameColumn<bool> d => Frame(d, n, v => v ? 1 : 0),
        StringDataFrameColumn s => (null, null, Enumerable.Range(0, n).Select(i => s[i]).ToArray()),
        _ => (null, null, Enumerable.Range(0, n).Select(i => Text(column[i])).ToArray()),
    };

    private static (double[]?, bool[]?, string?[]?) Frame<T>(PrimitiveDataFrameColumn<T> column, int n, Func<T, double> convert) where T : unmanaged
    {
        var values = GC.AllocateUninitializedArray<double>(n);
        bool[]? nulls = null;
        for (int i = 0; i < n; i++)
        {
            if (column[i] is { } v) values[i] = convert(v);
            else { values[i] = double.NaN; (nulls ??= new bool[n])[i] = true; }
        }
        return (values, nulls, null);
    }

    /// <summary>A typed value that is not a number, as text (dates in the read's date format).</summary>
    private string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        DateTime d => d.ToString(_options.DateFormat, CultureInfo.InvariantCulture),
        DateOnly d => d.ToString(_options.DateFormat, CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString(_options.DateFormat, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A <see cref="DbDataReader"/>: rows are read with the typed getters into column buffers, a segment at a time.</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2111", Justification = "GetFieldType is only called through the delegate, and its Type results are only compared with primitive types; no member of them is reflected over.")]
    private List<LogitSegment> LoadReader(DbDataReader reader)
    {
        var columns = ColumnsRead();
        var ordinals = columns.Select(SourceColumn).ToArray();
        var types = ordinals.Select(reader.GetFieldType).ToArray();
        var numeric = types.Select(t => t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(short)
            || t == typeof(byte) || t == typeof(sbyte) || t == typeof(decimal) || t == typeof(bool) || t == typeof(uint) || t == typeof(ushort)).ToArray();
        var segments = new List<LogitSegment>();
        double[][] numbers = [];
        bool[][] nulls = [];
        string?[][] texts = [];
        int rows = 0;
        void Start()
        {
            numbers = columns.Select((_, i) => numeric[i] ? new double[RowSegment] : null!).ToArray();
            nulls = columns.Select((_, i) => numeric[i] ? new bool[RowSegment] : null!).ToArray();
            texts = columns.Select((_, i) => numeric[i] ? null! : new string?[RowSegment]).ToArray();
            rows = 0;
        }
        void Flush()
        {
            if (rows == 0) return;
            var s = new LogitSegment(rows, _predictors.Length, segments.Count * (long)RowSegment + 1);
            for (int i = 0; i < columns.Length; i++)
            {
                if (numeric[i])
                {
                    var v = numbers[i];
                    var m = nulls[i];
                    if (rows < RowSegment) { Array.Resize(ref v, rows); Array.Resize(ref m, rows); }
                    Store(s, columns[i], v, m, null, reader.GetName(ordinals[i]));
                }
                else Store(s, columns[i], null, null, rows < RowSegment ? texts[i][..rows] : texts[i], reader.GetName(ordinals[i]));
            }
            segments.Add(s);
            _options.CancellationToken.ThrowIfCancellationRequested();
            _options.Progress?.Report(new ReadProgress(s.Lines[^1], TimeSpan.Zero));
        }
        Start();
        while (reader.Read())
        {
            for (int i = 0; i < columns.Length; i++)
            {
                int o = ordinals[i];
                if (reader.IsDBNull(o))
                {
                    if (numeric[i]) { numbers[i][rows] = double.NaN; nulls[i][rows] = true; }
                    else texts[i][rows] = null;
                }
                else if (numeric[i]) numbers[i][rows] = Number(reader, o, types[i]);
                else texts[i][rows] = Text(reader.GetValue(o));
            }
            if (++rows == RowSegment) { Flush(); Start(); }
        }
        Flush();
        return Finish(segments);
    }

    private static double Number(DbDataReader reader, int o, Type t) =>
        t == typeof(double) ? reader.GetDouble(o)
        : t == typeof(int) ? reader.GetInt32(o)
        : t == typeof(long) ? reader.GetInt64(o)
        : t == typeof(float) ? reader.GetFloat(o)
        : t == typeof(short) ? reader.GetInt16(o)
        : t == typeof(bool) ? (reader.GetBoolean(o) ? 1 : 0)
        : t == typeof(decimal) ? (double)reader.GetDecimal(o)
        : t == typeof(byte) ? reader.GetByte(o)
        : Convert.ToDouble(reader.GetValue(o), CultureInfo.InvariantCulture);

    /// <summary>Orders each segment's problems by row and sets which predictors hold numbers and text in good rows.</summary>
    private List<LogitSegment> Finish(List<LogitSegment> segments)
    {
        foreach (var s in segments)
        {
            if (s.Problems is { } p) s.Problems = p.OrderBy(x => x.Row).ToList(); // a row's first problem first: columns in file order
            var bad = s.Problems?.Select(x => x.Row).ToHashSet();
            for (int k = 0; k < _predictors.Length; k++)
            {
                if (_named[k]) continue;
                var numbers = s.Column(k + 1);
                var codes = s.Codes[k];
                for (int r = 0; r < s.Rows && !(s.HasNumber[k] && (codes is null || s.HasText[k])); r++)
                {
                    if (bad is not null && bad.Contains(r)) continue;
                    if (!double.IsNaN(numbers[r])) s.HasNumber[k] = true;
                    else if (codes is not null && codes[r] >= 0) s.HasText[k] = true;
                }
            }
        }
        return segments;
    }

    /// <summary>
    /// Stores one whole column of a segment, given as typed numbers (nulls marked) or as text: the outcome (c = -1),
    /// the cluster (-2) or predictor c. Text is parsed as delimited text would be; every value meets the same rules.
    /// </summary>
    private void Store(LogitSegment s, int c, double[]? numbers, bool[]? nulls, string?[]? texts, string name)
    {
        int n = s.Rows;
        string column = c == -1 ? _outcomeHeader : c == -2 ? name : _predictors[c];
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

    private static int[] NoCodes(int n)
    {
        var codes = new int[n];
        codes.AsSpan().Fill(-1);
        return codes;
    }
}

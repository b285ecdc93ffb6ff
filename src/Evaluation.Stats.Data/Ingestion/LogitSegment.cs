using System.Collections.Concurrent;

namespace Evaluation.Stats.Data;

/// <summary>
/// A run of consecutive rows of a logit table in column form, filled by one thread: a block of a delimited file, a
/// Parquet row group, or a stretch of a typed source. Numbers are doubles (NaN for blank or text); text is a level
/// code per row (-1 for none), with the levels shared by all segments of a column.
/// </summary>
internal sealed class LogitSegment
{
    /// <summary>
    /// A segment whose numeric columns (outcome first) share one store, column by column: a slice of one of
    /// <paramref name="slabs"/>, or an array of its own without them.
    /// </summary>
    public LogitSegment(int capacity, int predictors, bool[] named, bool clusters, SegmentSlabs? slabs = null)
    {
        Capacity = capacity;
        Lines = new long[capacity];
        int length = checked(capacity * (1 + named.Count(n => !n)));
        var (store, at) = slabs?.Take(length) ?? (GC.AllocateUninitializedArray<double>(length), 0);
        Arrays = new double[]?[predictors + 1];
        Offsets = new int[predictors + 1];
        for (int k = 0; k <= predictors; k++)
        {
            if (k > 0 && named[k - 1]) continue;
            Arrays[k] = store;
            Offsets[k] = at;
            at += capacity;
        }
        Codes = new int[]?[predictors];
        for (int k = 0; k < predictors; k++)
            if (named[k]) Codes[k] = GC.AllocateUninitializedArray<int>(capacity);
        ClusterCodes = clusters ? GC.AllocateUninitializedArray<int>(capacity) : null;
        HasNumber = new bool[predictors];
        HasText = new bool[predictors];
    }

    /// <summary>A segment of exactly <paramref name="rows"/> rows whose columns the caller sets one by one (a Parquet row group).</summary>
    public LogitSegment(int rows, int predictors, long firstLine)
    {
        Capacity = Rows = rows;
        Lines = new long[rows];
        for (int r = 0; r < rows; r++) Lines[r] = firstLine + r;
        Arrays = new double[]?[predictors + 1];
        Offsets = new int[predictors + 1];
        Codes = new int[]?[predictors];
        HasNumber = new bool[predictors];
        HasText = new bool[predictors];
    }

    /// <summary>The most rows the segment holds.</summary>
    public int Capacity { get; }

    /// <summary>The rows written.</summary>
    public int Rows;

    /// <summary>The physical line (or 1-based row + 1) of each row.</summary>
    public readonly long[] Lines;

    /// <summary>Column 0 is the outcome, column k + 1 predictor k; null for a predictor read as text only.</summary>
    public readonly double[]?[] Arrays;

    /// <summary>Where each column starts in its array.</summary>
    public readonly int[] Offsets;

    /// <summary>Level codes of predictor k; allocated for a numeric-looking predictor only once it meets text.</summary>
    public readonly int[]?[] Codes;

    /// <summary>Level codes of the cluster column, when there is one.</summary>
    public int[]? ClusterCodes;

    /// <summary>Whether a good row of this segment had a number (text) in predictor k.</summary>
    public readonly bool[] HasNumber, HasText;

    /// <summary>An error that stopped the read inside this segment (an unclosed quote); rows after it were not read.</summary>
    public InputFormatException? Stop;

    /// <summary>Rows that did not parse (row within the segment, what was wrong), in row order.</summary>
    public List<(int Row, LogitColumns.Problem Problem)>? Problems;

    /// <summary>Column <paramref name="k"/> (0 = outcome) as a span of <see cref="Capacity"/> values.</summary>
    public Span<double> Column(int k) => Arrays[k].AsSpan(Offsets[k], Capacity);

    /// <summary>The codes of predictor <paramref name="k"/>, allocated (all -1) on first use.</summary>
    public int[] TextCodes(int k)
    {
        if (Codes[k] is { } codes) return codes;
        codes = new int[Capacity];
        codes.AsSpan().Fill(-1);
        return Codes[k] = codes;
    }

    /// <summary>Sets row <paramref name="row"/> aside; safe from several threads.</summary>
    public void Fail(int row, LogitColumns.Problem problem)
    {
        lock (Lines) (Problems ??= []).Add((row, problem));
    }

    /// <summary>Whether every value is finite (no NaN, no infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(values);
            foreach (var v in vectors)
                if (!System.Numerics.Vector.EqualsAll(v - v, System.Numerics.Vector<double>.Zero)) return false; // x - x is 0 only for finite x
            i = vectors.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return false;
        return true;
    }

    /// <summary>Whether <paramref name="values"/> holds a NaN (a blank).</summary>
    public static bool HasNaN(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(values);
            foreach (var v in vectors)
                if (!System.Numerics.Vector.EqualsAll(v, v)) return true;
            i = vectors.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < values.Length; i++)
            if (double.IsNaN(values[i])) return true;
        return false;
    }
}

/// <summary>The distinct texts of one column, each with a code; safe to use from several threads, looked up by span.</summary>
internal sealed class Levels
{
    private readonly ConcurrentDictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<string> _texts = [];

    public Levels() => _bySpan = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The code of <paramref name="text"/>, adding it when new.</summary>
    public int Code(ReadOnlySpan<char> text)
    {
        if (_bySpan.TryGetValue(text, out int code)) return code;
        lock (_texts)
        {
            if (_bySpan.TryGetValue(text, out code)) return code;
            var s = text.ToString();
            code = _texts.Count;
            _texts.Add(s);
            _codes[s] = code;
            return code;
        }
    }

    /// <summary>How many levels have codes; call once every code is added.</summary>
    public int Count => _texts.Count;

    /// <summary>The level texts in code order; call once every code is added.</summary>
    public IReadOnlyList<string> Texts => _texts;

    /// <summary>The text of <paramref name="code"/> (-1 is none); call once every code is added.</summary>
    public string? Text(int code) => code < 0 ? null : _texts[code];
}

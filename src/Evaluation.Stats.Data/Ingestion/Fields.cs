using nietras.SeparatedValues;

namespace Evaluation.Stats.Data;

/// <summary>
/// One row of any source, read as text spans: a delimited file's row straight from Sep's buffer (no string per
/// field), or a typed source's values formatted once. Fields are trimmed; a blank field is an empty span.
/// </summary>
internal readonly ref struct Fields
{
    private readonly SepReader.Row _sep;
    private readonly string?[]? _texts;

    public Fields(SepReader.Row row, long line, long slot)
    {
        _sep = row;
        _texts = null;
        Line = line;
        Count = row.ColCount;
        Slot = slot;
    }

    public Fields(long line, string?[] texts, long slot)
    {
        _sep = default;
        _texts = texts;
        Line = line;
        Count = texts.Length;
        Slot = slot;
    }

    /// <summary>The row's 0-based place among the data rows (a blank line takes a place too), so parallel workers can write columns by it.</summary>
    public long Slot { get; }

    /// <summary>The physical line the row starts on (header = line 1), or for a typed source the 1-based row + 1.</summary>
    public long Line { get; }

    /// <summary>The number of fields in the row.</summary>
    public int Count { get; }

    /// <summary>Field <paramref name="i"/>, trimmed.</summary>
    public ReadOnlySpan<char> this[int i] => (_texts is null ? _sep[i].Span : _texts[i].AsSpan()).Trim();
}

/// <summary>Receives one row.</summary>
internal delegate void RowAction(Fields row);

/// <summary>A table: a header and rows of fields, each with its line.</summary>
internal interface IRowSource : IDisposable
{
    /// <summary>The file path or a name such as <c>DataFrame</c>, used in messages.</summary>
    string Name { get; }

    /// <summary>The column names.</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>
    /// Calls <paramref name="action"/> for every data row in order (blank lines skipped), reporting progress and
    /// honouring cancellation from <paramref name="options"/>. Returns the number of rows.
    /// </summary>
    long ForEach(RowAction action, ReadOptions options);
}

using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Reporting;

/// <summary>
/// Builds DataFrame columns from a sequence of rows, one typed column per field. Undefined numbers (a <c>null</c>,
/// NaN or an infinity) become missing values, so that a frame never carries a NaN that reads as a number.
/// </summary>
internal sealed class FrameBuilder<T>(IReadOnlyList<T> rows)
{
    private readonly List<DataFrameColumn> _columns = [];

    public FrameBuilder<T> Text(string name, Func<T, string?> value)
    {
        var c = new StringDataFrameColumn(name, rows.Count);
        for (int i = 0; i < rows.Count; i++) c[i] = value(rows[i]);
        _columns.Add(c);
        return this;
    }

    public FrameBuilder<T> Long(string name, Func<T, long?> value)
    {
        var c = new Int64DataFrameColumn(name, rows.Count);
        for (int i = 0; i < rows.Count; i++) c[i] = value(rows[i]);
        _columns.Add(c);
        return this;
    }

    public FrameBuilder<T> Number(string name, Func<T, double?> value)
    {
        var c = new DoubleDataFrameColumn(name, rows.Count);
        for (int i = 0; i < rows.Count; i++) c[i] = value(rows[i]) is double d && double.IsFinite(d) ? d : null;
        _columns.Add(c);
        return this;
    }

    public FrameBuilder<T> Flag(string name, Func<T, bool> value)
    {
        var c = new BooleanDataFrameColumn(name, rows.Count);
        for (int i = 0; i < rows.Count; i++) c[i] = value(rows[i]);
        _columns.Add(c);
        return this;
    }

    public DataFrame Build() => new(_columns);
}

internal static class FrameBuilder
{
    public static FrameBuilder<T> Of<T>(IEnumerable<T> rows) => new(rows as IReadOnlyList<T> ?? rows.ToArray());
}

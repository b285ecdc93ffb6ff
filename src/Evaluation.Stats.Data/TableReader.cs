using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Data;

/// <summary>A value that did not parse, found while mapping one row.</summary>
internal sealed class FieldException(string? column, string problem) : Exception(problem)
{
    public string? Column { get; } = column;
}

/// <summary>The fields of one row, read by the methodology's column names.</summary>
internal readonly struct Row(TableReader table, long line, string?[] fields)
{
    public long Line { get; } = line;

    public string? Optional(string name) => fields[table.Index(name)];

    public string Required(string name) =>
        Optional(name) ?? throw new FieldException(table.HeaderOf(name), "a value is required here but the field is blank");

    public DateOnly Date(string name) => ParseDate(name, Required(name));

    public DateOnly? OptionalDate(string name) => Optional(name) is { } s ? ParseDate(name, s) : null;

    public int? OptionalInt(string name) => Optional(name) is { } s ? ParseInt(name, s) : null;

    public long Long(string name)
    {
        var s = Required(name);
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FieldException(table.HeaderOf(name), $"'{s}' is not a whole number");
    }

    private int ParseInt(string name, string s) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FieldException(table.HeaderOf(name), $"'{s}' is not a whole number");

    private DateOnly ParseDate(string name, string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new FieldException(table.HeaderOf(name), $"'{s}' is not a date in yyyy-MM-dd form");

    public IReadOnlyDictionary<string, string?> Characteristics() => new CharacteristicValues(table.Extra, table.ExtraValues(fields));
}

/// <summary>Reads a row source into records: header checks, column mapping, the bad-row policy.</summary>
internal sealed class TableReader
{
    private readonly IRowSource _source;
    private readonly ReadOptions _options;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly int[] _extraColumns;
    private readonly Dictionary<string, string> _intern = new(StringComparer.Ordinal);

    public TableReader(IRowSource source, ReadOptions options, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        _source = source;
        _options = options;
        var header = source.Header;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in header)
        {
            if (h.Length == 0) throw new InputFormatException(source.Name, 1, null, "a header field is blank; every column needs a name");
            if (!seen.Add(h)) throw new InputFormatException(source.Name, 1, h, "the column name appears more than once in the header");
        }
        foreach (var (logical, mapped) in options.Columns)
            if (!seen.Contains(mapped))
                throw new InputFormatException(source.Name, 1, mapped, $"--columns maps '{logical}' to '{mapped}', which is not in the header ({string.Join(", ", header)})");
        var headerIndex = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        var known = new HashSet<int>();
        foreach (var name in required.Concat(optional ?? []))
        {
            var h = HeaderOf(name);
            if (headerIndex.TryGetValue(h, out int i)) { _index[name] = i; known.Add(i); }
            else if (required.Contains(name))
                throw new InputFormatException(source.Name, 1, h, $"the required column is missing; the header has {string.Join(", ", header)}");
        }
        _extraColumns = Enumerable.Range(0, header.Count).Where(i => !known.Contains(i)).ToArray();
        Extra = new ColumnSchema(_extraColumns.Select(i => header[i]).ToArray());
        foreach (var n in options.NumericColumns)
            if (!headerIndex.ContainsKey(HeaderOf(n)))
                throw new InputFormatException(source.Name, 1, HeaderOf(n), $"the numeric column is missing; the header has {string.Join(", ", header)}");
    }

    public ColumnSchema Extra { get; }

    public string HeaderOf(string name) => _options.Columns.TryGetValue(name, out var h) ? h : name;

    public bool Has(string name) => _index.ContainsKey(name);

    public int Index(string name) => _index.TryGetValue(name, out int i) ? i : throw new InvalidOperationException($"Column '{name}' was not declared.");

    public string?[] ExtraValues(string?[] fields)
    {
        var values = new string?[_extraColumns.Length];
        for (int k = 0; k < values.Length; k++)
        {
            if (fields[_extraColumns[k]] is { } f) values[k] = Intern(f);
        }
        return values;
    }

    public RecordSet<T> Read<T>(Func<Row, T> map, IProgress<long>? progress = null)
    {
        var records = new List<T>();
        var rejected = new List<RejectedRow>();
        int width = _source.Header.Count;
        var numeric = _options.NumericColumns.Select(n => (Name: HeaderOf(n), Index: _source.Header.ToList().IndexOf(HeaderOf(n)))).ToArray();
        long count = 0;
        foreach (var (line, fields) in _source.Rows())
        {
            try
            {
                if (fields.Length != width)
                    throw new FieldException(null, $"the row has {fields.Length} fields but the header has {width}");
                foreach (var (name, index) in numeric)
                    if (fields[index] is { } s && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                        throw new FieldException(name, $"'{s}' is not a number");
                records.Add(map(new Row(this, line, fields)));
            }
            catch (FieldException e)
            {
                if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, line, e.Column, e.Message);
                rejected.Add(new RejectedRow(line, e.Column, e.Message));
            }
            if (++count % 1_000_000 == 0) progress?.Report(count);
        }
        return new RecordSet<T>(records, rejected);
    }

    /// <summary>One shared instance per distinct text (up to 100,000 of them), so repeated codes cost one string.</summary>
    public string Intern(string s)
    {
        if (_intern.TryGetValue(s, out var v)) return v;
        if (_intern.Count < 100_000) _intern[s] = s;
        return s;
    }
}

/// <summary>The names of the columns kept as characteristics, shared by every row of a table.</summary>
internal sealed class ColumnSchema(string[] names)
{
    public string[] Names { get; } = names;
    public Dictionary<string, int> Index { get; } = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
}

/// <summary>A row's characteristics: one shared schema, one small array of values per row.</summary>
internal sealed class CharacteristicValues(ColumnSchema schema, string?[] values) : IReadOnlyDictionary<string, string?>
{
    public string? this[string key] => schema.Index.TryGetValue(key, out int i) ? values[i] : throw new KeyNotFoundException($"No column '{key}'.");
    public IEnumerable<string> Keys => schema.Names;
    public IEnumerable<string?> Values => values;
    public int Count => values.Length;
    public bool ContainsKey(string key) => schema.Index.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        if (schema.Index.TryGetValue(key, out int i)) { value = values[i]; return true; }
        value = null;
        return false;
    }
    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() =>
        schema.Names.Select((n, i) => new KeyValuePair<string, string?>(n, values[i])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

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

/// <summary>The fields of one row, read by the methodology's column names, parsed straight from the field's text.</summary>
internal readonly ref struct Row
{
    private readonly TableReader table;
    private readonly Fields fields;

    public Row(TableReader table, Fields fields)
    {
        this.table = table;
        this.fields = fields;
    }

    public long Line => fields.Line;

    /// <summary>Field <paramref name="index"/> of the row (trimmed; blank as empty).</summary>
    public ReadOnlySpan<char> At(int index) => fields[index];

    /// <summary>The field's text (blank as empty); a column that is not in the table reads as blank.</summary>
    public ReadOnlySpan<char> Span(string name) => table.TryIndex(name, out int i) ? fields[i] : default;

    /// <summary>The value as a shared string (one instance per distinct text), or <c>null</c> when blank.</summary>
    public string? Optional(string name) => Span(name) is { IsEmpty: false } s ? table.Intern(s) : null;

    /// <summary>The value as its own string (for identifiers that rarely repeat), or <c>null</c> when blank.</summary>
    public string? OptionalUnshared(string name) => Span(name) is { IsEmpty: false } s ? s.ToString() : null;

    public string Required(string name) => Optional(name) ?? throw Blank(name);

    public string RequiredUnshared(string name) => OptionalUnshared(name) ?? throw Blank(name);

    public DateOnly Date(string name) => Span(name) is { IsEmpty: false } s ? ParseDate(name, s) : throw Blank(name);

    public DateOnly? OptionalDate(string name) => Span(name) is { IsEmpty: false } s ? ParseDate(name, s) : null;

    public int? OptionalInt(string name) =>
        Span(name) is { IsEmpty: false } s
            ? int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw NotWhole(name, s)
            : null;

    /// <summary>A 64-bit count; a value past the 64-bit range is an error, never wrapped.</summary>
    public long Long(string name)
    {
        var s = Span(name);
        if (s.IsEmpty) throw Blank(name);
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw NotWhole(name, s);
    }

    private FieldException NotWhole(string name, ReadOnlySpan<char> s) =>
        new(table.HeaderOf(name), FieldParse.TryNumber(s, out var d) && Math.Abs(d) >= 9.2e18 && double.IsFinite(d)
            ? $"{Echo.Quote(s)} is beyond the range of a 64-bit whole number"
            : $"{Echo.Quote(s)} is not a whole number");

    private FieldException Blank(string name) => new(table.HeaderOf(name), "a value is required here but the field is blank");

    private DateOnly ParseDate(string name, ReadOnlySpan<char> s) =>
        FieldParse.TryDate(s, table.DateFormat, out var d) ? d : throw new FieldException(table.HeaderOf(name), $"{Echo.Quote(s)} is not a date in {table.DateFormat} form");

    public IReadOnlyDictionary<string, string?> Characteristics() => new CharacteristicValues(table.Extra, table.ExtraValues(fields));
}

/// <summary>Reads a row source into records: header checks, column mapping, the bad-row policy.</summary>
internal sealed class TableReader
{
    private readonly IRowSource _source;
    private readonly ReadOptions _options;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly int[] _extraColumns;
    private readonly int _width;
    private readonly (string Name, int Index)[] _numeric;
    private readonly Dictionary<string, string> _intern = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internBySpan;

    /// <param name="source">The rows.</param>
    /// <param name="options">Mapping, policy, formats.</param>
    /// <param name="required">Columns that must be in the header.</param>
    /// <param name="optional">Columns read when present (a missing one reads as blank); like required ones they are not characteristics.</param>
    public TableReader(IRowSource source, ReadOptions options, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        _source = source;
        _options = options;
        _internBySpan = _intern.GetAlternateLookup<ReadOnlySpan<char>>();
        var header = source.Header;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in header)
        {
            if (h.Length == 0) throw new InputFormatException(source.Name, 1, null, "a header field is blank; every column needs a name");
            if (!seen.Add(h)) throw new InputFormatException(source.Name, 1, h, "the column name appears more than once in the header");
        }
        foreach (var (logical, mapped) in options.Columns)
            if (!seen.Contains(mapped))
                throw new InputFormatException(source.Name, 1, mapped, $"--columns maps '{logical}' to '{mapped}', which is not in the header ({HeaderList()})");
        var headerIndex = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        var known = new HashSet<int>();
        foreach (var name in required.Concat(optional ?? []))
        {
            var h = HeaderOf(name);
            if (headerIndex.TryGetValue(h, out int i)) { _index[name] = i; known.Add(i); }
            else if (required.Contains(name))
                throw new InputFormatException(source.Name, 1, h, $"the required column is missing; the header has {HeaderList()}");
        }
        _extraColumns = Enumerable.Range(0, header.Count).Where(i => !known.Contains(i)).ToArray();
        Extra = new ColumnSchema(_extraColumns.Select(i => header[i]).ToArray());
        foreach (var n in options.NumericColumns)
            if (!headerIndex.ContainsKey(HeaderOf(n)))
                throw new InputFormatException(source.Name, 1, HeaderOf(n), $"the numeric column is missing; the header has {HeaderList()}");
        _width = header.Count;
        _numeric = options.NumericColumns.Select(n => (HeaderOf(n), headerIndex[HeaderOf(n)])).ToArray();
    }

    private string HeaderList() => string.Join(", ", _source.Header.Take(40).Select(h => Echo.Quote(h).Trim('\'')));

    public ColumnSchema Extra { get; }

    /// <summary>The header positions of the <see cref="Extra"/> columns.</summary>
    public IReadOnlyList<int> ExtraColumns => _extraColumns;

    public string DateFormat => _options.DateFormat;

    public string HeaderOf(string name) => _options.Columns.TryGetValue(name, out var h) ? h : name;

    public bool Has(string name) => _index.ContainsKey(name);

    public bool TryIndex(string name, out int index) => _index.TryGetValue(name, out index);

    public int Index(string name) => _index.TryGetValue(name, out int i) ? i : throw new InvalidOperationException($"Column '{name}' was not declared.");

    public string?[] ExtraValues(Fields fields)
    {
        var values = new string?[_extraColumns.Length];
        for (int k = 0; k < values.Length; k++)
        {
            var f = fields[_extraColumns[k]];
            if (!f.IsEmpty) values[k] = Intern(f);
        }
        return values;
    }

    /// <summary>Maps every row; a row that does not parse stops the read or is set aside, as the options say.</summary>
    public RecordSet<T> Read<T>(Func<Row, T> map)
    {
        var records = new List<T>();
        var rejected = new List<RejectedRow>();
        _source.ForEach(fields =>
        {
            try
            {
                Check(fields);
                records.Add(map(new Row(this, fields)));
            }
            catch (FieldException e)
            {
                if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, fields.Line, e.Column, e.Message);
                rejected.Add(new RejectedRow(fields.Line, e.Column, e.Message));
            }
        }, _options);
        return new RecordSet<T>(records, rejected);
    }

    /// <summary>
    /// The checks every row gets before it is mapped: as many fields as the header, and each of
    /// <see cref="ReadOptions.NumericColumns"/> blank or a finite number. Throws <see cref="FieldException"/>.
    /// Safe from several threads (readers that parse blocks of a file in parallel call it per row).
    /// </summary>
    public void Check(Fields fields)
    {
        if (fields.Count != _width)
            throw new FieldException(null, $"the row has {fields.Count} fields but the header has {_width}");
        foreach (var (name, index) in _numeric)
        {
            var s = fields[index];
            if (s.IsEmpty) continue;
            if (!FieldParse.TryNumber(s, out var v)) throw new FieldException(name, $"{Echo.Quote(s)} is not a number");
            if (!double.IsFinite(v)) throw new FieldException(name, NotFinite(s));
        }
    }

    /// <summary>The message for NaN, an infinity or a value beyond the range of a double.</summary>
    public static string NotFinite(ReadOnlySpan<char> s) =>
        $"{Echo.Quote(s)} is not a finite number (NaN, infinities and values beyond ±1.8e308 are not data)";

    /// <summary>One shared instance per distinct text (up to 100,000 of them), so repeated codes cost one string.</summary>
    public string Intern(ReadOnlySpan<char> s)
    {
        if (_internBySpan.TryGetValue(s, out var v)) return v;
        var str = s.ToString();
        if (_intern.Count < 100_000) _intern[str] = str;
        return str;
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

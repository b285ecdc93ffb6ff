using System.Collections.Frozen;
using System.Globalization;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// Journeys held as columns, the way large inputs are read (see <c>Readers.JourneySet</c>): the classification's
/// <see cref="JourneyTable"/> (dates as day numbers, clients and areas as codes), each row's source line, and the
/// characteristics as codes into each column's distinct values. No object per row, so a 5M-row file costs tens of
/// bytes a row. Immutable; <see cref="this[int]"/> gives any row back as a <see cref="Journey"/> record.
/// </summary>
public sealed class JourneySet
{
    /// <summary>The code of a blank characteristic.</summary>
    internal const int BlankCode = -1;

    private readonly string[] _clientIds;
    private readonly long[] _lines;
    private readonly string[] _names;
    private readonly Dictionary<string, int> _nameIndex;
    private readonly int[][] _codes;
    private readonly string[][] _levels;
    private readonly IReadOnlyList<Journey>? _records;

    internal JourneySet(JourneyTable table, string[] clientIds, long[] lines, string[] characteristicNames, int[][] characteristicCodes,
        string[][] characteristicLevels, IReadOnlyList<RejectedRow> rejected, IReadOnlyList<Journey>? records = null)
    {
        if (clientIds.Length != table.ClientCount || lines.Length != table.Count || characteristicCodes.Length != characteristicNames.Length
            || characteristicLevels.Length != characteristicNames.Length || characteristicCodes.Any(c => c.Length != table.Count))
            throw new ArgumentException("The columns of a journey set must agree in length.");
        Table = table;
        _clientIds = clientIds;
        _lines = lines;
        _names = characteristicNames;
        _nameIndex = characteristicNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        _codes = characteristicCodes;
        _levels = characteristicLevels;
        Rejected = rejected;
        _records = records;
    }

    /// <summary>The journeys as the classification's columns.</summary>
    public JourneyTable Table { get; }

    /// <summary>The number of journeys that parsed.</summary>
    public int Count => Table.Count;

    /// <summary>The rows set aside because they did not parse.</summary>
    public IReadOnlyList<RejectedRow> Rejected { get; }

    /// <summary>Every data row of the source: parsed plus rejected.</summary>
    public long InputRows => Count + Rejected.Count;

    /// <summary>The characteristic columns (the columns other than the journey fields), in file order.</summary>
    public IReadOnlyList<string> CharacteristicNames => _names;

    /// <summary>Journey <paramref name="index"/> as a record, with its characteristics and source line.</summary>
    public Journey this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            if (_records is not null) return _records[index];
            var t = Table;
            int end = t.EndDay(index), exit = t.ExitCode(index), age = t.AgeYears(index);
            return new Journey(ClientId(index), t.AreaNames[t.AreaCode(index)], DateOnly.FromDayNumber(t.StartDay(index)),
                end == JourneyTable.NoEnd ? null : DateOnly.FromDayNumber(end), exit == JourneyTable.Blank ? null : exit, age == JourneyTable.Blank ? null : age)
            {
                Characteristics = _names.Select((n, c) => (n, c)).ToFrozenDictionary(x => x.n, x => Characteristic(index, x.c), StringComparer.Ordinal),
                SourceLine = _lines[index],
            };
        }
    }

    /// <summary>Builds the columns from records (the path for callers that hold <see cref="Journey"/> records).</summary>
    public static JourneySet From(RecordSet<Journey> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var rows = journeys.Records;
        var table = JourneyTable.From(rows, out var clientIds);
        var names = rows.Count > 0 ? rows[0].Characteristics.Keys.ToArray() : [];
        var codes = names.Select(_ => new int[rows.Count]).ToArray();
        var levels = new string[names.Length][];
        for (int c = 0; c < names.Length; c++)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < rows.Count; i++)
            {
                var v = rows[i].Characteristics.TryGetValue(names[c], out var value) ? value : null;
                if (v is null) { codes[c][i] = BlankCode; continue; }
                if (!index.TryGetValue(v, out int code)) index[v] = code = index.Count;
                codes[c][i] = code;
            }
            levels[c] = index.Keys.ToArray();
        }
        return new JourneySet(table, clientIds, rows.Select(j => j.SourceLine).ToArray(), names, codes, levels, journeys.Rejected, rows);
    }

    /// <summary>The records, built once when the set did not come from records (for the reference path).</summary>
    internal IReadOnlyList<Journey> Records => _records ?? (_built ??= Enumerable.Range(0, Count).Select(i => this[i]).ToArray());

    private Journey[]? _built;

    internal bool HasCharacteristic(string name) => _nameIndex.ContainsKey(name);

    internal int CharacteristicIndex(string name) =>
        _nameIndex.TryGetValue(name, out int c) ? c : throw new KeyNotFoundException($"No column '{name}'.");

    /// <summary>Column <paramref name="column"/>'s codes (<see cref="BlankCode"/> for blank) and distinct values.</summary>
    internal (int[] Codes, string[] Levels) CharacteristicColumn(int column) => (_codes[column], _levels[column]);

    internal string? Characteristic(int row, int column)
    {
        int code = _codes[column][row];
        return code == BlankCode ? null : _levels[column][code];
    }

    /// <summary>A characteristic by name, or the journey's own <c>age</c> as text.</summary>
    internal string? Value(int row, string column) =>
        column == "age" && !_nameIndex.ContainsKey("age")
            ? Table.AgeYears(row) is var a && a != JourneyTable.Blank ? a.ToString(CultureInfo.InvariantCulture) : null
            : Characteristic(row, CharacteristicIndex(column));

    internal long Line(int row) => _lines[row];

    internal string ClientId(int row) => _clientIds[Table.ClientCode(row)];
}

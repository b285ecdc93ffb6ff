using Evaluation.Stats.Outcomes;
using nietras.SeparatedValues;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads journeys straight into columns (<see cref="JourneySet"/>): each field is parsed from Sep's buffer into a
/// day number or a code; a client id, area or characteristic costs a string only the first time a segment sees it.
/// The same header checks, column mapping, bad-row policy and messages as the record reader (<see cref="TableReader"/>).
/// </summary>
/// <remarks>
/// A delimited file (<see cref="DelimitedBlocks"/>) is cut into blocks of whole records that are parsed on every core,
/// each into its own <see cref="JourneySegment"/> with its own codes; other sources fill segments row by row. The
/// segments are then joined in file order: codes are renumbered in order of first appearance in the file, so the
/// result is the same as one sequential pass, wherever the blocks were cut. In the stop mode the first bad line of
/// the file is the error (a bad row stops its block, and the earliest stopped block wins, as does an unclosed quote).
/// </remarks>
internal sealed class JourneySetReader
{
    /// <summary>Rows per segment for a source read row by row (a DataFrame, a DbDataReader, Parquet).</summary>
    private const int RowSegment = 1 << 16;

    private readonly IRowSource _source;
    private readonly ReadOptions _options;
    private readonly TableReader _table;
    private readonly int _client, _area, _start, _end, _exit, _age, _referral, _first;
    private readonly int[] _extra;

    private JourneySetReader(IRowSource source, ReadOptions options)
    {
        _source = source;
        _options = options;
        _table = new TableReader(source, options, Readers.JourneyColumns, Readers.OptionalJourneyColumns);
        _client = _table.Index("client_id");
        _area = _table.Index("area");
        _start = _table.Index("journey_start");
        _end = _table.Index("journey_end");
        _exit = _table.Index("exit_reason");
        _age = _table.Index("age");
        _referral = _table.TryIndex("referral_date", out int r) ? r : -1;
        _first = _table.TryIndex("first_intervention_date", out int f) ? f : -1;
        _extra = [.. _table.ExtraColumns];
    }

    public static JourneySet Read(IRowSource source, ReadOptions options)
    {
        var reader = new JourneySetReader(source, options);
        List<JourneySegment> segments;
        if (source is DelimitedBlocks blocks)
        {
            InputFormatException? stop;
            (segments, stop) = blocks.Parse(reader.ParseBlock, s => s.Rows, _ => null, options, Environment.ProcessorCount);
            if (stop is not null) throw stop;
        }
        else segments = reader.ReadRows();
        return JourneySegment.Join(segments, reader._table.Extra.Names, reader._extra.Length);
    }

    /// <summary>Parses one block of a delimited file into a segment; runs on any thread.</summary>
    private JourneySegment ParseBlock(SepReader reader, long lineOffset, int maxRows)
    {
        var segment = new JourneySegment(maxRows, _extra.Length);
        foreach (var row in reader)
        {
            if (DelimitedSource.IsBlank(row)) continue;
            DelimitedSource.Check(row, _source.Name, lineOffset);
            Add(new Fields(row, lineOffset + DelimitedSource.LineOf(row), -1), segment);
        }
        return segment;
    }

    /// <summary>Any other source, row by row on this thread, into segments of <see cref="RowSegment"/> rows.</summary>
    private List<JourneySegment> ReadRows()
    {
        var segments = new List<JourneySegment> { new(RowSegment, _extra.Length) };
        _source.ForEach(fields =>
        {
            if (segments[^1].Rows == RowSegment) segments.Add(new JourneySegment(RowSegment, _extra.Length));
            Add(fields, segments[^1]);
        }, _options);
        return segments;
    }

    /// <summary>
    /// Parses one row into the next row of <paramref name="s"/>, or sets it aside (or, in the stop mode, stops) when a
    /// field does not parse. Every field is parsed before any column is written, so a row that fails leaves no trace.
    /// The common shapes are parsed here; anything else goes to <see cref="Row"/>'s parsers, so the values accepted
    /// and the messages are the record reader's.
    /// </summary>
    private void Add(Fields fields, JourneySegment s)
    {
        try
        {
            _table.Check(fields);
            var row = new Row(_table, fields);
            var clientText = fields[_client];
            if (clientText.IsEmpty) row.Required("client_id");
            var areaText = fields[_area];
            if (areaText.IsEmpty) row.Required("area");
            int start = Day(fields[_start], row, "journey_start", required: true);
            int end = Day(fields[_end], row, "journey_end", required: false);
            int exit = Whole(fields[_exit], row, "exit_reason");
            int age = Whole(fields[_age], row, "age");
            // The waiting-time dates are not held here, but a row whose date does not parse is still set aside, as by the record reader.
            if (_referral >= 0) Day(fields[_referral], row, "referral_date", required: false);
            if (_first >= 0) Day(fields[_first], row, "first_intervention_date", required: false);
            int r = s.Rows++;
            s.Client[r] = s.Clients.Of(clientText);
            s.Area[r] = s.Areas.Of(areaText);
            s.Start[r] = start; s.End[r] = end; s.Exit[r] = exit; s.Age[r] = age;
            s.Lines[r] = fields.Line;
            for (int k = 0; k < _extra.Length; k++)
            {
                var f = fields[_extra[k]];
                s.Characteristics[k][r] = f.IsEmpty ? JourneySet.BlankCode : s.Levels[k].Of(f);
            }
        }
        catch (FieldException e)
        {
            if (_options.OnBadRows == BadRowPolicy.Stop) throw new InputFormatException(_source.Name, fields.Line, e.Column, e.Message);
            s.Rejected.Add(new RejectedRow(fields.Line, e.Column, e.Message));
        }
    }

    /// <summary>A date as its day number (<see cref="JourneyTable.NoEnd"/> for an optional blank one).</summary>
    private int Day(ReadOnlySpan<char> text, Row row, string name, bool required)
    {
        if (text.IsEmpty && !required) return JourneyTable.NoEnd;
        if (!text.IsEmpty && FieldParse.TryDate(text, _options.DateFormat, out var d)) return d.DayNumber;
        return row.Date(name).DayNumber; // throws the record reader's message (blank, or not a date)
    }

    /// <summary>A whole number (<see cref="JourneyTable.Blank"/> when blank): up to nine digits here, anything else by the record reader's parser.</summary>
    private static int Whole(ReadOnlySpan<char> text, Row row, string name)
    {
        if (text.IsEmpty) return JourneyTable.Blank;
        int i = text[0] == '-' ? 1 : 0, v = 0;
        if (text.Length > i && text.Length - i <= 9)
        {
            for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++) v = v * 10 + (text[i] - '0');
            if (i == text.Length) return text[0] == '-' ? -v : v;
        }
        return row.OptionalInt(name)!.Value; // throws the record reader's message when it is not a whole number
    }
}

using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Data;

/// <summary>
/// Loads a <see cref="LogitTable"/> from any source, straight into columns: each field is parsed once from its
/// characters (or taken typed from Parquet) into its column. A delimited file is cut into blocks of whole records
/// that are parsed on every core, each into its own <see cref="LogitSegment"/>; the segments are then checked and
/// copied, in file order, into the table's columns.
/// </summary>
/// <remarks>
/// Column types follow methodology §9: a predictor is categorical when it is named as one, or when none of its
/// values is a number. A column holding numbers and text is an error naming the first text value's line (or, with
/// <see cref="BadRowPolicy.Exclude"/>, its text rows are set aside as unparseable): a type never changes silently.
/// Categorical text is kept as a code per row and one string per distinct value.
/// </remarks>
internal sealed partial class LogitColumns
{
    /// <summary>A row that did not parse.</summary>
    internal sealed record Problem(long Line, string? Column, string Message);

    /// <summary>Rows per segment for a source read row by row (a DbDataReader).</summary>
    private const int RowSegment = 1 << 16;

    private readonly IRowSource _source;
    private readonly ReadOptions _options;
    private readonly int _width, _y, _cluster;
    private readonly string _outcomeHeader;
    private readonly string[] _predictors;
    private readonly int[] _index;
    private readonly bool[] _named;
    private readonly Levels[] _levels;
    private readonly Levels? _clusterLevels;
    private readonly SegmentSlabs _slabs = new(); // the delimited blocks' number stores

    public LogitColumns(IRowSource source, string outcome, IReadOnlyCollection<string> categorical, string? clusterColumn, ReadOptions options)
    {
        _source = source;
        _options = options;
        var required = new List<string> { outcome };
        if (clusterColumn is not null) required.Add(clusterColumn);
        var reader = new TableReader(source, options, required);
        var header = source.Header;
        foreach (var c in categorical)
            if (!header.Contains(reader.HeaderOf(c)))
                throw new InputFormatException(source.Name, 1, c, $"--categorical names a column that is not in the header ({string.Join(", ", header)})");
        _width = header.Count;
        _y = reader.Index(outcome);
        _outcomeHeader = header[_y];
        _cluster = clusterColumn is null ? -1 : reader.Index(clusterColumn);
        _clusterLevels = clusterColumn is null ? null : new Levels();
        _predictors = reader.Extra.Names;
        var position = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        _index = _predictors.Select(p => position[p]).ToArray();
        _named = _predictors.Select(p => categorical.Contains(p) || categorical.Contains(reader.HeaderOf(p))).ToArray();
        _levels = _predictors.Select(_ => new Levels()).ToArray();
    }

    /// <summary>Reads every row and builds the table.</summary>
    public LogitTable Load()
    {
        switch (_source)
        {
            case ParquetRowSource parquet:
                return Build(LoadParquet(parquet), null);
            case DelimitedBlocks blocks:
                var (segments, stop) = blocks.Parse(ParseBlock, s => s.Rows, s => s.Stop, _options, Environment.ProcessorCount);
                return Build(segments, stop);
            case DataFrameRowSource frame:
                return Build(LoadFrame(frame.Frame), null);
            case DataReaderRowSource reader:
                return Build(LoadReader(reader.Reader), null);
            default:
                throw new InvalidOperationException($"No logit reader for {_source.GetType().Name}.");
        }
    }

    /// <summary>Parses one block of a delimited file into a segment; runs on any thread.</summary>
    private LogitSegment ParseBlock(nietras.SeparatedValues.SepReader reader, long lineOffset, int maxRows)
    {
        var segment = NewSegment(maxRows);
        try
        {
            foreach (var row in reader)
            {
                if (DelimitedSource.IsBlank(row)) continue;
                DelimitedSource.Check(row, _source.Name, lineOffset);
                Parse(new Fields(row, lineOffset + DelimitedSource.LineOf(row), -1), segment);
            }
        }
        catch (InputFormatException e)
        {
            segment.Stop = e; // the rows before it stay, so a bad row before an unclosed quote is still the first error
        }
        return segment;
    }

    private LogitSegment NewSegment(int capacity) => new(capacity, _predictors.Length, _named, _clusterLevels is not null, _slabs);

    /// <summary>Parses one row's fields, once each, from their characters, into the next row of <paramref name="s"/>.</summary>
    private void Parse(Fields row, LogitSegment s)
    {
        int r = s.Rows++;
        s.Lines[r] = row.Line;
        if (row.Count != _width) { s.Fail(r, new Problem(row.Line, null, $"the row has {row.Count} fields but the header has {_width}")); return; }
        var y = row[_y];
        double yValue;
        if (y.Length == 1 && (y[0] == '0' || y[0] == '1')) yValue = y[0] - '0';
        else if (y.IsEmpty) yValue = double.NaN;
        else { s.Fail(r, new Problem(row.Line, _outcomeHeader, $"the outcome is {Echo.Quote(y)}; it must be 0 or 1")); return; }
        s.Arrays[0]![s.Offsets[0] + r] = yValue;
        if (s.ClusterCodes is { } clusters) clusters[r] = row[_cluster] is { IsEmpty: false } c ? _clusterLevels!.Code(c) : -1;
        bool text = false;
        for (int k = 0; k < _predictors.Length; k++)
        {
            var f = row[_index[k]];
            if (_named[k]) { s.Codes[k]![r] = f.IsEmpty ? -1 : _levels[k].Code(f); continue; }
            double v = double.NaN;
            if (s.Codes[k] is { } codes) codes[r] = -1;
            if (f.IsEmpty) { } // blank: decided by the column's type at the end
            else if (FieldParse.TryNumber(f, out v))
            {
                if (!double.IsFinite(v)) { s.Fail(r, new Problem(row.Line, _predictors[k], TableReader.NotFinite(f))); return; }
            }
            else
            {
                s.TextCodes(k)[r] = _levels[k].Code(f);
                v = double.NaN;
                text = true;
            }
            s.Arrays[k + 1]![s.Offsets[k + 1] + r] = v;
        }
        // A good row's kinds of value count towards its columns' types (a bad row's do not).
        for (int k = 0; k < _predictors.Length; k++)
        {
            if (_named[k]) continue;
            if (!double.IsNaN(s.Arrays[k + 1]![s.Offsets[k + 1] + r])) s.HasNumber[k] = true;
            else if (text && s.Codes[k] is { } codes && codes[r] >= 0) s.HasText[k] = true;
        }
    }
}

using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Data;

/// <summary>A table read as text: a header and rows of fields, each with its 1-based line.</summary>
internal interface IRowSource
{
    string Name { get; }
    IReadOnlyList<string> Header { get; }
    /// <summary>Rows: the line where the row starts and its fields (blank fields as null). A ragged row has a different field count.</summary>
    IEnumerable<(long Line, string?[] Fields)> Rows();
}

/// <summary>RFC 4180 CSV through CsvHelper: quoting (commas and newlines inside quotes), a BOM, CRLF or LF.</summary>
internal sealed class CsvRowSource : IRowSource, IDisposable
{
    private readonly TextReader _reader;
    private readonly CsvParser _parser;

    public CsvRowSource(TextReader reader, string name)
    {
        Name = name;
        _reader = reader;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
        };
        _parser = new CsvParser(reader, config);
        try
        {
            if (!_parser.Read()) throw new InputFormatException(name, 0, null, "the file is empty: a header row is needed");
        }
        catch (CsvHelperException e) when (e is not null)
        {
            throw new InputFormatException(name, 1, null, $"the header does not parse as CSV ({e.GetType().Name})");
        }
        var header = _parser.Record!.Select(h => h.Trim()).ToArray();
        if (header.Length > 0) header[0] = header[0].TrimStart('\uFEFF');
        Header = header;
    }

    public static CsvRowSource Open(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, null, "the file does not exist");
        if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new InputFormatException(path, 0, null, "Parquet input is not supported yet; write the table as CSV (RFC 4180, UTF-8, header row)");
        return new CsvRowSource(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), path);
    }

    public string Name { get; }
    public IReadOnlyList<string> Header { get; }

    public IEnumerable<(long Line, string?[] Fields)> Rows()
    {
        while (true)
        {
            bool more;
            try { more = _parser.Read(); }
            catch (CsvHelperException)
            {
                throw new InputFormatException(Name, _parser.RawRow, null, "the row does not parse as CSV (an unclosed quote?)");
            }
            if (!more) yield break;
            var raw = _parser.RawRecord.AsSpan().TrimEnd("\r\n");
            long line = _parser.RawRow - raw.Count('\n');
            var record = _parser.Record!;
            var fields = new string?[record.Length];
            for (int i = 0; i < record.Length; i++)
            {
                var f = record[i].Trim();
                fields[i] = f.Length == 0 ? null : f;
            }
            yield return (line, fields);
        }
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }
}

/// <summary>A Microsoft.Data.Analysis <see cref="DataFrame"/> read as text: row r is "line" r + 1.</summary>
internal sealed class DataFrameRowSource(DataFrame frame, string name) : IRowSource
{
    public string Name { get; } = name;
    public IReadOnlyList<string> Header { get; } = frame.Columns.Select(c => c.Name).ToArray();

    public IEnumerable<(long Line, string?[] Fields)> Rows()
    {
        var columns = frame.Columns.ToArray();
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            var fields = new string?[columns.Length];
            for (int c = 0; c < columns.Length; c++) fields[c] = Text(columns[c][r]);
            yield return (r + 1, fields);
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

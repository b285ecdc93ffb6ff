namespace Evaluation.Stats.Data;

/// <summary>
/// Input that does not parse: an unparseable value, a ragged row, a missing or duplicated column, an empty file.
/// The message names the source, the line and the column, so the user can find and fix it.
/// </summary>
public sealed class InputFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path, or a name such as <c>DataFrame</c>.</param>
    /// <param name="line">The 1-based line (for a DataFrame, the 1-based row); 0 when the whole input is at fault.</param>
    /// <param name="column">The column's name, or <c>null</c> when no single column is at fault.</param>
    /// <param name="problem">What is wrong.</param>
    public InputFormatException(string source, long line, string? column, string problem)
        : base(Format(source, line, column, problem))
    {
        SourceName = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file path or source name.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line, or 0.</summary>
    public long Line { get; }

    /// <summary>The column, or <c>null</c>.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string source, long line, string? column, string problem) =>
        $"{source}{(line > 0 ? $", line {line}" : "")}{(column is null ? "" : $", column '{column}'")}: {problem}";
}

/// <summary>What to do with a row that does not parse.</summary>
public enum BadRowPolicy
{
    /// <summary>Stop with an <see cref="InputFormatException"/> naming the file, line and column (the default: a file that does not parse may have been read wrongly as a whole).</summary>
    Stop,
    /// <summary>Set the row aside into the exclusion ledger as <c>data error: unparseable row</c>, with its line number.</summary>
    Exclude,
}

/// <summary>How to read a tabular input.</summary>
public sealed record ReadOptions
{
    /// <summary>The defaults: stop on a bad row, no column mapping.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>What to do with a row that does not parse.</summary>
    public BadRowPolicy OnBadRows { get; init; } = BadRowPolicy.Stop;

    /// <summary>
    /// Maps the methodology's column names to the input's header names, for example
    /// <c>journey_start → StartDate</c>. Names not listed are looked up as they are.
    /// </summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    /// <summary>The field delimiter: <c>,</c> by default; <c>\t</c>, <c>;</c> and <c>|</c> are common others.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The .NET custom format of dates in text (default <c>yyyy-MM-dd</c>; <c>dd/MM/yyyy</c> for UK dates).</summary>
    public string DateFormat { get; init; } = "yyyy-MM-dd";

    /// <summary>The text encoding: UTF-8 (checked; other bytes are an error naming the line) or Latin-1.</summary>
    public InputEncoding Encoding { get; init; } = InputEncoding.Utf8;

    /// <summary>Receives the rows read so far and the time taken, about every 65,536 rows; <c>null</c> for none.</summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>Stops a long read between rows (an <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Characters per block of a delimited file parsed on all cores (smaller in tests, to put block edges anywhere).</summary>
    internal int BlockChars { get; init; } = DelimitedBlocks.DefaultBlockChars;

    /// <summary>Extra columns that must parse as numbers (for example the design's numeric covariates). A blank value is allowed here and becomes a data error later.</summary>
    public IReadOnlyList<string> NumericColumns { get; init; } = [];

    /// <summary>Parses <c>name=header,name=header</c>, as given to the CLI's <c>--columns</c>.</summary>
    /// <exception cref="ArgumentException">When an item is not <c>name=header</c>.</exception>
    public static IReadOnlyDictionary<string, string> ParseColumnMap(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return map;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ArgumentException($"--columns: '{item}' is not name=header.");
            if (!map.TryAdd(parts[0], parts[1]))
                throw new ArgumentException($"--columns: '{parts[0]}' is mapped twice.");
        }
        return map;
    }
}

/// <summary>The text encoding of a delimited input.</summary>
public enum InputEncoding
{
    /// <summary>UTF-8, checked: bytes that are not UTF-8 stop the read with the line they are on.</summary>
    Utf8,
    /// <summary>ISO-8859-1: every byte is a character, so nothing is refused.</summary>
    Latin1,
}

/// <summary>How far a read has got.</summary>
/// <param name="Rows">Data rows read so far.</param>
/// <param name="Elapsed">Time since the read started.</param>
/// <param name="Finished">True on the last report of a read (every row read).</param>
public readonly record struct ReadProgress(long Rows, TimeSpan Elapsed, bool Finished = false)
{
    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Evaluation.Stats.Data;

namespace Evaluation.Stats.Tool;

/// <summary>
/// The input options every command that reads data shares (docs/cli.md "Input options"): delimiter, date format,
/// encoding, progress, and the bad-row policy and column map. Kept here so each command adds them in one line.
/// </summary>
internal sealed class InputOptions
{
    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "The field delimiter (default ','); '\\t' or 'tab' for tab-separated." };
    public Option<string> DateFormat { get; } = new("--date-format") { Description = "The .NET custom format of dates (default yyyy-MM-dd; dd/MM/yyyy for UK dates).", DefaultValueFactory = _ => "yyyy-MM-dd" };
    public Option<string> Encoding { get; } = new("--encoding") { Description = "The text encoding: utf-8 (default, checked) or latin1.", DefaultValueFactory = _ => "utf-8" };
    public Option<string> Progress { get; } = new("--progress") { Description = "Draw rows read and rows per second on stderr for reads over about a second: auto (only on a terminal, the default), on or off.", DefaultValueFactory = _ => "auto" };

    public InputOptions()
    {
        Encoding.AcceptOnlyFromAmong("utf-8", "utf8", "latin1", "iso-8859-1");
        Progress.AcceptOnlyFromAmong("auto", "on", "off");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Delimiter);
        command.Add(DateFormat);
        command.Add(Encoding);
        command.Add(Progress);
    }

    /// <summary>Whether to show progress and status lines on <paramref name="stderr"/>.</summary>
    public bool ShowProgress(ParseResult p, TextWriter stderr) => p.GetValue(Progress) switch
    {
        "on" => true,
        "off" => false,
        _ => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected,
    };

    /// <summary>Applies the parsed options to <paramref name="read"/>.</summary>
    public ReadOptions Apply(ParseResult p, ReadOptions read, TextWriter stderr, string what) => read with
    {
        Delimiter = ParseDelimiter(p.GetValue(Delimiter)),
        DateFormat = CheckDateFormat(p.GetValue(DateFormat)!),
        Encoding = p.GetValue(Encoding) is "latin1" or "iso-8859-1" ? InputEncoding.Latin1 : InputEncoding.Utf8,
        Progress = ShowProgress(p, stderr) ? new ProgressLine(stderr, what) : null,
    };

    /// <summary>The bad-row policy named by <c>--on-bad-rows</c> (<c>stop</c> or <c>exclude</c>).</summary>
    internal static BadRowPolicy BadRows(string? value) => value == "exclude" ? BadRowPolicy.Exclude : BadRowPolicy.Stop;

    internal static char ParseDelimiter(string? text) => text switch
    {
        null or "" => ',',
        "\\t" or "tab" or "\t" => '\t',
        { Length: 1 } s when s[0] is not ('"' or '\r' or '\n') => s[0],
        _ => throw new UsageException($"--delimiter '{text}': give one character (or \\t for tab); not a quote or a line break"),
    };

    private static string CheckDateFormat(string format)
    {
        var probe = new DateOnly(2009, 10, 31);
        string text;
        try { text = probe.ToString(format, CultureInfo.InvariantCulture); }
        catch (FormatException) { throw new UsageException($"--date-format '{format}' is not a .NET date format (for example yyyy-MM-dd or dd/MM/yyyy)"); }
        if (!DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) || back != probe)
            throw new UsageException($"--date-format '{format}' does not name a whole date (it needs day, month and year)");
        return format;
    }
}

/// <summary>
/// Rows read and rows per second on one stderr line, redrawn in place, once a read has taken over a second
/// (short reads draw nothing). Called on the reading thread.
/// </summary>
internal sealed class ProgressLine(TextWriter stderr, string what) : IProgress<ReadProgress>
{
    private TimeSpan _last;
    private bool _drawn;

    public void Report(ReadProgress value)
    {
        if (value.Elapsed < TimeSpan.FromSeconds(1)) return; // short reads draw nothing
        if (!value.Finished && _drawn && value.Elapsed - _last < TimeSpan.FromMilliseconds(250)) return;
        _last = value.Elapsed;
        _drawn = true;
        stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\revalstats: reading {what}: {value.Rows:N0} rows, {value.RowsPerSecond:N0} rows/s   "));
        if (value.Finished) stderr.WriteLine();
        stderr.Flush();
    }
}

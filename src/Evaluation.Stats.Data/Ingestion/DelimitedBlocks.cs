using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using nietras.SeparatedValues;

namespace Evaluation.Stats.Data;

/// <summary>
/// Delimited text cut into blocks of whole records and parsed on every core, one Sep reader per block, so each
/// worker writes its own rows straight into its own columns (no per-row hand-off between threads).
/// </summary>
/// <remarks>
/// One thread reads (and decodes, and checks as UTF-8) the text in blocks of about <see cref="DefaultBlockChars"/>
/// characters and cuts each after the last line break that is outside quotes; the rest goes to the front of the next
/// block. Quotes are counted as Sep counts them (every <c>"</c> toggles), so a cut never falls inside a quoted field
/// and each block parses exactly as it would in one sequential pass. Line breaks before a block are counted (LF, CRLF
/// and a lone CR once each), so every row keeps its physical line. A record still open after
/// <see cref="DelimitedSource.MaxQuotedLines"/> lines is an unclosed quote, which stops the read in every mode.
/// </remarks>
internal sealed class DelimitedBlocks : IRowSource
{
    /// <summary>Characters per block: big enough that a block's columns are few large arrays, small enough to share work evenly.</summary>
    public const int DefaultBlockChars = 1 << 21;

    private readonly TextReader _text;
    private readonly SepReaderOptions _sep;
    private readonly int _blockChars;
    private char[] _carry;      // text read but not yet handed out, from the first row after the header
    private int _carryLength;
    private long _carryLine;    // the physical line _carry starts on
    private bool _eof;

    public DelimitedBlocks(TextReader text, string name, ReadOptions options, int blockChars = DefaultBlockChars)
    {
        Name = name;
        _text = text;
        _blockChars = Math.Max(blockChars, 16);
        _sep = DelimitedSource.SepOptions(options);
        _carry = new char[_blockChars];
        try
        {
            Header = ReadHeader();
        }
        catch
        {
            _text.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>Reads up to the end of the first non-blank record and parses it as the header.</summary>
    private string[] ReadHeader()
    {
        int start = 0;
        long line = 1;
        while (true)
        {
            int end = FirstBoundary(_carry.AsSpan(start, _carryLength - start), _eof);
            if (end < 0)
            {
                if (_eof) throw new InputFormatException(Name, 0, null, "the file is empty: a header row is needed");
                CheckOpenQuote(_carry.AsSpan(start, _carryLength - start), line);
                if (start > 0) { _carry.AsSpan(start, _carryLength - start).CopyTo(_carry); _carryLength -= start; start = 0; }
                Fill();
                continue;
            }
            var record = _carry.AsSpan(start, end);
            if (record.IsWhiteSpace()) { line += Breaks(record); start += end; continue; }
            string[] header;
            using (var reader = _sep.From(new StringReader(record.ToString())))
            {
                reader.MoveNext();
                var row = reader.Current;
                DelimitedSource.Check(row, Name, line - 1);
                header = new string[row.ColCount];
                for (int i = 0; i < header.Length; i++) header[i] = row[i].Span.Trim().ToString();
            }
            header[0] = header[0].TrimStart('\uFEFF');
            line += Breaks(record);
            start += end;
            _carry.AsSpan(start, _carryLength - start).CopyTo(_carry);
            _carryLength -= start;
            _carryLine = line;
            return header;
        }
    }

    /// <summary>Reads more text into <see cref="_carry"/>, growing it when full.</summary>
    private void Fill()
    {
        if (_carryLength == _carry.Length) Array.Resize(ref _carry, checked(_carry.Length * 2));
        int n = _text.ReadBlock(_carry, _carryLength, _carry.Length - _carryLength);
        if (n == 0) _eof = true;
        _carryLength += n;
    }

    /// <summary>
    /// Parses every block with <paramref name="parse"/> (given a reader over the block, the number of lines before
    /// it, and the most rows it can hold) on <paramref name="workers"/> threads, and returns the results in file
    /// order, with the earliest error that stops a read (an unclosed quote, bytes that are not UTF-8, corrupt gzip
    /// data), or <c>null</c>. Blocks after that error are not parsed. A block's result may carry such an error
    /// (<paramref name="stopOf"/>), so that what was parsed before it in the block is kept.
    /// </summary>
    public (List<T> Results, InputFormatException? Stop) Parse<T>(Func<SepReader, long, int, T> parse, Func<T, int> rows, Func<T, InputFormatException?> stopOf, ReadOptions options, int workers)
    {
        var queue = new BlockingCollection<Block>(Math.Max(2, 2 * workers));
        var results = new ConcurrentDictionary<int, T>();
        var spare = new ConcurrentBag<char[]>();
        var stops = new ConcurrentBag<(int Block, InputFormatException Error)>();
        ExceptionDispatchInfo? failure = null;
        int stopBlock = int.MaxValue;
        long parsed = 0;
        var clock = Stopwatch.StartNew();

        void Work()
        {
            foreach (var block in queue.GetConsumingEnumerable())
            {
                try
                {
                    if (block.Index > Volatile.Read(ref stopBlock) || failure is not null) continue;
                    options.CancellationToken.ThrowIfCancellationRequested();
                    using var reader = _sep.From(new CharsReader(block.Chars, block.Length));
                    var result = parse(reader, block.FirstLine - 1, block.MaxRows);
                    results[block.Index] = result;
                    Interlocked.Add(ref parsed, rows(result));
                    if (stopOf(result) is { } stop)
                    {
                        stops.Add((block.Index, stop));
                        InterlockedMin(ref stopBlock, block.Index);
                    }
                }
                catch (InputFormatException e)
                {
                    stops.Add((block.Index, e));
                    InterlockedMin(ref stopBlock, block.Index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    spare.Add(block.Chars);
                }
            }
        }

        var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray();
        int index = 0;
        try
        {
            long line = _carryLine;
            while (Volatile.Read(ref stopBlock) == int.MaxValue && failure is null)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                if (!_eof && _carryLength < _carry.Length) Fill();
                if (_carryLength == 0 && _eof) break;
                int cut = LastBoundary(_carry.AsSpan(0, _carryLength), _eof);
                if (cut <= 0)
                {
                    // no whole record in a full block: a very long (quoted) record, so read on into a bigger block
                    CheckOpenQuote(_carry.AsSpan(0, _carryLength), line);
                    Fill();
                    continue;
                }
                int breaks = Breaks(_carry.AsSpan(0, cut));
                var next = spare.TryTake(out var b) && b.Length >= _blockChars ? b : new char[_blockChars];
                int rest = _carryLength - cut;
                if (rest > next.Length) next = new char[Math.Max(rest * 2, _blockChars)];
                _carry.AsSpan(cut, rest).CopyTo(next);
                queue.Add(new Block(index++, _carry, cut, line, breaks + 1));
                line += breaks;
                _carry = next;
                _carryLength = rest;
                options.Progress?.Report(new ReadProgress(Interlocked.Read(ref parsed), clock.Elapsed));
            }
        }
        catch (InputFormatException e)
        {
            stops.Add((index, e));
        }
        catch (InvalidDataException)
        {
            stops.Add((index, new InputFormatException(Name, 0, null, "the gzip data is corrupt or cut short")));
        }
        finally
        {
            queue.CompleteAdding();
            Task.WaitAll(tasks);
        }
        failure?.Throw();
        options.CancellationToken.ThrowIfCancellationRequested();
        var ordered = results.OrderBy(r => r.Key).Select(r => r.Value).ToList();
        options.Progress?.Report(new ReadProgress(parsed, clock.Elapsed, Finished: true));
        var stop = stops.OrderBy(s => s.Block).ThenBy(s => s.Error.Line).Select(s => s.Error).FirstOrDefault();
        return (ordered, stop);
    }

    /// <summary>Every data row in order on this thread (blank lines skipped), for readers that map rows one by one.</summary>
    public long ForEach(RowAction action, ReadOptions options)
    {
        long count = 0;
        var (_, stop) = Parse((reader, lineOffset, _) =>
        {
            foreach (var row in reader)
            {
                if (DelimitedSource.IsBlank(row)) continue;
                DelimitedSource.Check(row, Name, lineOffset);
                action(new Fields(row, lineOffset + DelimitedSource.LineOf(row), count++));
            }
            return 0;
        }, _ => 0, _ => null, options, workers: 1);
        if (stop is not null) throw stop;
        return count;
    }

    private readonly record struct Block(int Index, char[] Chars, int Length, long FirstLine, int MaxRows);

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    /// <summary>Stops when the text from <paramref name="line"/> on is one record spanning too many lines (an unclosed quote).</summary>
    private void CheckOpenQuote(ReadOnlySpan<char> open, long line)
    {
        int lines = Breaks(open) + 1;
        if (lines > DelimitedSource.MaxQuotedLines)
            throw new InputFormatException(Name, line, null,
                $"a quoted field opened on this line is still open {lines:N0} lines later (more than {DelimitedSource.MaxQuotedLines:N0}): an unclosed quote? The file cannot be split into rows past it");
    }

    /// <summary>The end of the first record (just past its line break, outside quotes), or -1 when the text holds none.</summary>
    internal static int FirstBoundary(ReadOnlySpan<char> text, bool atEnd)
    {
        bool quoted = false;
        int at = 0;
        while (true)
        {
            int i = text[at..].IndexOfAny('"', '\n', '\r');
            if (i < 0) return atEnd && text.Length > 0 ? text.Length : -1;
            i += at;
            if (text[i] == '"') quoted = !quoted;
            else if (!quoted)
            {
                if (text[i] == '\n') return i + 1;
                if (i + 1 < text.Length) return text[i + 1] == '\n' ? i + 2 : i + 1;
                return atEnd ? i + 1 : -1;
            }
            at = i + 1;
            if (at >= text.Length) return atEnd && text.Length > 0 ? text.Length : -1;
        }
    }

    /// <summary>
    /// The end of the last whole record: just past the last line break outside quotes (all of the text at the end of
    /// the input), or 0 when the text holds no whole record. The text starts at a record boundary.
    /// </summary>
    internal static int LastBoundary(ReadOnlySpan<char> text, bool atEnd)
    {
        if (atEnd) return text.Length;
        bool quoted = (text.Count('"') & 1) == 1; // the state at the end of the text
        int end = text.Length;
        while (end > 0)
        {
            int i = text[..end].LastIndexOfAny('"', '\n', '\r');
            if (i < 0) return 0;
            if (text[i] == '"') quoted = !quoted;
            else if (!quoted)
            {
                // a CR just before the end may be the first half of a CRLF not yet read
                if (text[i] == '\n' || i + 1 < text.Length) return text[i] == '\r' && text[i + 1] == '\n' ? i + 2 : i + 1;
            }
            end = i;
        }
        return 0;
    }

    /// <summary>Line breaks in <paramref name="text"/>: LF, CRLF and a lone CR count once each.</summary>
    internal static int Breaks(ReadOnlySpan<char> text)
    {
        int lf = text.Count('\n');
        if (text.IndexOf('\r') < 0) return lf;
        int breaks = lf;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')) breaks++;
        return breaks;
    }

    public void Dispose() => _text.Dispose();

    /// <summary>A block's characters as a <see cref="TextReader"/> for Sep.</summary>
    private sealed class CharsReader(char[] chars, int length) : TextReader
    {
        private int _at;

        public override int Read(Span<char> buffer)
        {
            int n = Math.Min(buffer.Length, length - _at);
            chars.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Peek() => _at < length ? chars[_at] : -1;

        public override int Read() => _at < length ? chars[_at++] : -1;
    }
}

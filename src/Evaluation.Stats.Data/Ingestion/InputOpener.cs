using System.IO.Compression;
using System.Text;

namespace Evaluation.Stats.Data;

/// <summary>
/// Opens a text input the way methodology §9 asks: a path of <c>-</c> is standard input, <c>.gz</c> is
/// decompressed, the bytes are checked as UTF-8 (or decoded as Latin-1 on request), and a file that is plainly
/// something else (gzip, zip, a workbook, Parquet, binary) is refused with one line saying what it looks like.
/// </summary>
internal static class InputOpener
{
    /// <summary>The name standard input goes by in messages.</summary>
    public const string StandardInputName = "standard input";

    /// <summary>Opens <paramref name="path"/> for reading as text.</summary>
    public static TextReader OpenText(string path, ReadOptions options)
    {
        var stream = OpenBytes(path, out var name);
        try
        {
            return Decode(Unwrap(stream, path, name), name, options.Encoding);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The name a path goes by in messages.</summary>
    public static string NameOf(string path) => path == "-" ? StandardInputName : path;

    /// <summary>The raw bytes of a file or of standard input.</summary>
    public static Stream OpenBytes(string path, out string name)
    {
        name = NameOf(path);
        if (path == "-") return Console.OpenStandardInput();
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, null, "this is a directory, not a file");
        if (!File.Exists(path)) throw new InputFormatException(path, 0, null, "the file does not exist");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    /// <summary>Decompresses a <c>.gz</c> input and refuses one that is plainly not text.</summary>
    private static Stream Unwrap(Stream stream, string path, string name)
    {
        var sniffed = new SniffedStream(stream);
        var head = sniffed.Head;
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            if (!(head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B))
                throw new InputFormatException(name, 0, null, "the name ends in .gz but the file is not gzip-compressed; rename it without .gz if it is plain text");
            var inner = new SniffedStream(new GZipStream(sniffed, CompressionMode.Decompress));
            Refuse(inner.Head, name, compressed: true);
            return inner;
        }
        Refuse(head, name, compressed: false);
        return sniffed;
    }

    /// <summary>Throws when <paramref name="head"/> (the first bytes) is plainly not delimited text.</summary>
    internal static void Refuse(ReadOnlySpan<byte> head, string name, bool compressed)
    {
        string? what = Describe(head);
        if (what is null) return;
        throw new InputFormatException(name, 0, null, (compressed ? "the decompressed content " : "the file ") + what);
    }

    /// <summary>What the first bytes look like when they are not delimited text, or <c>null</c>.</summary>
    internal static string? Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B])) return "looks like gzip-compressed data: name it with a .gz ending, or decompress it first";
        if (head.StartsWith("PK\u0003\u0004"u8))
            return head.IndexOf("xl/"u8) >= 0 || head.IndexOf("[Content_Types].xml"u8) >= 0
                ? "looks like an Excel workbook (.xlsx): save the sheet as CSV (UTF-8) and give that"
                : "looks like a zip archive: unzip it and give the CSV inside";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0])) return "looks like an old Office document (.xls): save the sheet as CSV (UTF-8) and give that";
        if (head.StartsWith("PAR1"u8)) return "looks like a Parquet file: give it a .parquet ending";
        if (head.StartsWith("%PDF"u8)) return "looks like a PDF document, not a table";
        if (head.StartsWith("SQLite format 3"u8)) return "looks like a SQLite database, not a table";
        if (head.StartsWith("DUCK"u8) || (head.Length >= 12 && head[8..12].SequenceEqual("DUCK"u8))) return "looks like a DuckDB database: query it and pass the result (Readers accept a DbDataReader)";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return "is UTF-16 text: save it as UTF-8";
        if (head.IndexOf((byte)0) >= 0) return "looks like a binary file, not delimited text";
        return null;
    }

    private static TextReader Decode(Stream stream, string name, InputEncoding encoding) => encoding switch
    {
        InputEncoding.Latin1 => new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, 1 << 16),
        _ => new StreamReader(new Utf8CheckingStream(stream, name), new UTF8Encoding(true, false), detectEncodingFromByteOrderMarks: false, 1 << 16),
    };

    /// <summary>A stream whose first bytes are read ahead for sniffing and then handed out again.</summary>
    private sealed class SniffedStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly byte[] _head;
        private int _headLength, _headRead;

        public SniffedStream(Stream inner)
        {
            _inner = inner;
            _head = new byte[4096];
            try
            {
                int n;
                while (_headLength < _head.Length && (n = inner.Read(_head, _headLength, _head.Length - _headLength)) > 0) _headLength += n;
            }
            catch (InvalidDataException)
            {
                _headLength = 0; // a corrupt gzip stream: reported by the reader below
            }
        }

        public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

        public override int Read(Span<byte> buffer)
        {
            if (_headRead < _headLength)
            {
                int n = Math.Min(buffer.Length, _headLength - _headRead);
                _head.AsSpan(_headRead, n).CopyTo(buffer);
                _headRead += n;
                return n;
            }
            return _inner.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

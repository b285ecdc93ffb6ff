using System.Text;
using System.Text.Unicode;

namespace Evaluation.Stats.Data;

/// <summary>
/// Passes bytes through while checking that they are UTF-8 (methodology §9: text is UTF-8; other bytes are an error
/// naming the line). Lines are counted only to name the line of a bad byte; the checks are the runtime's vectorised
/// ones, so a well-formed file costs about one extra pass over memory that is already in cache.
/// </summary>
internal sealed class Utf8CheckingStream(Stream inner, string name) : ReadOnlyStream
{
    private readonly byte[] _carry = new byte[4]; // an incomplete sequence at the end of the last read
    private int _carryLength;
    private long _lines = 1;                      // the physical line the next byte is on

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        if (n == 0)
        {
            if (_carryLength > 0) Fail(_carry.AsSpan(0, _carryLength));
            return 0;
        }
        Check(buffer[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void Check(ReadOnlySpan<byte> data)
    {
        if (_carryLength > 0)
        {
            // Complete the sequence left over from the last read with the first bytes of this one.
            int need = SequenceLength(_carry[0]) - _carryLength;
            int take = Math.Min(need, data.Length);
            data[..take].CopyTo(_carry.AsSpan(_carryLength));
            _carryLength += take;
            data = data[take..];
            if (take < need) return;
            if (!Utf8.IsValid(_carry.AsSpan(0, _carryLength))) Fail(_carry.AsSpan(0, _carryLength));
            _carryLength = 0;
        }
        // Hold back a sequence cut by the end of this read.
        int cut = data.Length;
        for (int back = 1; back <= 3 && back <= data.Length; back++)
        {
            byte b = data[^back];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: look further back
            if (b >= 0xC0 && SequenceLength(b) > back) cut = data.Length - back;
            break;
        }
        var whole = data[..cut];
        if (!Utf8.IsValid(whole))
        {
            int at = FirstInvalid(whole);
            _lines += whole[..at].Count((byte)'\n');
            Fail(whole[at..]);
        }
        _lines += whole.Count((byte)'\n');
        data[cut..].CopyTo(_carry);
        _carryLength = data.Length - cut;
    }

    private static int SequenceLength(byte lead) => lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out int used) != System.Buffers.OperationStatus.Done) return i;
            i += used;
        }
        return i;
    }

    private void Fail(ReadOnlySpan<byte> at)
    {
        var shown = Convert.ToHexString(at[..Math.Min(4, at.Length)]);
        throw new InputFormatException(name, _lines, null,
            $"the bytes are not UTF-8 (0x{shown}); give --encoding latin1 if the file is Latin-1 or Windows-1252, or save it as UTF-8");
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

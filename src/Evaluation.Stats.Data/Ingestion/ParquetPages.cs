using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Parquet.Schema;

namespace Evaluation.Stats.Data;

/// <summary>
/// A fast path for the commonest Parquet column chunk of a numeric table: a flat DOUBLE, INT32 or INT64 column
/// (required, or optional with nulls), PLAIN-encoded data pages (v1 or v2), uncompressed or Snappy. The chunk is read
/// with one positioned read and each page is decompressed straight into the column's memory, so a value is copied
/// about once. Anything else (dictionary pages, other codecs or encodings, logical types) returns false and is read
/// by Parquet.Net, the reference; tests check that both give the same columns.
/// </summary>
internal static class ParquetPages
{
    private const int Plain = 0, Rle = 3;
    private const int DataPage = 0, DictionaryPage = 2, DataPageV2 = 3;

    /// <summary>Reads a column chunk into <paramref name="values"/> (NaN and <paramref name="nulls"/> set for a null), or returns false.</summary>
    public static bool TryRead(SafeFileHandle file, Parquet.Meta.ColumnChunk? chunk, DataField field, int rows, out double[] values, out bool[]? nulls)
    {
        values = [];
        nulls = null;
        var meta = chunk?.MetaData;
        if (meta is null || chunk!.FilePath is not null || meta.DictionaryPageOffset is > 0 || meta.NumValues != rows) return false;
        int width = (meta.Type, field.ClrType) switch
        {
            (Parquet.Meta.Type.DOUBLE, var t) when t == typeof(double) => 8,
            (Parquet.Meta.Type.INT64, var t) when t == typeof(long) => 8,
            (Parquet.Meta.Type.INT32, var t) when t == typeof(int) => 4,
            _ => 0,
        };
        bool snappy = meta.Codec == Parquet.Meta.CompressionCodec.SNAPPY;
        if (width == 0 || !(snappy || meta.Codec == Parquet.Meta.CompressionCodec.UNCOMPRESSED) || meta.TotalCompressedSize > int.MaxValue) return false;

        var bytes = ArrayPool<byte>.Shared.Rent((int)meta.TotalCompressedSize);
        byte[]? scratch = null;
        try
        {
            var chunkBytes = bytes.AsSpan(0, (int)meta.TotalCompressedSize);
            if (RandomAccess.Read(file, chunkBytes, meta.DataPageOffset) != chunkBytes.Length) return false;
            var result = GC.AllocateUninitializedArray<double>(rows);
            var target = MemoryMarshal.AsBytes(result.AsSpan());
            int row = 0, at = 0;
            while (row < rows)
            {
                var header = new PageHeader();
                if (!header.Read(chunkBytes, ref at) || at + header.CompressedSize > chunkBytes.Length) return false;
                var page = chunkBytes.Slice(at, header.CompressedSize);
                at += header.CompressedSize;
                if (header.Type == DictionaryPage || header.Encoding != Plain || header.Values <= 0 || row + header.Values > rows) return false;
                if (header.Type != DataPage && header.Type != DataPageV2) return false;

                // The page's levels and values, decompressed when needed.
                ReadOnlySpan<byte> levels = default, data;
                if (header.Type == DataPageV2)
                {
                    if (header.RepetitionBytes != 0 || header.DefinitionBytes > page.Length) return false;
                    levels = page[..header.DefinitionBytes];
                    var body = page[header.DefinitionBytes..];
                    if (snappy && header.V2Compressed)
                    {
                        int size = header.UncompressedSize - header.DefinitionBytes;
                        if (size < 0) return false;
                        scratch = Grow(scratch, size);
                        if (Snappier.Snappy.Decompress(body, scratch) != size) return false;
                        data = scratch.AsSpan(0, size);
                    }
                    else data = body;
                }
                else
                {
                    ReadOnlySpan<byte> plain = page;
                    if (snappy)
                    {
                        scratch = Grow(scratch, header.UncompressedSize);
                        if (Snappier.Snappy.Decompress(page, scratch) != header.UncompressedSize) return false;
                        plain = scratch.AsSpan(0, header.UncompressedSize);
                    }
                    if (field.IsNullable)
                    {
                        if (header.DefinitionEncoding != Rle || plain.Length < 4) return false;
                        int length = BinaryPrimitives.ReadInt32LittleEndian(plain);
                        if (length < 0 || 4 + length > plain.Length) return false;
                        levels = plain.Slice(4, length);
                        plain = plain[(4 + length)..];
                    }
                    data = plain;
                }

                int count = header.Values;
                if (!field.IsNullable)
                {
                    if (data.Length < count * width) return false;
                    if (width == 8 && meta.Type == Parquet.Meta.Type.DOUBLE) data[..(count * 8)].CopyTo(target[(row * 8)..]);
                    else Widen(data, meta.Type, result.AsSpan(row, count), null);
                }
                else
                {
                    var present = new bool[count];
                    int set = Levels(levels, present);
                    if (set < 0 || data.Length < set * width) return false;
                    nulls ??= new bool[rows];
                    Widen(data, meta.Type, result.AsSpan(row, count), present);
                    for (int i = 0; i < count; i++)
                        if (!present[i]) { nulls[row + i] = true; result[row + i] = double.NaN; }
                }
                row += count;
            }
            values = result;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static byte[] Grow(byte[]? scratch, int size)
    {
        if (scratch is not null && scratch.Length >= size) return scratch;
        if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        return ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>Copies the packed values of a page into its rows (skipping rows not <paramref name="present"/>), as doubles.</summary>
    private static void Widen(ReadOnlySpan<byte> data, Parquet.Meta.Type type, Span<double> to, bool[]? present)
    {
        int k = 0;
        for (int i = 0; i < to.Length; i++)
        {
            if (present is not null && !present[i]) continue;
            to[i] = type switch
            {
                Parquet.Meta.Type.DOUBLE => BinaryPrimitives.ReadDoubleLittleEndian(data[(k * 8)..]),
                Parquet.Meta.Type.INT64 => BinaryPrimitives.ReadInt64LittleEndian(data[(k * 8)..]),
                _ => BinaryPrimitives.ReadInt32LittleEndian(data[(k * 4)..]),
            };
            k++;
        }
    }

    /// <summary>Decodes bit-width-1 definition levels (RLE / bit-packed hybrid); returns how many are set, or -1 when malformed.</summary>
    private static int Levels(ReadOnlySpan<byte> levels, bool[] present)
    {
        int at = 0, i = 0, set = 0;
        while (i < present.Length)
        {
            if (!Varint(levels, ref at, out long header)) return -1;
            if ((header & 1) == 0)
            {
                int run = (int)(header >> 1);
                if (at >= levels.Length || run < 0) return -1;
                bool value = (levels[at++] & 1) == 1;
                for (int j = 0; j < run && i < present.Length; j++, i++) { present[i] = value; if (value) set++; }
            }
            else
            {
                int groups = (int)(header >> 1);
                if (groups < 0 || at + groups > levels.Length) return -1;
                for (int b = 0; b < groups * 8 && i < present.Length; b++, i++)
                {
                    bool value = ((levels[at + (b >> 3)] >> (b & 7)) & 1) == 1;
                    present[i] = value;
                    if (value) set++;
                }
                at += groups;
            }
        }
        return set;
    }

    private static bool Varint(ReadOnlySpan<byte> s, ref int at, out long value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && at < s.Length; shift += 7)
        {
            byte b = s[at++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    /// <summary>The fields of a Thrift (compact protocol) PageHeader that the fast path needs; the rest are skipped.</summary>
    private struct PageHeader
    {
        public int Type, UncompressedSize, CompressedSize, Values, Encoding, DefinitionEncoding, DefinitionBytes, RepetitionBytes;
        public bool V2Compressed;

        public bool Read(ReadOnlySpan<byte> s, ref int at)
        {
            V2Compressed = true;
            Encoding = -1;
            return Struct(s, ref at, 0);
        }

        /// <summary>Reads a struct's fields; <paramref name="kind"/> is 0 for the header, 5 (data page) or 8 (data page v2) inside it.</summary>
        private bool Struct(ReadOnlySpan<byte> s, ref int at, int kind)
        {
            short id = 0;
            while (true)
            {
                if (at >= s.Length) return false;
                byte head = s[at++];
                int type = head & 0x0F;
                if (type == 0) return true; // stop
                int delta = head >> 4;
                if (delta != 0) id += (short)delta;
                else { if (!Varint(s, ref at, out long z)) return false; id = (short)Zigzag(z); }
                if (type == 5) // i32
                {
                    if (!Varint(s, ref at, out long z)) return false;
                    int v = (int)Zigzag(z);
                    switch (kind, id)
                    {
                        case (0, 1): Type = v; break;
                        case (0, 2): UncompressedSize = v; break;
                        case (0, 3): CompressedSize = v; break;
                        case (5, 1) or (8, 1): Values = v; break;
                        case (5, 2) or (8, 4): Encoding = v; break;
                        case (5, 3): DefinitionEncoding = v; break;
                        case (8, 5): DefinitionBytes = v; break;
                        case (8, 6): RepetitionBytes = v; break;
                    }
                }
                else if (type == 12 && kind == 0 && id is 5 or 8) { if (!Struct(s, ref at, id)) return false; }
                else if (type is 1 or 2 && kind == 8 && id == 7) V2Compressed = type == 1;
                else if (!Skip(s, ref at, type)) return false;
            }
        }

        private static long Zigzag(long z) => (long)((ulong)z >> 1) ^ -(z & 1);

        private static bool Skip(ReadOnlySpan<byte> s, ref int at, int type)
        {
            switch (type)
            {
                case 1 or 2: return true;                                   // a boolean field: the value is in the type
                case 3: at++; return at <= s.Length;                        // byte
                case 4 or 5 or 6: return Varint(s, ref at, out _);          // i16, i32, i64
                case 7: at += 8; return at <= s.Length;                     // double
                case 8:                                                     // binary
                    if (!Varint(s, ref at, out long n) || n < 0 || at + n > s.Length) return false;
                    at += (int)n;
                    return true;
                case 9 or 10:                                               // list, set
                {
                    if (at >= s.Length) return false;
                    byte h = s[at++];
                    long size = h >> 4;
                    if (size == 15 && !Varint(s, ref at, out size)) return false;
                    int element = h & 0x0F;
                    for (long i = 0; i < size; i++)
                        if (element is 1 or 2 ? ++at > s.Length : !Skip(s, ref at, element)) return false;
                    return true;
                }
                case 11:                                                    // map
                {
                    if (!Varint(s, ref at, out long size)) return false;
                    if (size == 0) return true;
                    if (at >= s.Length) return false;
                    byte kv = s[at++];
                    for (long i = 0; i < size; i++)
                        if (!Skip(s, ref at, kv >> 4) || !Skip(s, ref at, kv & 0x0F)) return false;
                    return true;
                }
                case 12:                                                    // struct
                {
                    var ignored = new PageHeader();
                    return ignored.Struct(s, ref at, -1);
                }
                default: return false;
            }
        }
    }
}

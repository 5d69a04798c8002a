using System.Buffers;
using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Output;

/// <summary>
/// Writes chunks as RFC 4180 CSV: UTF-8 without a byte-order mark, CRLF line ends, a header row,
/// and quotes only around fields holding a comma, a quote, CR or LF (quotes doubled inside).
/// </summary>
public sealed class CsvChunkEncoder(IReadOnlyList<ColumnSpec> columns)
{
    private static readonly SearchValues<byte> NeedsQuoting = SearchValues.Create(",\"\r\n"u8);
    private static readonly byte[] True = "true"u8.ToArray();
    private static readonly byte[] False = "false"u8.ToArray();

    public byte[] EncodeHeader()
    {
        var buffer = new GrowableBuffer(256);
        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0) buffer.Write((byte)',');
            WriteText(ref buffer, Encoding.UTF8.GetBytes(columns[c].Name));
        }
        buffer.Write((byte)'\r');
        buffer.Write((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Encodes the chunk's rows into <paramref name="buffer"/> (reset first); returns the number of bytes.</summary>
    public int Encode(GeneratedChunk chunk, ref byte[] buffer)
    {
        var writer = new GrowableBuffer(buffer);
        var cols = chunk.Columns;
        var scales = new int[cols.Count];
        for (var c = 0; c < cols.Count; c++) scales[c] = cols[c].Spec.Scale;
        for (var row = 0; row < chunk.RowCount; row++)
        {
            for (var c = 0; c < cols.Count; c++)
            {
                if (c > 0) writer.Write((byte)',');
                var column = cols[c];
                switch (column.Spec.Type)
                {
                    case ColumnType.String:
                        WriteText(ref writer, column.Text.Get(row));
                        break;
                    case ColumnType.Int64:
                        writer.Advance(AsciiFormat.WriteInt64(writer.GetSpan(20), column.Longs[row]));
                        break;
                    case ColumnType.Decimal:
                        writer.Advance(AsciiFormat.WriteDecimal(writer.GetSpan(24), column.Longs[row], scales[c]));
                        break;
                    case ColumnType.Timestamp:
                        writer.Advance(AsciiFormat.WriteTimestamp(writer.GetSpan(20), column.Longs[row]));
                        break;
                    case ColumnType.Date:
                        writer.Advance(AsciiFormat.WriteDate(writer.GetSpan(10), column.Ints[row]));
                        break;
                    case ColumnType.Boolean:
                        writer.Write(column.Bools[row] ? True : False);
                        break;
                }
            }
            writer.Write((byte)'\r');
            writer.Write((byte)'\n');
        }
        buffer = writer.Buffer;
        return writer.Length;
    }

    private static void WriteText(ref GrowableBuffer writer, ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny(NeedsQuoting) < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write((byte)'"');
        foreach (var b in value)
        {
            if (b == (byte)'"') writer.Write((byte)'"');
            writer.Write(b);
        }
        writer.Write((byte)'"');
    }

    /// <summary>A byte buffer that doubles when full; kept as a struct so the hot loop stays free of allocations.</summary>
    private struct GrowableBuffer(byte[] buffer)
    {
        public byte[] Buffer = buffer;
        public int Length;

        public GrowableBuffer(int capacity) : this(new byte[capacity]) { }

        public Span<byte> GetSpan(int size)
        {
            if (Length + size > Buffer.Length) Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Length + size));
            return Buffer.AsSpan(Length);
        }

        public void Advance(int count) => Length += count;

        public void Write(byte b)
        {
            if (Length == Buffer.Length) Array.Resize(ref Buffer, Buffer.Length * 2);
            Buffer[Length++] = b;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(GetSpan(bytes.Length));
            Length += bytes.Length;
        }

        public readonly byte[] ToArray() => Buffer.AsSpan(0, Length).ToArray();
    }
}

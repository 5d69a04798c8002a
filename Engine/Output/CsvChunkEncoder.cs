using System.Buffers;
using System.Globalization;
using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Output;

/// <summary>
/// Writes chunks as RFC 4180 CSV: UTF-8 without a byte-order mark, CRLF line ends, a header row,
/// and quotes only around fields holding a comma, a quote, CR or LF (quotes doubled inside). A null
/// is an empty field; dates and timestamps are ISO 8601 unless their column names a format.
/// </summary>
public sealed class CsvChunkEncoder(IReadOnlyList<ColumnSpec> columns)
{
    private static readonly SearchValues<byte> NeedsQuoting = SearchValues.Create(",\"\r\n"u8);
    private static readonly byte[] True = "true"u8.ToArray();
    private static readonly byte[] False = "false"u8.ToArray();

    /// <summary>Room for one formatted date or timestamp: a format of n characters (at most 64) writes at most 3n + 4 bytes.</summary>
    private const int MaxFormattedDate = 256;

    public byte[] EncodeHeader()
    {
        var names = columns.Select(c => Encoding.UTF8.GetBytes(c.Name)).ToArray();
        var buffer = new byte[names.Sum(n => 2 * n.Length + 3) + 2];
        var pos = 0;
        for (var c = 0; c < names.Length; c++)
        {
            if (c > 0) buffer[pos++] = (byte)',';
            pos += WriteQuotedIfNeeded(buffer.AsSpan(pos), names[c]);
        }
        buffer[pos++] = (byte)'\r';
        buffer[pos++] = (byte)'\n';
        return buffer.AsSpan(0, pos).ToArray();
    }

    /// <summary>
    /// Encodes the chunk's rows into an array rented from <see cref="BufferPool"/>; the first
    /// <paramref name="length"/> bytes are the CSV. The caller returns the array to the pool.
    /// </summary>
    public byte[] Encode(GeneratedChunk chunk, out int length)
    {
        var cols = chunk.Columns;
        var n = chunk.RowCount;
        var count = cols.Count;
        var types = new ColumnType[count];
        var scales = new int[count];
        // A text column whose bytes hold no comma, quote, CR or LF needs no per-value check:
        // one vectorised scan per chunk replaces a scan per value.
        var clean = new bool[count];
        var formats = new string?[count];
        long bound = 2L * n + (long)count * n;
        for (var c = 0; c < count; c++)
        {
            types[c] = cols[c].Spec.Type;
            scales[c] = cols[c].Spec.Scale;
            formats[c] = cols[c].Spec.DateFormat;
            var text = cols[c].Text;
            bound += types[c] switch
            {
                ColumnType.String when (clean[c] = text.Data.AsSpan(0, text.ByteLength).IndexOfAny(NeedsQuoting) < 0) => text.ByteLength,
                ColumnType.String => 2L * text.ByteLength + 2L * n,
                ColumnType.Date or ColumnType.Timestamp when formats[c] is { } f => (2L * (3L * f.Length + 4) + 2) * n,
                ColumnType.Int64 or ColumnType.Timestamp => 20L * n,
                ColumnType.Decimal => 22L * n,
                ColumnType.Date => 10L * n,
                _ => 5L * n,
            };
        }
        var buffer = BufferPool.Rent<byte>(checked((int)bound));
        var span = buffer.AsSpan();
        Span<byte> formatted = stackalloc byte[MaxFormattedDate];
        var pos = 0;
        for (var row = 0; row < n; row++)
        {
            for (var c = 0; c < count; c++)
            {
                if (c > 0) span[pos++] = (byte)',';
                var column = cols[c];
                if (column.HasNulls && column.Nulls[row]) continue;
                if (formats[c] is { } format)
                {
                    var instant = types[c] == ColumnType.Date
                        ? DateTime.UnixEpoch.AddDays(column.Ints[row])
                        : DateTime.UnixEpoch.AddSeconds(column.Longs[row]);
                    if (!instant.TryFormat(formatted, out var written, format, CultureInfo.InvariantCulture))
                        throw new InvalidOperationException($"Column '{column.Spec.Name}': format '{format}' writes more than {MaxFormattedDate} bytes.");
                    pos += WriteQuotedIfNeeded(span[pos..], formatted[..written]);
                    continue;
                }
                switch (types[c])
                {
                    case ColumnType.String:
                        var value = column.Text.Get(row);
                        if (clean[c])
                        {
                            value.CopyTo(span[pos..]);
                            pos += value.Length;
                        }
                        else pos += WriteQuotedIfNeeded(span[pos..], value);
                        break;
                    case ColumnType.Int64:
                        pos += AsciiFormat.WriteInt64(span[pos..], column.Longs[row]);
                        break;
                    case ColumnType.Decimal:
                        pos += AsciiFormat.WriteDecimal(span[pos..], column.Longs[row], scales[c]);
                        break;
                    case ColumnType.Timestamp:
                        pos += AsciiFormat.WriteTimestamp(span[pos..], column.Longs[row]);
                        break;
                    case ColumnType.Date:
                        pos += AsciiFormat.WriteDate(span[pos..], column.Ints[row]);
                        break;
                    case ColumnType.Boolean:
                        var word = column.Bools[row] ? True : False;
                        word.CopyTo(span[pos..]);
                        pos += word.Length;
                        break;
                }
            }
            span[pos++] = (byte)'\r';
            span[pos++] = (byte)'\n';
        }
        length = pos;
        return buffer;
    }

    private static int WriteQuotedIfNeeded(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny(NeedsQuoting) < 0)
        {
            value.CopyTo(destination);
            return value.Length;
        }
        var pos = 0;
        destination[pos++] = (byte)'"';
        foreach (var b in value)
        {
            if (b == (byte)'"') destination[pos++] = (byte)'"';
            destination[pos++] = b;
        }
        destination[pos++] = (byte)'"';
        return pos;
    }
}

using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Output;

/// <summary>
/// Turns generated chunks into Arrow record batches with the same values the CSV holds: utf8,
/// int64, decimal128(18, scale), timestamp[s, UTC], date32 and bool; a field is nullable when its
/// column has a null_rate.
/// </summary>
public sealed class ArrowChunkBuilder
{
    private readonly IReadOnlyList<ColumnSpec> _columns;

    public ArrowChunkBuilder(IReadOnlyList<ColumnSpec> columns, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _columns = columns;
        var builder = new Schema.Builder();
        foreach (var c in columns) builder.Field(new Field(c.Name, ArrowTypeOf(c), nullable: c.Nullable));
        if (metadata is not null) foreach (var (k, v) in metadata) builder.Metadata(k, v);
        Schema = builder.Build();
    }

    public Schema Schema { get; }

    public static IArrowType ArrowTypeOf(ColumnSpec column) => column.Type switch
    {
        ColumnType.String => StringType.Default,
        ColumnType.Int64 => Int64Type.Default,
        ColumnType.Decimal => new Decimal128Type(18, column.Scale),
        ColumnType.Timestamp => new TimestampType(TimeUnit.Second, "UTC"),
        ColumnType.Date => Date32Type.Default,
        ColumnType.Boolean => BooleanType.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>
    /// Copies the chunk's values into a new batch, so the chunk's buffers can be reused at once.
    /// The batch's memory is rented from <see cref="BufferPool"/> and listed in <paramref name="rented"/>;
    /// give it back once the batch is written.
    /// </summary>
    public RecordBatch Build(GeneratedChunk chunk, List<byte[]> rented)
    {
        var n = chunk.RowCount;
        ArrowBuffer Copy(ReadOnlySpan<byte> bytes)
        {
            var array = BufferPool.Rent<byte>(Math.Max(1, bytes.Length));
            rented.Add(array);
            bytes.CopyTo(array);
            return new ArrowBuffer(array.AsMemory(0, bytes.Length));
        }
        ArrowBuffer Zeroed(int length)
        {
            var array = BufferPool.Rent<byte>(Math.Max(1, length));
            rented.Add(array);
            array.AsSpan(0, length).Clear();
            return new ArrowBuffer(array.AsMemory(0, length));
        }
        ArrowBuffer LongBuffer(long[] values) => Copy(MemoryMarshal.AsBytes(values.AsSpan(0, n)));
        ArrowBuffer DecimalBuffer(long[] values)
        {
            // decimal128 values are 16-byte little-endian two's complement integers: the long, sign-extended.
            var buffer = Zeroed(n * 16);
            var words = MemoryMarshal.Cast<byte, long>(MemoryMarshal.AsMemory(buffer.Memory).Span);
            for (var i = 0; i < n; i++)
            {
                words[2 * i] = values[i];
                words[2 * i + 1] = values[i] < 0 ? -1 : 0;
            }
            return buffer;
        }
        ArrowBuffer BitBuffer(bool[] values)
        {
            var buffer = Zeroed((n + 7) / 8);
            var bytes = MemoryMarshal.AsMemory(buffer.Memory).Span;
            for (var i = 0; i < n; i++)
                if (values[i]) bytes[i >> 3] |= (byte)(1 << (i & 7));
            return buffer;
        }
        var arrays = new IArrowArray[_columns.Count];
        for (var c = 0; c < _columns.Count; c++)
        {
            var column = chunk.Columns[c];
            var type = Schema.FieldsList[c].DataType;
            if (column.HasNulls && !column.Spec.Nullable)
                throw new InvalidOperationException($"Column '{column.Spec.Name}' has nulls but no null_rate, so its Arrow field is not nullable.");
            var validity = ArrowBuffer.Empty;
            var nulls = 0;
            if (column.HasNulls)
            {
                // The validity bitmap: a set bit is a value, a clear bit a null.
                var valid = Zeroed((n + 7) / 8);
                var bits = MemoryMarshal.AsMemory(valid.Memory).Span;
                for (var i = 0; i < n; i++)
                {
                    if (column.Nulls[i]) nulls++;
                    else bits[i >> 3] |= (byte)(1 << (i & 7));
                }
                validity = valid;
            }
            arrays[c] = column.Spec.Type switch
            {
                ColumnType.String => new StringArray(n,
                    Copy(MemoryMarshal.AsBytes(column.Text.Offsets.AsSpan(0, n + 1))),
                    Copy(column.Text.Data.AsSpan(0, column.Text.ByteLength)),
                    validity, nulls, 0),
                ColumnType.Int64 => new Int64Array(LongBuffer(column.Longs), validity, n, nulls, 0),
                ColumnType.Timestamp => new TimestampArray((TimestampType)type, LongBuffer(column.Longs), validity, n, nulls, 0),
                ColumnType.Date => new Date32Array(Copy(MemoryMarshal.AsBytes(column.Ints.AsSpan(0, n))), validity, n, nulls, 0),
                ColumnType.Decimal => new Decimal128Array(new ArrayData(type, n, nulls, 0, [validity, DecimalBuffer(column.Longs)])),
                ColumnType.Boolean => new BooleanArray(BitBuffer(column.Bools), validity, n, nulls, 0),
                _ => throw new InvalidOperationException(),
            };
        }
        return new RecordBatch(Schema, arrays, n);
    }
}

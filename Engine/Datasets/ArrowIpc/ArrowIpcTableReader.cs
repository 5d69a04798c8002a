using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace RadMah.Engine.Datasets.ArrowIpc;

/// <summary>
/// Reads Arrow IPC, file format ("ARROW1" … footer) or stream format, front to back: the file
/// format is the stream format between its magic and its footer, so both stream without seeking.
/// Columns become the analysis types (int64, double, bool, utf8, date32, timestamp[µs, UTC]):
/// narrower integers and floats widen, decimals become doubles, dictionaries are decoded. A failure
/// names the record batch; a column of a type with no such mapping is left out with a warning.
/// </summary>
public sealed class ArrowIpcTableReader : ITableReader
{
    private static readonly TimestampType Microseconds = new(TimeUnit.Microsecond, "UTC");

    private readonly Stream _stream;
    private readonly ArrowStreamReader _reader;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _details = [];

    private ArrowIpcTableReader(Stream stream, ArrowStreamReader reader, bool fileFormat)
    {
        _stream = stream;
        _reader = reader;
        _details["ipc_format"] = fileFormat ? "file" : "stream";
    }

    public DatasetFormat Format => DatasetFormat.Arrow;
    public IReadOnlyDictionary<string, string> Details => _details;
    public IReadOnlyList<string> Warnings => _warnings;

    public static async Task<ArrowIpcTableReader> OpenAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var head = await ReplayStream.ReadHeadAsync(stream, 8, cancellationToken).ConfigureAwait(false);
        var fileFormat = head.AsSpan().StartsWith("ARROW1"u8);
        if (fileFormat && head.Length < 8) throw DatasetException.InPart("file header", "the file ends inside the Arrow magic number.");
        // The file format's stream starts after its 8-byte magic (6 bytes and 2 of padding).
        Stream body = fileFormat ? stream : new ReplayStream(head, stream, leaveOpen: true);
        return new ArrowIpcTableReader(stream, new ArrowStreamReader(body, leaveOpen: true), fileFormat);
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long firstRow = 0;
        var index = 0;
        Schema? schema = null;
        List<int>? kept = null;
        while (true)
        {
            index++;
            RecordBatch? batch;
            try
            {
                batch = await _reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw DatasetException.InPart(index == 1 ? "schema or record batch 1" : $"record batch {index}", $"cannot be read ({ex.Message})", ex);
            }
            if (batch is null) break;
            using (batch)
            {
                if (schema is null)
                {
                    (schema, kept) = Plan(batch.Schema);
                    if (kept.Count == 0) throw DatasetException.InPart("schema", "no column of a readable type (numbers, booleans, text, dates, timestamps).");
                }
                var arrays = new List<IArrowArray>(kept!.Count);
                foreach (var c in kept)
                {
                    try
                    {
                        arrays.Add(Normalize(batch.Column(c)));
                    }
                    catch (Exception ex) when (ex is not DatasetException)
                    {
                        throw DatasetException.InPart($"record batch {index}, column \"{batch.Schema.GetFieldByIndex(c).Name}\"", $"cannot be read ({ex.Message})", ex);
                    }
                }
                yield return new TableBatch(new RecordBatch(schema, arrays, batch.Length), firstRow);
                firstRow += batch.Length;
            }
        }
        if (schema is null) throw DatasetException.InPart("schema", "the stream holds no schema or record batch.");
        _details["record_batches"] = (index - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _details["rows"] = firstRow.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _details["columns"] = kept!.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private (Schema, List<int>) Plan(Schema source)
    {
        var fields = new List<Field>();
        var kept = new List<int>();
        for (var i = 0; i < source.FieldsList.Count; i++)
        {
            var field = source.FieldsList[i];
            var type = TargetOf(field.DataType);
            if (type is null)
            {
                _warnings.Add($"column \"{field.Name}\" has Arrow type {field.DataType.Name}; it is not read.");
                continue;
            }
            fields.Add(new Field(field.Name, type, nullable: true));
            kept.Add(i);
        }
        return (new Schema(fields, source.Metadata), kept);
    }

    private static IArrowType? TargetOf(IArrowType type) => type switch
    {
        Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type => Int64Type.Default,
        HalfFloatType or FloatType or DoubleType or Decimal128Type or Decimal256Type => DoubleType.Default,
        BooleanType => BooleanType.Default,
        StringType or LargeStringType => StringType.Default,
        DictionaryType { ValueType: StringType } => StringType.Default,
        Date32Type or Date64Type => Date32Type.Default,
        TimestampType => Microseconds,
        _ => null,
    };

    /// <summary>The same values as one of the analysis types.</summary>
    private static IArrowArray Normalize(IArrowArray array)
    {
        switch (array)
        {
            case Int64Array or StringArray or BooleanArray or DoubleArray or Date32Array:
                return Retain(array);
            case TimestampArray ts when ts.Data.DataType is TimestampType { Unit: TimeUnit.Microsecond }:
                return Retain(array);
            case TimestampArray ts:
            {
                var builder = new TimestampArray.Builder(Microseconds).Reserve(ts.Length);
                for (var i = 0; i < ts.Length; i++)
                    if (ts.GetTimestamp(i) is { } t) builder.Append(t); else builder.AppendNull();
                return builder.Build();
            }
            case Date64Array d64:
            {
                var builder = new Date32Array.Builder().Reserve(d64.Length);
                for (var i = 0; i < d64.Length; i++)
                    if (d64.GetDateOnly(i) is { } d) builder.Append(d); else builder.AppendNull();
                return builder.Build();
            }
            case Int8Array a: return Longs(a.Length, i => a.GetValue(i));
            case Int16Array a: return Longs(a.Length, i => a.GetValue(i));
            case Int32Array a: return Longs(a.Length, i => a.GetValue(i));
            case UInt8Array a: return Longs(a.Length, i => a.GetValue(i));
            case UInt16Array a: return Longs(a.Length, i => a.GetValue(i));
            case UInt32Array a: return Longs(a.Length, i => a.GetValue(i));
            case UInt64Array a: return Longs(a.Length, i => a.GetValue(i) is { } v ? checked((long)v) : null);
            case HalfFloatArray a: return Doubles(a.Length, i => a.GetValue(i) is { } v ? (double)v : null);
            case FloatArray a: return Doubles(a.Length, i => a.GetValue(i));
            case Decimal128Array a: return Doubles(a.Length, i => a.IsNull(i) ? null : (double)a.GetSqlDecimal(i)!.Value.Value);
            case Decimal256Array a: return Doubles(a.Length, i => a.IsNull(i) ? null : double.Parse(a.GetString(i)!, System.Globalization.CultureInfo.InvariantCulture));
            case LargeStringArray a:
            {
                var builder = new StringArray.Builder();
                for (var i = 0; i < a.Length; i++) if (a.IsNull(i)) builder.AppendNull(); else builder.Append(a.GetString(i));
                return builder.Build();
            }
            case DictionaryArray { Dictionary: StringArray dictionary } a:
            {
                var builder = new StringArray.Builder();
                for (var i = 0; i < a.Length; i++)
                {
                    if (a.IsNull(i)) { builder.AppendNull(); continue; }
                    var key = a.Indices switch
                    {
                        Int8Array k => k.GetValue(i)!.Value,
                        Int16Array k => k.GetValue(i)!.Value,
                        Int32Array k => k.GetValue(i)!.Value,
                        Int64Array k => (int)k.GetValue(i)!.Value,
                        UInt8Array k => k.GetValue(i)!.Value,
                        UInt16Array k => k.GetValue(i)!.Value,
                        UInt32Array k => (int)k.GetValue(i)!.Value,
                        _ => throw new NotSupportedException($"dictionary indices of type {a.Indices.Data.DataType.Name}"),
                    };
                    builder.Append(dictionary.GetString(key));
                }
                return builder.Build();
            }
            default:
                throw new NotSupportedException($"Arrow type {array.Data.DataType.Name}");
        }
    }

    /// <summary>The source batch owns its buffers and is disposed once read; the batch handed on gets copies.</summary>
    private static IArrowArray Retain(IArrowArray array)
    {
        var data = array.Data;
        var buffers = data.Buffers.Select(b => b.IsEmpty ? ArrowBuffer.Empty : new ArrowBuffer(b.Span.ToArray())).ToArray();
        return ArrowArrayFactory.BuildArray(new ArrayData(data.DataType, data.Length, data.NullCount, data.Offset, buffers));
    }

    private static Int64Array Longs(int length, Func<int, long?> value)
    {
        var builder = new Int64Array.Builder().Reserve(length);
        for (var i = 0; i < length; i++) if (value(i) is { } v) builder.Append(v); else builder.AppendNull();
        return builder.Build();
    }

    private static DoubleArray Doubles(int length, Func<int, double?> value)
    {
        var builder = new DoubleArray.Builder().Reserve(length);
        for (var i = 0; i < length; i++) if (value(i) is { } v) builder.Append(v); else builder.AppendNull();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;

namespace RadMah.Engine.Datasets.Parquet;

/// <summary>
/// Reads a Parquet file (Parquet.Net) one row group at a time into Arrow batches of the analysis
/// types: integers as int64, floating point and decimals as double, booleans, timestamps
/// (microseconds, UTC), dates, and text. Nested, binary and time-of-day columns are left out with
/// a warning. A failure names the part of the file: the footer, or the row group and column.
/// </summary>
public sealed class ParquetTableReader : ITableReader
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly List<DataField> _fields = [];
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _details = [];

    private ParquetTableReader(Stream stream, ParquetReader reader)
    {
        _stream = stream;
        _reader = reader;
        foreach (var field in reader.Schema.Fields)
        {
            if (field is not DataField data || data.IsArray)
            {
                _warnings.Add($"column \"{field.Name}\" is nested ({field.SchemaType.ToString().ToLowerInvariant()}); it is not read.");
                continue;
            }
            var type = Nullable.GetUnderlyingType(data.ClrType) ?? data.ClrType;
            if (type == typeof(byte[]) || type == typeof(TimeSpan) || type == typeof(TimeOnly) || ArrowTypeOf(data) is null)
            {
                _warnings.Add($"column \"{field.Name}\" holds {type.Name} values; it is not read.");
                continue;
            }
            _fields.Add(data);
        }
        if (_fields.Count == 0) throw DatasetException.InPart("schema", "no column of a readable type (numbers, booleans, text, dates, timestamps).");
        _details["row_groups"] = reader.RowGroupCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _details["columns"] = _fields.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public DatasetFormat Format => DatasetFormat.Parquet;
    public IReadOnlyDictionary<string, string> Details => _details;
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Opens the file. Parquet's metadata is at its end, so the stream must be seekable.</summary>
    public static async Task<ParquetTableReader> OpenAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        if (!stream.CanSeek) throw new ArgumentException("Parquet needs a seekable stream (its metadata is at the end of the file).", nameof(stream));
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { TreatByteArrayAsString = true }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw DatasetException.InPart("file footer", $"not a readable Parquet file ({ex.Message})", ex);
        }
        return new ParquetTableReader(stream, reader);
    }

    private static IArrowType? ArrowTypeOf(DataField field)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte)
            || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)) return Int64Type.Default;
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal)) return DoubleType.Default;
        if (type == typeof(bool)) return BooleanType.Default;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>) || type == typeof(Guid)) return StringType.Default;
        if (type == typeof(DateOnly)) return Date32Type.Default;
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            return field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } ? Date32Type.Default : new TimestampType(TimeUnit.Microsecond, "UTC");
        return null;
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var schema = new Schema(_fields.Select(f => new Apache.Arrow.Field(f.Name, ArrowTypeOf(f)!, nullable: true)), null);
        long firstRow = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            var arrays = new List<IArrowArray>(_fields.Count);
            int rows;
            using (var group = OpenGroup(g))
            {
                rows = checked((int)group.RowCount);
                foreach (var field in _fields)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        arrays.Add(await ReadColumnAsync(group, field, rows, cancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not DatasetException)
                    {
                        throw DatasetException.InPart($"row group {g + 1}, column \"{field.Name}\"", $"cannot be read ({ex.Message})", ex);
                    }
                }
            }
            yield return new TableBatch(new RecordBatch(schema, arrays, rows), firstRow);
            firstRow += rows;
        }
        _details["rows"] = firstRow.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private ParquetRowGroupReader OpenGroup(int g)
    {
        try
        {
            return _reader.OpenRowGroupReader(g);
        }
        catch (Exception ex)
        {
            throw DatasetException.InPart($"row group {g + 1}", $"cannot be opened ({ex.Message})", ex);
        }
    }

    private static async Task<IArrowArray> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory()!, null, ct).ConfigureAwait(false);
            var builder = new StringArray.Builder();
            foreach (var v in values) if (v is null) builder.AppendNull(); else builder.Append(v);
            return builder.Build();
        }
        if (type == typeof(Guid))
        {
            var values = await ReadAsync<Guid>(group, field, rows, ct).ConfigureAwait(false);
            var builder = new StringArray.Builder();
            foreach (var v in values) if (v is { } g) builder.Append(g.ToString("D")); else builder.AppendNull();
            return builder.Build();
        }
        if (type == typeof(bool))
        {
            var builder = new BooleanArray.Builder();
            foreach (var v in await ReadAsync<bool>(group, field, rows, ct).ConfigureAwait(false)) if (v is { } b) builder.Append(b); else builder.AppendNull();
            return builder.Build();
        }
        if (type == typeof(double)) return Doubles(await ReadAsync<double>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(float)) return Doubles(await ReadAsync<float>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(decimal)) return Doubles(await ReadAsync<decimal>(group, field, rows, ct).ConfigureAwait(false), v => (double)v);
        if (type == typeof(long)) return Longs(await ReadAsync<long>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(int)) return Longs(await ReadAsync<int>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(short)) return Longs(await ReadAsync<short>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(sbyte)) return Longs(await ReadAsync<sbyte>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(byte)) return Longs(await ReadAsync<byte>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(ushort)) return Longs(await ReadAsync<ushort>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(uint)) return Longs(await ReadAsync<uint>(group, field, rows, ct).ConfigureAwait(false), v => v);
        if (type == typeof(ulong)) return Longs(await ReadAsync<ulong>(group, field, rows, ct).ConfigureAwait(false), v => checked((long)v));
        if (type == typeof(DateOnly)) return Dates(await ReadAsync<DateOnly>(group, field, rows, ct).ConfigureAwait(false), d => d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
        if (type == typeof(DateTimeOffset))
        {
            var values = await ReadAsync<DateTimeOffset>(group, field, rows, ct).ConfigureAwait(false);
            return Timestamps(values.Select(v => v?.UtcDateTime).ToArray());
        }
        if (type == typeof(DateTime))
        {
            var values = await ReadAsync<DateTime>(group, field, rows, ct).ConfigureAwait(false);
            if (field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Date })
                return Dates(values, d => DateOnly.FromDateTime(d).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
            // Parquet timestamps are UTC instants (or local with no zone, which stay as written).
            return Timestamps(values);
        }
        throw new NotSupportedException($"type {type.Name}");
    }

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct) where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }
        var dense = new T[rows];
        await group.ReadAsync<T>(field, dense.AsMemory(), null, ct).ConfigureAwait(false);
        for (var i = 0; i < rows; i++) values[i] = dense[i];
        return values;
    }

    private static DoubleArray Doubles<T>(T?[] values, Func<T, double> convert) where T : struct
    {
        var builder = new DoubleArray.Builder().Reserve(values.Length);
        foreach (var v in values) if (v is { } x) builder.Append(convert(x)); else builder.AppendNull();
        return builder.Build();
    }

    private static Int64Array Longs<T>(T?[] values, Func<T, long> convert) where T : struct
    {
        var builder = new Int64Array.Builder().Reserve(values.Length);
        foreach (var v in values) if (v is { } x) builder.Append(convert(x)); else builder.AppendNull();
        return builder.Build();
    }

    private static Date32Array Dates<T>(T?[] values, Func<T, int> days) where T : struct
    {
        var builder = new Date32Array.Builder().Reserve(values.Length);
        foreach (var v in values) if (v is { } x) builder.Append(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days(x))); else builder.AppendNull();
        return builder.Build();
    }

    private static TimestampArray Timestamps(DateTime?[] values)
    {
        var builder = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).Reserve(values.Length);
        foreach (var v in values)
            if (v is { } t) builder.Append(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)));
            else builder.AppendNull();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

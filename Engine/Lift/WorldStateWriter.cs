using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace RadMah.Engine.Lift;

/// <summary>
/// Writes worldstate.arrow: one Arrow IPC file whose record batches hold one series each, in
/// manifest order (entity, tag), at most <see cref="BatchRows"/> points per batch. Columns: entity,
/// tag, timestamp (µs, UTC), value (numbers and booleans), value_text (text values), quality. lift
/// and simulate both write through it, so their WorldStates are one format.
/// </summary>
public sealed class WorldStateWriter(Stream output, string inputContentHash)
{
    public const int BatchRows = 65_536;
    private static readonly TimestampType Time = new(TimeUnit.Microsecond, "UTC");

    private readonly Schema _schema = new Schema.Builder()
        .Field(f => f.Name("entity").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("tag").DataType(StringType.Default).Nullable(false))
        .Field(f => f.Name("timestamp").DataType(Time).Nullable(false))
        .Field(f => f.Name("value").DataType(DoubleType.Default).Nullable(true))
        .Field(f => f.Name("value_text").DataType(StringType.Default).Nullable(true))
        .Field(f => f.Name("quality").DataType(StringType.Default).Nullable(true))
        .Metadata("radmah.schema", LiftEngine.SeriesSchemaVersion)
        .Metadata("radmah.input_content_hash", inputContentHash)
        .Build();

    private ArrowFileWriter? _writer;
    private bool _any;

    /// <summary>
    /// One batch of a series: <paramref name="count"/> points from the arrays' start; a NaN number or
    /// a null text is a missing value; <paramref name="texts"/> is null for a series of numbers.
    /// </summary>
    public async Task WriteBatchAsync(string entity, string tag, long[] timesMicros, double[] numbers, string?[]? texts, string?[] qualities, int count,
        CancellationToken cancellationToken)
    {
        _writer ??= new ArrowFileWriter(output, _schema, leaveOpen: true);
        var entities = new StringArray.Builder();
        var tags = new StringArray.Builder();
        var time = new TimestampArray.Builder(Time);
        var value = new DoubleArray.Builder();
        var text = new StringArray.Builder();
        var quality = new StringArray.Builder();
        for (var i = 0; i < count; i++)
        {
            entities.Append(entity);
            tags.Append(tag);
            time.Append(DateTimeOffset.UnixEpoch.AddTicks(timesMicros[i] * 10));
            if (double.IsNaN(numbers[i])) value.AppendNull(); else value.Append(numbers[i]);
            if (texts?[i] is { } t) text.Append(t); else text.AppendNull();
            if (qualities[i] is { } q) quality.Append(q); else quality.AppendNull();
        }
        using var batch = new RecordBatch(_schema, [entities.Build(), tags.Build(), time.Build(), value.Build(), text.Build(), quality.Build()], count);
        await _writer.WriteRecordBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        _any = true;
    }

    /// <summary>Ends the file; with no series it still holds the schema in one empty batch.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        _writer ??= new ArrowFileWriter(output, _schema, leaveOpen: true);
        if (!_any)
        {
            using var empty = new RecordBatch(_schema, [new StringArray.Builder().Build(), new StringArray.Builder().Build(),
                new TimestampArray.Builder(Time).Build(), new DoubleArray.Builder().Build(), new StringArray.Builder().Build(), new StringArray.Builder().Build()], 0);
            await _writer.WriteRecordBatchAsync(empty, cancellationToken).ConfigureAwait(false);
        }
        await _writer.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        _writer.Dispose();
    }
}

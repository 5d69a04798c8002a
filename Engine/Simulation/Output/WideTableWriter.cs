using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation.Output;

/// <summary>The wide table's ground-truth columns.</summary>
public static class WideTableWriterNames
{
    public const string LabelColumn = "Normal/Attack";
    public const string EventColumn = "event_id";
}

/// <summary>
/// dataset.csv and dataset.arrow: one row per sample in SWaT's column layout (Timestamp, the 51 tags
/// in SWaT's order, Normal/Attack), then event_id, the ids of the events active at that sample.
/// CSV: RFC 4180, UTF-8, CRLF. Arrow: timestamp µs UTC, sensors float64, actuators int64.
/// </summary>
internal sealed class WideTableWriter : IDisposable
{
    private const string LabelColumn = WideTableWriterNames.LabelColumn;
    private const string EventColumn = WideTableWriterNames.EventColumn;

    private readonly Stream _csv;
    private readonly ArrowFileWriter _arrow;
    private readonly Schema _schema;
    private readonly DateTime _start;
    private readonly long _periodMs;
    private readonly bool _milliseconds;
    private readonly Func<int, (byte[] Label, byte[] Ids, string LabelText, string? IdsText)> _eventSet;
    private byte[] _buffer = new byte[1 << 20];
    private const int ArrowBatchRows = 65_536;
    private readonly TimestampArray.Builder _time = new(new TimestampType(TimeUnit.Microsecond, "UTC"));
    private readonly DoubleArray.Builder?[] _sensors = [.. SwatTags.All.Select(t => t.IsSensor ? new DoubleArray.Builder() : null)];
    private readonly Int64Array.Builder?[] _actuators = [.. SwatTags.All.Select(t => t.IsSensor ? null : new Int64Array.Builder())];
    private readonly StringArray.Builder _labels = new();
    private readonly StringArray.Builder _ids = new();
    private int _pending;

    public WideTableWriter(Stream csv, Stream arrow, DateTime start, long periodMs, IReadOnlyDictionary<string, string> metadata,
        Func<int, (byte[] Label, byte[] Ids, string LabelText, string? IdsText)> eventSet)
    {
        _csv = csv;
        _start = start;
        _periodMs = periodMs;
        _milliseconds = periodMs % 1000 != 0 || start.Millisecond != 0;
        _eventSet = eventSet;
        var builder = new Schema.Builder().Field(f => f.Name("Timestamp").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")).Nullable(false));
        foreach (var tag in SwatTags.All)
            builder.Field(f => f.Name(tag.Name).DataType(tag.IsSensor ? DoubleType.Default : Int64Type.Default).Nullable(false));
        builder.Field(f => f.Name(LabelColumn).DataType(StringType.Default).Nullable(false));
        builder.Field(f => f.Name(EventColumn).DataType(StringType.Default).Nullable(true));
        foreach (var (key, value) in metadata) builder.Metadata(key, value);
        _schema = builder.Build();
        _arrow = new ArrowFileWriter(arrow, _schema, leaveOpen: true);
        var header = "Timestamp," + string.Join(",", SwatTags.All.Select(t => t.Name)) + "," + LabelColumn + "," + EventColumn + "\r\n";
        _csv.Write(Encoding.UTF8.GetBytes(header));
    }

    public async Task WriteAsync(SampleBlock block, CancellationToken cancellationToken)
    {
        var pos = 0;
        for (var i = 0; i < block.Count; i++)
        {
            var (label, ids, _, _) = _eventSet(block.EventSet[i]);
            var room = 64 + SwatTags.Count * 24 + label.Length + ids.Length;
            if (_buffer.Length - pos < room)
            {
                await _csv.WriteAsync(_buffer.AsMemory(0, pos), cancellationToken).ConfigureAwait(false);
                pos = 0;
                if (_buffer.Length < room) _buffer = new byte[room];
            }
            var span = _buffer.AsSpan();
            var at = _start.AddTicks((block.FirstSample + i) * _periodMs * TimeSpan.TicksPerMillisecond);
            pos += SampleText.Instant(span[pos..], at, _milliseconds);
            var row = i * SwatTags.Count;
            for (var tag = 0; tag < SwatTags.Count; tag++)
            {
                span[pos++] = (byte)',';
                pos += SampleText.Value(span[pos..], block.Values[row + tag], SwatTags.All[tag].Decimals);
            }
            span[pos++] = (byte)',';
            label.CopyTo(span[pos..]);
            pos += label.Length;
            span[pos++] = (byte)',';
            ids.CopyTo(span[pos..]);
            pos += ids.Length;
            span[pos++] = (byte)'\r';
            span[pos++] = (byte)'\n';
        }
        await _csv.WriteAsync(_buffer.AsMemory(0, pos), cancellationToken).ConfigureAwait(false);
        await WriteArrowAsync(block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows go into Arrow batches of a fixed size, so the file's layout never depends on how the run was cut into blocks.</summary>
    private async Task WriteArrowAsync(SampleBlock block, CancellationToken cancellationToken)
    {
        var startMicros = (_start.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        for (var i = 0; i < block.Count; i++)
        {
            _time.Append(DateTimeOffset.UnixEpoch.AddTicks((startMicros + (block.FirstSample + i) * _periodMs * 1000) * 10));
            for (var tag = 0; tag < SwatTags.Count; tag++)
            {
                if (_sensors[tag] is { } sensor) sensor.Append(block.Number(i, tag));
                else _actuators[tag]!.Append(block.Value(i, tag));
            }
            var (_, _, label, id) = _eventSet(block.EventSet[i]);
            _labels.Append(label);
            if (id is null) _ids.AppendNull(); else _ids.Append(id);
            if (++_pending == ArrowBatchRows) await FlushArrowAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushArrowAsync(CancellationToken cancellationToken)
    {
        if (_pending == 0) return;
        var arrays = new IArrowArray[SwatTags.Count + 3];
        arrays[0] = _time.Build();
        for (var tag = 0; tag < SwatTags.Count; tag++) arrays[tag + 1] = _sensors[tag] is { } sensor ? sensor.Build() : _actuators[tag]!.Build();
        arrays[^2] = _labels.Build();
        arrays[^1] = _ids.Build();
        using (var batch = new RecordBatch(_schema, arrays, _pending))
            await _arrow.WriteRecordBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        _time.Clear();
        foreach (var b in _sensors) b?.Clear();
        foreach (var b in _actuators) b?.Clear();
        _labels.Clear();
        _ids.Clear();
        _pending = 0;
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await FlushArrowAsync(cancellationToken).ConfigureAwait(false);
        await _arrow.WriteEndAsync(cancellationToken).ConfigureAwait(false);
        await _csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _arrow.Dispose();
}

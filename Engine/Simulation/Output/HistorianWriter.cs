using System.Security.Cryptography;
using System.Text;
using RadMah.Engine.Lift;
using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation.Output;

/// <summary>
/// historian.csv, as a plant historian exports it: long format, timestamp,tag,value,quality, one line
/// per tag per sample in SWaT's tag order. It also keeps each tag's values in a spill file, so that
/// worldstate.arrow (one series per tag, lift's format) is written at the end without holding the
/// run in memory, and the manifest says what lift would say of historian.csv.
/// </summary>
internal sealed class HistorianWriter : IDisposable
{
    public static readonly byte[] Header = "timestamp,tag,value,quality\r\n"u8.ToArray();
    private static readonly byte[] Good = "good"u8.ToArray(), Bad = "bad"u8.ToArray();

    private readonly Stream _csv;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly DateTime _start;
    private readonly long _periodMs;
    private readonly bool _milliseconds;
    /// <summary>Per tag, the spill file the WorldState is assembled from; empty when no WorldState is written.</summary>
    private readonly FileStream[] _spill;
    private readonly long[] _badCounts = new long[SwatTags.Count];
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly byte[] _spillBuffer;
    private long _samples;

    /// <param name="spillDirectory">Where per-tag spill files go for the WorldState; null when none is written.</param>
    public HistorianWriter(Stream csv, DateTime start, long periodMs, string? spillDirectory, int blockCapacity)
    {
        _csv = csv;
        _start = start;
        _periodMs = periodMs;
        _milliseconds = periodMs % 1000 != 0 || start.Millisecond != 0;
        if (spillDirectory is not null) Directory.CreateDirectory(spillDirectory);
        _spill = spillDirectory is null ? [] : [.. SwatTags.All.Select(t => new FileStream(Path.Combine(spillDirectory, $"{Guid.NewGuid():N}.{t.Name}.spill"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose))];
        _spillBuffer = new byte[blockCapacity * 9];
        Write(Header);
    }

    public void Write(SampleBlock block)
    {
        var pos = 0;
        Span<byte> instant = stackalloc byte[40];
        for (var i = 0; i < block.Count; i++)
        {
            if (_buffer.Length - pos < SwatTags.Count * 64 + 64)
            {
                Write(_buffer.AsSpan(0, pos));
                pos = 0;
            }
            var at = _start.AddTicks((block.FirstSample + i) * _periodMs * TimeSpan.TicksPerMillisecond);
            var instantLength = SampleText.Instant(instant, at, _milliseconds);
            var row = i * SwatTags.Count;
            var bad = block.BadQuality[i];
            for (var tag = 0; tag < SwatTags.Count; tag++)
            {
                instant[..instantLength].CopyTo(_buffer.AsSpan(pos));
                pos += instantLength;
                _buffer[pos++] = (byte)',';
                var name = SampleText.TagName(tag);
                name.CopyTo(_buffer, pos);
                pos += name.Length;
                _buffer[pos++] = (byte)',';
                pos += SampleText.Value(_buffer.AsSpan(pos), block.Values[row + tag], SwatTags.All[tag].Decimals);
                _buffer[pos++] = (byte)',';
                var quality = (bad >> tag & 1) != 0 ? Bad : Good;
                quality.CopyTo(_buffer, pos);
                pos += quality.Length;
                _buffer[pos++] = (byte)'\r';
                _buffer[pos++] = (byte)'\n';
            }
        }
        Write(_buffer.AsSpan(0, pos));
        Spill(block);
        _samples += block.Count;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        _csv.Write(bytes);
    }

    /// <summary>Per tag: the value counts (8 bytes each) then one quality byte per sample.</summary>
    private void Spill(SampleBlock block)
    {
        if (_spill.Length == 0) return;
        var n = block.Count;
        for (var tag = 0; tag < SwatTags.Count; tag++)
        {
            var span = _spillBuffer.AsSpan(0, n * 9);
            for (var i = 0; i < n; i++)
            {
                BitConverter.TryWriteBytes(span.Slice(i * 9, 8), block.Values[i * SwatTags.Count + tag]);
                var bad = (block.BadQuality[i] >> tag & 1) != 0;
                span[i * 9 + 8] = bad ? (byte)1 : (byte)0;
                if (bad) _badCounts[tag]++;
            }
            _spill[tag].Write(span);
        }
    }

    /// <summary>The historian file's digest, as an upload of it would record it.</summary>
    public string ContentHash() => "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>worldstate.arrow and its manifest, as lift would make them from historian.csv.</summary>
    public async Task<WorldStateManifest> WriteWorldStateAsync(Stream arrow, string historianHash, CancellationToken cancellationToken)
    {
        if (_spill.Length == 0) throw new InvalidOperationException("this historian was written without spill files; it has no WorldState to make.");
        const string entity = "default";
        var writer = new WorldStateWriter(arrow, historianHash);
        var times = new long[WorldStateWriter.BatchRows];
        var numbers = new double[WorldStateWriter.BatchRows];
        var qualities = new string?[WorldStateWriter.BatchRows];
        var read = new byte[WorldStateWriter.BatchRows * 9];
        var startMicros = (_start.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var order = Enumerable.Range(0, SwatTags.Count).OrderBy(t => SwatTags.All[t].Name, StringComparer.Ordinal).ToList();
        var series = new List<WorldSeries>();
        foreach (var tag in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = _spill[tag];
            file.Position = 0;
            for (long from = 0; from < _samples; from += WorldStateWriter.BatchRows)
            {
                var count = (int)Math.Min(WorldStateWriter.BatchRows, _samples - from);
                await file.ReadExactlyAsync(read.AsMemory(0, count * 9), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < count; i++)
                {
                    times[i] = startMicros + (from + i) * _periodMs * 1000;
                    numbers[i] = BitConverter.ToInt64(read, i * 9) / PlantSimulator.Scale[tag];
                    qualities[i] = read[i * 9 + 8] != 0 ? "bad" : "good";
                }
                await writer.WriteBatchAsync(entity, SwatTags.All[tag].Name, times, numbers, null, qualities, count, cancellationToken).ConfigureAwait(false);
            }
            series.Add(Describe(tag, startMicros));
        }
        await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
        return new WorldStateManifest
        {
            InputContentHash = historianHash,
            Shape = "long",
            Columns = new Dictionary<string, string> { ["timestamp"] = "timestamp", ["tag"] = "tag", ["value"] = "value", ["quality"] = "quality" },
            Timezone = "UTC",
            Points = _samples * SwatTags.Count,
            Entities = [new WorldEntity { Id = entity, Attributes = [], Series = series }],
            Warnings = [],
        };
    }

    private WorldSeries Describe(int tag, long startMicros)
    {
        var (name, unit) = UnitParser.Parse(SwatTags.All[tag].Name);
        var quality = new Dictionary<string, long>();
        var good = _samples - _badCounts[tag];
        foreach (var (key, count) in new[] { ("good", good), ("bad", _badCounts[tag]) }.Where(q => q.Item2 > 0).OrderByDescending(q => q.Item2).ThenBy(q => q.Item1, StringComparer.Ordinal))
            quality[key] = count;
        return new WorldSeries
        {
            Tag = SwatTags.All[tag].Name,
            Name = name,
            Unit = unit,
            Type = "number",
            Points = _samples,
            First = Iso(startMicros),
            Last = Iso(startMicros + (_samples - 1) * _periodMs * 1000),
            SamplingSeconds = _samples > 1 ? _periodMs / 1000.0 : null,
            Gaps = 0,
            LongestGaps = [],
            OutOfOrder = 0,
            DuplicateTimestamps = 0,
            Quality = quality,
        };
    }

    private static string Iso(long micros) => Contracts.UtcTimestamp.Format(DateTime.UnixEpoch.AddTicks(micros * 10));

    public void Dispose()
    {
        foreach (var file in _spill) file.Dispose();
        _hash.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace RadMah.Grains.Storage;

/// <summary>
/// Grain state kept in this process's memory: the embedded single-node default. Each write stores
/// the state serialized (so later mutations of the live state are not seen until written) with a
/// new ETag, and a write whose ETag is stale is refused like any durable provider would. Orleans'
/// own memory provider routes every write through a storage grain and costs about 1–2 ms per write
/// here; this one costs microseconds. State is gone when the process ends, as the embedded default says.
/// Held as bytes rather than as object graphs: one array per grain, which the garbage collector
/// never has to trace, instead of a copy of every record, list and string in the state (with
/// tens of thousands of jobs, tracing those copies made every collection pause longer).
/// </summary>
public sealed class ProcessMemoryGrainStorage(string name, Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private long _version;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var next = new Entry(serializer.SerializeToArray(grainState.State), Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture));
        while (true)
        {
            if (_entries.TryGetValue(key, out var current))
            {
                if (current.ETag != grainState.ETag) throw Conflict(stateName, grainId, grainState.ETag, current.ETag);
                if (_entries.TryUpdate(key, next, current)) break;
            }
            else
            {
                if (grainState.ETag is not null) throw Conflict(stateName, grainId, grainState.ETag, null);
                if (_entries.TryAdd(key, next)) break;
            }
        }
        grainState.ETag = next.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag) throw Conflict(stateName, grainId, grainState.ETag, current.ETag);
            _entries.TryRemove(KeyValuePair.Create(key, current));
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? expected, string? stored) =>
        new($"{name}: state '{stateName}' of {grainId} was written by someone else (ETag {expected ?? "none"} vs stored {stored ?? "none"}).", stored, expected);

    private sealed record Entry(byte[] State, string ETag);
}

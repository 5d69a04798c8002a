using RadMah.Grains.Records;

namespace RadMah.Grains.Queues;

/// <summary>
/// A tier's line in memory: jobs waiting in order and jobs holding a slot, with what changed since
/// the last write, so that a write stores only those rows. Adding, removing and finding a job cost
/// the same however long the line is.
/// </summary>
public sealed class TierLine
{
    private readonly SortedDictionary<long, string> _waiting = [];
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runningOn = new(StringComparer.Ordinal);
    private Dictionary<string, QueueLineChange> _changes = new(StringComparer.Ordinal);
    private long _front;
    private long _back;

    public TierLine(IEnumerable<QueueLineRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Silo is { } silo) _runningOn[row.JobId] = silo;
            else
            {
                _waiting[row.Position] = row.JobId;
                _positions[row.JobId] = row.Position;
            }
            _front = Math.Min(_front, row.Position);
            _back = Math.Max(_back, row.Position);
        }
    }

    public int WaitingCount => _waiting.Count;

    public IReadOnlyDictionary<string, string> RunningOn => _runningOn;

    /// <summary>Waiting jobs, oldest first.</summary>
    public IEnumerable<string> Waiting => _waiting.Values;

    public bool HasChanges => _changes.Count > 0;

    public bool IsWaiting(string jobId) => _positions.ContainsKey(jobId);

    public void AddToBack(string jobId) => Wait(jobId, ++_back);

    public void AddToFront(string jobId) => Wait(jobId, --_front);

    /// <summary>Records that the job holds a slot on <paramref name="silo"/> (a line carried over from an older store).</summary>
    public void Hold(string jobId, string silo)
    {
        if (_positions.Remove(jobId, out var old)) _waiting.Remove(old);
        _runningOn[jobId] = silo;
        _changes[jobId] = new QueueLineChange(jobId, new QueueLineRow(jobId, ++_back, silo));
    }

    /// <summary>Moves the oldest waiting job to a slot on <paramref name="silo"/>.</summary>
    public string StartFirst(string silo)
    {
        var (position, jobId) = _waiting.First();
        _waiting.Remove(position);
        _positions.Remove(jobId);
        _runningOn[jobId] = silo;
        _changes[jobId] = new QueueLineChange(jobId, new QueueLineRow(jobId, position, silo));
        return jobId;
    }

    /// <summary>Takes the job out of the line, waiting or running; false when it was in neither.</summary>
    public bool Remove(string jobId)
    {
        var removed = _runningOn.Remove(jobId);
        if (_positions.Remove(jobId, out var position))
        {
            _waiting.Remove(position);
            removed = true;
        }
        if (removed) _changes[jobId] = new QueueLineChange(jobId, null);
        return removed;
    }

    /// <summary>The changes since the last call, for a write; later changes go to the next one.</summary>
    public IReadOnlyCollection<QueueLineChange> TakeChanges()
    {
        var changes = _changes;
        _changes = new Dictionary<string, QueueLineChange>(StringComparer.Ordinal);
        return changes.Values;
    }

    private void Wait(string jobId, long position)
    {
        if (_positions.Remove(jobId, out var old)) _waiting.Remove(old);
        _runningOn.Remove(jobId);
        _waiting[position] = jobId;
        _positions[jobId] = position;
        _changes[jobId] = new QueueLineChange(jobId, new QueueLineRow(jobId, position, null));
    }
}

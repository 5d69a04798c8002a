using Orleans.Storage;
using RadMah.Grains.Records;

namespace RadMah.Grains.Queues;

/// <summary>
/// The lines of <c>--storage memory</c>, one instance per silo like that profile's grain state, so a
/// line never outlives the jobs it names.
/// </summary>
public sealed class InMemoryQueueLines : IQueueLines
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Version, Dictionary<string, QueueLineRow> Rows)> _lines = new(StringComparer.Ordinal);

    public Task<StoredQueueLine> ReadAsync(string tier, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_lines.TryGetValue(tier, out var line)
                ? new StoredQueueLine(line.Version, line.Rows.Values.OrderBy(r => r.Position).ToArray())
                : new StoredQueueLine(0, []));
        }
    }

    public Task<long> WriteAsync(string tier, long expectedVersion, IReadOnlyCollection<QueueLineChange> changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var (version, rows) = _lines.TryGetValue(tier, out var line) ? line : (0L, new Dictionary<string, QueueLineRow>(StringComparer.Ordinal));
            if (version != expectedVersion)
                throw new InconsistentStateException($"the line of queue {tier} was written by another activation (expected version {expectedVersion}).", $"{version}", $"{expectedVersion}");
            foreach (var change in changes)
            {
                if (change.Row is { } row) rows[change.JobId] = row;
                else rows.Remove(change.JobId);
            }
            _lines[tier] = (version + 1, rows);
            return Task.FromResult(version + 1);
        }
    }
}

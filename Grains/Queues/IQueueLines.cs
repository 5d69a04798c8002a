using RadMah.Grains.Records;

namespace RadMah.Grains.Queues;

/// <summary>
/// Where the tiers' lines are stored, a row per job (<see cref="QueueLineRow"/>), kept with the jobs'
/// own state: in the SQLite file or PostgreSQL, or in the silo's memory for <c>--storage memory</c>.
/// </summary>
public interface IQueueLines
{
    /// <summary>A tier's line: its waiting jobs and the jobs holding its slots (none and version 0 for a tier never written).</summary>
    Task<StoredQueueLine> ReadAsync(string tier, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the changes to a tier's line in one transaction and returns the line's new version;
    /// refused with <see cref="Orleans.Storage.InconsistentStateException"/> when the line is no longer
    /// at <paramref name="expectedVersion"/> (another activation of the queue wrote it meanwhile).
    /// </summary>
    Task<long> WriteAsync(string tier, long expectedVersion, IReadOnlyCollection<QueueLineChange> changes, CancellationToken cancellationToken = default);
}

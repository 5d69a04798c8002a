using Orleans.Concurrency;

namespace RadMah.Grains.Interfaces.Queues;

/// <summary>
/// The queue of one tier (keyed by tier name). Jobs wait in order and start when a slot frees;
/// with no free slot a job stays visibly queued, it never fails for want of capacity.
/// </summary>
public interface IJobQueueGrain : IGrainWithStringKey
{
    /// <summary>Puts a job at the end of the line. Interleaves with the queue's other calls, so a burst of submissions shares its state writes.</summary>
    [AlwaysInterleave]
    Task EnqueueAsync(string jobId);

    /// <summary>For a running job: when the silo running its work is gone, start the work again elsewhere. Otherwise a no-op.</summary>
    Task ResumeAsync(string jobId);

    /// <summary>Frees the job's slot, or takes it out of the waiting line. Idempotent. Interleaves, like <see cref="EnqueueAsync"/>.</summary>
    [AlwaysInterleave]
    Task ReleaseAsync(string jobId);

    Task<QueueDepth> GetDepthAsync();

    /// <summary>
    /// Starts waiting work on free slots. The queue sends this to itself one-way, so an enqueue
    /// returns before any work starts; calling it from outside is harmless.
    /// </summary>
    [OneWay]
    Task PumpAsync();
}

using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Hosting;

/// <summary>Settings of one silo of the platform.</summary>
public sealed class RadMahSiloOptions
{
    /// <summary>Where artifacts and staging areas live (the embedded default: ./data).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Whether promoted artifact files are synced to disk before a job records them (see
    /// LocalDiskArtifactStore). The embedded default turns it off: its job records live in process
    /// memory, so nothing that survives a crash would point at the files.
    /// </summary>
    public bool DurableArtifacts { get; set; } = true;

    /// <summary>Concurrent jobs per tier. Zero keeps a tier's jobs queued.</summary>
    public Dictionary<string, int> Slots { get; set; } = new()
    {
        [QueueTiers.Default] = Math.Max(1, Environment.ProcessorCount),
        [QueueTiers.Interactive] = Math.Max(1, Environment.ProcessorCount),
        [QueueTiers.Free] = 1,
        [QueueTiers.Gpu] = 1,
    };

    /// <summary>
    /// Jobs of the CPU tiers (interactive, default, free) computing at once on this silo, whatever
    /// each tier's slots; when more wait, interactive goes first, then default, then free. The
    /// default is the core count: each job's generation already uses every core.
    /// </summary>
    public int ComputeSlots { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>The ECDSA P-256 key (PEM) that signs evidence bundles and log checkpoints; null: DATA/keys/signing-key.pem, created on first use.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// How long a job's or artifact's activation stays in memory with no call before Orleans
    /// deactivates it; the next call reads it back from storage. A finished job is a record that is
    /// rarely read again, and the default age (hours) kept every job of a busy node in memory.
    /// </summary>
    public TimeSpan JobIdleLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a finished job's activation stays in memory after it finished (or was read back),
    /// whatever calls it gets: long enough for the clients watching it to read the result (the watch
    /// stream hands them the final state; most then ask for its artifacts at once), short enough that
    /// a busy node's memory holds its jobs in flight, not the thousands it just finished. A later
    /// read activates it again from storage.
    /// </summary>
    public TimeSpan FinishedJobLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How old an open hold must be before a ledger's sweep checks its job. Longer than any
    /// submission takes, so a job still being created is never mistaken for a missing one.
    /// </summary>
    public TimeSpan HoldSweepAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an active ledger sweeps its open holds.</summary>
    public TimeSpan HoldSweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Worker threads one job's generation may use.</summary>
    public int WorkParallelism { get; set; } = Environment.ProcessorCount;
}

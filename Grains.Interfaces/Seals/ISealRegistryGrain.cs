namespace RadMah.Grains.Interfaces.Seals;

/// <summary>The append-only seal registry (one instance, key <see cref="Global"/>). Appending is idempotent per job.</summary>
public interface ISealRegistryGrain : IGrainWithStringKey
{
    public const string Global = "global";

    /// <summary>Appends the job's seal and returns it with its index; a second append for the same job returns the first seal unchanged.</summary>
    Task<SealRecord> AppendAsync(SealRecord seal);

    /// <summary>The job's seal, or null when the job has none.</summary>
    Task<SealRecord?> FindAsync(string jobId);

    Task<long> CountAsync();

    /// <summary>Seals in append order, starting at <paramref name="fromIndex"/>.</summary>
    Task<IReadOnlyList<SealRecord>> ListAsync(long fromIndex, int count);

    /// <summary>The job's seal with its inclusion proof in the current signed checkpoint; not_found when the job has no seal.</summary>
    Task<SealProofView> GetProofAsync(string jobId);

    /// <summary>A signed checkpoint of the log as it is now.</summary>
    Task<CheckpointView> GetCheckpointAsync();

    /// <summary>The consistency proof between two tree sizes (0 ≤ from ≤ to ≤ current size).</summary>
    Task<ConsistencyView> GetConsistencyAsync(long fromSize, long toSize);

    /// <summary>Every key that ever signed a bundle or checkpoint of this deployment.</summary>
    Task<IReadOnlyList<PublicKeyView>> GetPublicKeysAsync();
}

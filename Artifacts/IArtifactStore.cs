namespace RadMah.Artifacts;

/// <summary>
/// Content-addressed storage of artifact bytes. Work writes into a per-job staging area; only a
/// job that commits promotes its files into the store, so cancelled or failed work leaves nothing.
/// </summary>
public interface IArtifactStore
{
    /// <summary>A writable stream for <paramref name="name"/> in the staging area <paramref name="stagingKey"/>; it hashes what is written.</summary>
    StagingStream OpenStaging(string stagingKey, string name);

    /// <summary>Moves a staged file into the store under its digest. Idempotent: promoting twice, or content the store already has, succeeds.</summary>
    Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default);

    /// <summary>
    /// Promotes a job's outputs together; a store that can write them in one go does (the SQLite
    /// store: one write for all its small outputs). Idempotent, like a single promotion.
    /// </summary>
    async Task PromoteAsync(IReadOnlyList<StagedArtifact> artifacts, CancellationToken cancellationToken = default)
    {
        foreach (var artifact in artifacts) await PromoteAsync(artifact, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a staging area and everything in it.</summary>
    Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default);

    bool Contains(string contentHash);

    /// <summary>Opens stored bytes for reading; throws <see cref="FileNotFoundException"/> when the digest is not stored.</summary>
    Stream OpenRead(string contentHash);
}

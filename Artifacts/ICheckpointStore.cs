namespace RadMah.Artifacts;

/// <summary>
/// Where a long computation keeps its latest state (a neural training's checkpoint), by key (the job
/// id), readable by every silo of the deployment: a silo that picks up a job whose silo died goes on
/// from there. Saving replaces the previous state whole or not at all; reading checks the bytes.
/// </summary>
public interface ICheckpointStore
{
    Task SaveAsync(string key, byte[] state, CancellationToken cancellationToken = default);

    /// <summary>The latest state saved under <paramref name="key"/>, or null.</summary>
    Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

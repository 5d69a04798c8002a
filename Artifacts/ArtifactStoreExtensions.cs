namespace RadMah.Artifacts;

public static class ArtifactStoreExtensions
{
    /// <summary>A small artifact's bytes, checked against the digest as they are read (a contract, a model, an evidence bundle).</summary>
    public static async Task<byte[]> ReadAllAsync(this IArtifactStore store, string contentHash, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenRead(contentHash);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}

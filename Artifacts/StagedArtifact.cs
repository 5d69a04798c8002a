namespace RadMah.Artifacts;

/// <summary>An output written to a staging area, not yet part of the content-addressed store. Its name is also its artifact type.</summary>
public sealed record StagedArtifact(string StagingKey, string Name, string MediaType, string ContentHash, long SizeBytes)
{
    /// <summary>Refuses staged bytes that are not what was sealed: a store publishes only content matching its digest.</summary>
    public void RequireContent(ReadOnlySpan<byte> bytes) => RequireDigest(StagingArea.DigestOf(bytes));

    /// <summary>Refuses when <paramref name="actual"/>, the digest of the bytes about to be stored, is not this output's.</summary>
    public void RequireDigest(string actual)
    {
        if (actual != ContentHash)
            throw new InvalidDataException($"staged artifact '{Name}' hashes to {actual}, not {ContentHash}; it was not stored.");
    }
}

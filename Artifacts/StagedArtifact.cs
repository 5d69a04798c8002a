namespace RadMah.Artifacts;

/// <summary>An output written to a staging area, not yet part of the content-addressed store. Its name is also its artifact type.</summary>
public sealed record StagedArtifact(string StagingKey, string Name, string MediaType, string ContentHash, long SizeBytes);

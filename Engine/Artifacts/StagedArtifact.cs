namespace RadMah.Engine.Artifacts;

/// <summary>An output written to a job's staging area, not yet part of the content-addressed store.</summary>
public sealed record StagedArtifact(string StagingKey, string Name, string ArtifactType, string MediaType, string ContentHash, long SizeBytes);

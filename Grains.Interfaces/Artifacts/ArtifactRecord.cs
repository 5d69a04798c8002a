namespace RadMah.Grains.Interfaces.Artifacts;

/// <summary>
/// A stored output of a job, or an upload. <see cref="ContentHash"/> is sha256:… of the exact bytes.
/// A job's output has the type of its file name (dataset.csv, …); an upload has the type "upload".
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ArtifactRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string JobId { get; init; }
    [Id(2)] public required string AccountId { get; init; }
    [Id(3)] public required string ArtifactType { get; init; }
    [Id(4)] public required string ContentHash { get; init; }
    [Id(5)] public required long SizeBytes { get; init; }
    [Id(6)] public required string MediaType { get; init; }
    [Id(7)] public required string Name { get; init; }
    [Id(8)] public required DateTime CreatedAt { get; init; }

    /// <summary>The record of a job's output: its id follows from the job and the name, and its type is its name.</summary>
    public static ArtifactRecord OfJob(string jobId, string accountId, Jobs.StagedOutput output, DateTime createdAt) =>
        Of(jobId, accountId, output.Name, output.Name, output.MediaType, output.ContentHash, output.SizeBytes, createdAt);

    /// <summary>
    /// The one way an artifact record is made: its id is derived from its owner (a job or dataset
    /// id) and its name, so a retried commit or upload registers the same artifact.
    /// </summary>
    public static ArtifactRecord Of(string ownerId, string accountId, string name, string artifactType, string mediaType, string contentHash, long sizeBytes, DateTime createdAt) => new()
    {
        Id = Ids.ArtifactId(ownerId, name),
        JobId = ownerId,
        AccountId = accountId,
        ArtifactType = artifactType,
        ContentHash = contentHash,
        SizeBytes = sizeBytes,
        MediaType = mediaType,
        Name = name,
        CreatedAt = createdAt,
    };
}

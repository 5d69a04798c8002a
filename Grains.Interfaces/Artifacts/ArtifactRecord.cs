namespace RadMah.Grains.Interfaces.Artifacts;

/// <summary>A stored output of a job. <see cref="ContentHash"/> is sha256:… of the exact bytes.</summary>
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
}

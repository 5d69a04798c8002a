namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>An output the work wrote to its staging area; the job promotes it into the artifact store on commit. Its name is its artifact type.</summary>
[GenerateSerializer, Immutable]
public sealed record StagedOutput(
    [property: Id(0)] string StagingKey,
    [property: Id(1)] string Name,
    [property: Id(3)] string MediaType,
    [property: Id(4)] string ContentHash,
    [property: Id(5)] long SizeBytes);

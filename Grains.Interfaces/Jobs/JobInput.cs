namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>An artifact a job reads, named by its artifact name and sha256 digest.</summary>
[GenerateSerializer, Immutable]
public sealed record JobInput([property: Id(0)] string Name, [property: Id(1)] string ContentHash);

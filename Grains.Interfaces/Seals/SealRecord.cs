namespace RadMah.Grains.Interfaces.Seals;

/// <summary>
/// The provenance seal of one succeeded job. Kept as a record with numbered members so later
/// versions (evidence bundle digest, log proofs) can add fields without breaking stored seals.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SealRecord
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required string ContractDigest { get; init; }
    [Id(2)] public required long Seed { get; init; }
    [Id(3)] public required IReadOnlyList<SealedArtifact> Artifacts { get; init; }
    [Id(4)] public required DateTime SealedAt { get; init; }
    [Id(5)] public long Index { get; init; }
    [Id(6)] public string Kind { get; init; } = "";

    /// <summary>sha256:… of the job's signed evidence bundle (its evidence.dsse.json artifact).</summary>
    [Id(7)] public string EvidenceDigest { get; init; } = "";

    /// <summary>The log entry: canonical JSON of this seal, as hashed into the log (set by the registry).</summary>
    [Id(8)] public byte[] Entry { get; init; } = [];

    /// <summary>SHA-256(0x00 ‖ entry) (set by the registry).</summary>
    [Id(9)] public byte[] LeafHash { get; init; } = [];
}

/// <summary>An output artifact named in a seal.</summary>
[GenerateSerializer, Immutable]
public sealed record SealedArtifact(
    [property: Id(0)] string Name,
    [property: Id(1)] string ArtifactType,
    [property: Id(2)] string ContentHash);

namespace RadMah.Grains.Interfaces.Seals;

/// <summary>A seal's place in the log: entry, leaf index, inclusion proof and the signed checkpoint it leads to.</summary>
[GenerateSerializer, Immutable]
public sealed record SealProofView(
    [property: Id(0)] string JobId,
    [property: Id(1)] long LeafIndex,
    [property: Id(2)] long TreeSize,
    [property: Id(3)] string Entry,
    [property: Id(4)] byte[] LeafHash,
    [property: Id(5)] IReadOnlyList<byte[]> InclusionProof,
    [property: Id(6)] string Checkpoint);

/// <summary>A signed checkpoint of the seal log.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointView(
    [property: Id(0)] long TreeSize,
    [property: Id(1)] byte[] RootHash,
    [property: Id(2)] string SignedNote);

/// <summary>The proof that the log of <see cref="FromSize"/> seals is a prefix of the log of <see cref="ToSize"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsistencyView(
    [property: Id(0)] long FromSize,
    [property: Id(1)] long ToSize,
    [property: Id(2)] byte[] FromRoot,
    [property: Id(3)] byte[] ToRoot,
    [property: Id(4)] IReadOnlyList<byte[]> Proof);

/// <summary>A published signing key (never the private part).</summary>
[GenerateSerializer, Immutable]
public sealed record PublicKeyView(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Algorithm,
    [property: Id(2)] string PublicKeyPem,
    [property: Id(3)] DateTime CreatedAt);

namespace RadMah.Sdk;

/// <summary>A signed checkpoint of the seal log; <see cref="SignedNote"/> is what `radmah verify --checkpoint` reads.</summary>
public sealed record SealCheckpoint(long TreeSize, string RootHash, string SignedNote);

/// <summary>A key that signs evidence bundles and checkpoints (PEM public key).</summary>
public sealed record SigningPublicKey(string KeyId, string Algorithm, string PublicKeyPem, string CreatedAt);

internal sealed record SigningKeyList(IReadOnlyList<SigningPublicKey>? Keys);

public sealed record CreditEstimate(double EstimatedCredits, string TrainingTier);

public sealed record AccountInfo(string Id, string Plan, double Balance, double Held, double Available);

/// <summary>One stored output of a job; <see cref="ContentHash"/> is sha256:… of its bytes.</summary>
public sealed record Artifact(string Id, string JobId, string ArtifactType, string ContentHash, long SizeBytes, string MediaType, string Name);

internal sealed record ArtifactList(IReadOnlyList<Artifact>? Artifacts);

internal sealed record JobData(
    string Id, string Kind, string Status, long Rows, long Seed, string Description, string ContractDigest,
    DateTime CreatedAt, DateTime? QueuedAt, DateTime? StartedAt, DateTime? FinishedAt,
    double CreditsCharged, string Error, IReadOnlyList<string>? Warnings, long RowsDone, string RerunOf, string? Tier, TrainingProgress? Training = null);

/// <summary>A running training's progress: the epoch just finished, of <see cref="Epochs"/>, and its mean losses by name.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, IReadOnlyDictionary<string, double>? Losses);

internal sealed record JobListData(IReadOnlyList<JobData>? Jobs, string? NextPageToken);

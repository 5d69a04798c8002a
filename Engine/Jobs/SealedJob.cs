using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>
/// What a kind makes of an accepted request: the sealed contract that alone defines the job's
/// output, the facts the job records (rows, seed, description, warnings), the files it reads (by
/// digest, for the evidence) and its terms (price, compute).
/// </summary>
public sealed record SealedJob
{
    public required SealedContract Contract { get; init; }

    /// <summary>Rows the job writes; zero for kinds that read rather than generate.</summary>
    public required long Rows { get; init; }

    public required long Seed { get; init; }
    public required string Description { get; init; }
    public required JobTerms Terms { get; init; }
    public IReadOnlyList<InputDigest> Inputs { get; init; } = [];

    /// <summary>What the kind chose in place of something it did not understand.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A file a job reads, by name and digest: a resolved dependency in the job's evidence.</summary>
public sealed record InputDigest(string Name, string ContentHash);

/// <summary>
/// A sealed contract's terms: the credits held for it, the compute it needs (training needs the gpu
/// tier), and whether a caller may ask for the low-latency interactive tier for it.
/// </summary>
public sealed record JobTerms(decimal Credits, ComputeNeed Compute = ComputeNeed.Cpu, bool MayRunInteractive = false);

public enum ComputeNeed
{
    Cpu,
    Gpu,
}

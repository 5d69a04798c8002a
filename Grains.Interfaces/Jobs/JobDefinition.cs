namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>Everything fixed when a job is created: who asked, for what, and the sealed contract that defines its output.</summary>
[GenerateSerializer, Immutable]
public sealed record JobDefinition
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required string AccountId { get; init; }
    [Id(2)] public required string Kind { get; init; }
    [Id(3)] public required long Rows { get; init; }
    [Id(4)] public required long Seed { get; init; }
    [Id(5)] public required string Description { get; init; }
    [Id(6)] public required string ContractJson { get; init; }
    [Id(7)] public required string ContractDigest { get; init; }
    [Id(8)] public required decimal CreditsHeld { get; init; }
    [Id(9)] public IReadOnlyList<string> Warnings { get; init; } = [];
    [Id(10)] public string? RerunOf { get; init; }
    [Id(11)] public required string Tier { get; init; }

    /// <summary>Artifacts the job reads (a verify job's targets), by name and digest: the evidence's resolved dependencies.</summary>
    [Id(12)] public IReadOnlyList<JobInput> Inputs { get; init; } = [];
}

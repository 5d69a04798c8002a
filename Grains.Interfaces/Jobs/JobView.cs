namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>A job as callers see it. <see cref="Version"/> grows with every change, for long-polling.</summary>
[GenerateSerializer, Immutable]
public sealed record JobView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AccountId { get; init; }
    [Id(2)] public required string Kind { get; init; }
    [Id(3)] public required JobStatus Status { get; init; }
    [Id(4)] public required long Rows { get; init; }
    [Id(5)] public required long Seed { get; init; }
    [Id(6)] public required string Description { get; init; }
    [Id(7)] public required string ContractDigest { get; init; }
    [Id(8)] public required DateTime CreatedAt { get; init; }
    [Id(9)] public DateTime? QueuedAt { get; init; }
    [Id(10)] public DateTime? StartedAt { get; init; }
    [Id(11)] public DateTime? FinishedAt { get; init; }
    [Id(12)] public decimal CreditsHeld { get; init; }
    [Id(13)] public decimal CreditsCharged { get; init; }
    [Id(14)] public string? Error { get; init; }
    [Id(15)] public IReadOnlyList<string> Warnings { get; init; } = [];
    [Id(16)] public IReadOnlyList<JobTransition> History { get; init; } = [];
    [Id(17)] public int Attempts { get; init; }
    [Id(18)] public long RowsDone { get; init; }
    [Id(19)] public long Version { get; init; }
    [Id(20)] public string? RerunOf { get; init; }
    [Id(21)] public string? Tier { get; init; }

    /// <summary>The silo the latest attempt ran on (Orleans' parsable silo address), once the job has started.</summary>
    [Id(22)] public string? Worker { get; init; }

    /// <summary>A training's epoch and losses while it runs (train, and synthesize from a table, with a neural model); null otherwise.</summary>
    [Id(23)] public JobTraining? Training { get; init; }
}

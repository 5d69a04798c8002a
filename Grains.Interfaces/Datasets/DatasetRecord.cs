namespace RadMah.Grains.Interfaces.Datasets;

/// <summary>
/// An uploaded dataset (ds_…): a content-addressed artifact of the account (artifact_type
/// "upload", its name the upload's, its job_id the dataset id) with the format it was detected or
/// declared to be.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DatasetRecord
{
    public const string ArtifactType = "upload";

    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AccountId { get; init; }
    [Id(2)] public required string Name { get; init; }
    /// <summary>csv, tsv, parquet, arrow, jsonl, json or arff.</summary>
    [Id(3)] public required string Format { get; init; }
    [Id(4)] public required string ContentHash { get; init; }
    [Id(5)] public required long SizeBytes { get; init; }
    [Id(6)] public required string ArtifactId { get; init; }
    [Id(7)] public required DateTime CreatedAt { get; init; }
}

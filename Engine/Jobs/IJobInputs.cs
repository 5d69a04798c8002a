namespace RadMah.Engine.Jobs;

/// <summary>
/// The submitting account's files, as a kind looks them up while it builds a contract. Another
/// account's file is answered exactly like one that does not exist. Refusals are
/// <see cref="Contracts.ContractException"/>s naming <c>field</c>, the request field that named the file.
/// </summary>
public interface IJobInputs
{
    /// <summary>An upload of the account (ds_…).</summary>
    Task<InputArtifact> DatasetAsync(string datasetId, string field);

    /// <summary>The account's uploads, newest first.</summary>
    Task<IReadOnlyList<InputArtifact>> DatasetsAsync();

    /// <summary>
    /// Every artifact of a succeeded job of the account, its evidence bundle included; a job in any
    /// other state is refused as failed_precondition, with <paramref name="why"/> as the reason.
    /// </summary>
    Task<IReadOnlyList<InputArtifact>> SucceededJobArtifactsAsync(string jobId, string field, string why);

    /// <summary>One artifact of the account (art_…): a job's output or an upload.</summary>
    Task<InputArtifact> ArtifactAsync(string artifactId, string field);

    /// <summary>An artifact's bytes, checked against its digest as they are read.</summary>
    Task<byte[]> ReadAsync(InputArtifact artifact, CancellationToken cancellationToken);
}

/// <summary>
/// A stored file a job may read. An upload carries its dataset id and format; a job's output
/// carries the job's id. Its type is its file name (<see cref="ArtifactNames"/>), or "upload".
/// </summary>
public sealed record InputArtifact(string ArtifactId, string Name, string ArtifactType, string ContentHash, long SizeBytes)
{
    public string? DatasetId { get; init; }

    /// <summary>An upload's format: csv, tsv, parquet, arrow, jsonl, json or arff.</summary>
    public string? Format { get; init; }

    public string? JobId { get; init; }
}

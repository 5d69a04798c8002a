using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Records;

namespace RadMah.Grains.Submission;

/// <summary>
/// One account's stored files, as its jobs name them: its uploads, its succeeded jobs' artifacts
/// and any artifact by id. Another account's file is answered exactly like a missing one.
/// </summary>
public sealed class AccountInputs(string accountId, IGrainFactory grains, IPlatformRecords records, IArtifactStore store) : IJobInputs
{
    /// <summary>An upload of the account, as its record.</summary>
    public async Task<DatasetRecord> OwnedDatasetAsync(string datasetId, string field)
    {
        if (!Ids.LooksLikeDatasetId(datasetId))
            throw new ContractException($"'{datasetId}' is not a dataset id (ds_ followed by 20 characters).", field);
        var dataset = await records.FindDatasetAsync(datasetId);
        if (dataset is null || dataset.AccountId != accountId)
            throw new ContractException($"dataset {datasetId} does not exist.", field, ContractFault.NotFound);
        return dataset;
    }

    public async Task<InputArtifact> DatasetAsync(string datasetId, string field) => Upload(await OwnedDatasetAsync(datasetId, field));

    public async Task<IReadOnlyList<InputArtifact>> DatasetsAsync() => [.. (await records.ListDatasetsAsync(accountId)).Select(Upload)];

    public async Task<IReadOnlyList<InputArtifact>> SucceededJobArtifactsAsync(string jobId, string field, string why)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new ContractException($"'{jobId}' is not a job id.", field);
        var job = grains.GetGrain<IJobGrain>(jobId);
        var view = await job.ViewIfOwnedByAsync(accountId) ?? throw new ContractException($"job {jobId} does not exist.", field, ContractFault.NotFound);
        if (view.Status != JobStatus.Succeeded)
            throw new ContractException($"job {jobId} is {view.Status.ToWire()}; {why}.", field, ContractFault.FailedPrecondition);
        return [.. (await job.GetArtifactsAsync()).Select(Output)];
    }

    public async Task<InputArtifact> ArtifactAsync(string artifactId, string field)
    {
        if (!Ids.LooksLikeArtifactId(artifactId)) throw new ContractException($"'{artifactId}' is not an artifact id.", field);
        ArtifactRecord? artifact;
        try
        {
            artifact = await grains.GetGrain<IArtifactGrain>(artifactId).GetAsync();
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            artifact = null;
        }
        if (artifact is null || artifact.AccountId != accountId)
            throw new ContractException($"artifact {artifactId} does not exist.", field, ContractFault.NotFound);
        // An upload's format is in its dataset's record.
        return artifact.ArtifactType == DatasetRecord.ArtifactType ? Upload(await OwnedDatasetAsync(artifact.JobId, field)) : Output(artifact);
    }

    public Task<byte[]> ReadAsync(InputArtifact artifact, CancellationToken cancellationToken) => store.ReadAllAsync(artifact.ContentHash, cancellationToken);

    private static InputArtifact Upload(DatasetRecord dataset) =>
        new(dataset.ArtifactId, dataset.Name, DatasetRecord.ArtifactType, dataset.ContentHash, dataset.SizeBytes) { DatasetId = dataset.Id, Format = dataset.Format };

    private static InputArtifact Output(ArtifactRecord artifact) =>
        new(artifact.Id, artifact.Name, artifact.ArtifactType, artifact.ContentHash, artifact.SizeBytes) { JobId = artifact.JobId };
}

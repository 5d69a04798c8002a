using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>The tables a job may read besides uploads: another job's rows, or any table artifact of the account.</summary>
public static class TableInputs
{
    /// <summary>The rows a succeeded job of the account wrote: its Arrow file (typed) or else its CSV.</summary>
    public static async Task<DataInput> OfJobAsync(string jobId, IJobInputs inputs, string why)
    {
        var artifacts = await inputs.SucceededJobArtifactsAsync(jobId, "params", why);
        var table = artifacts.FirstOrDefault(a => a.ArtifactType == ArtifactNames.DatasetArrow) ?? artifacts.FirstOrDefault(a => a.ArtifactType == ArtifactNames.DatasetCsv)
            ?? throw new ContractException($"job {jobId} wrote no table ({ArtifactNames.DatasetArrow} or {ArtifactNames.DatasetCsv}).", "params", ContractFault.FailedPrecondition);
        return Of(table);
    }

    /// <summary>A table artifact as an input: an upload, or a job's dataset.arrow or dataset.csv.</summary>
    public static DataInput Of(InputArtifact artifact) => artifact switch
    {
        { DatasetId: not null } => DataJobKind.FromUpload(artifact),
        { ArtifactType: ArtifactNames.DatasetArrow } => new(artifact.ArtifactId, artifact.Name, "arrow", artifact.ContentHash, artifact.SizeBytes, null, artifact.JobId),
        { ArtifactType: ArtifactNames.DatasetCsv } => new(artifact.ArtifactId, artifact.Name, "csv", artifact.ContentHash, artifact.SizeBytes, null, artifact.JobId),
        _ => throw new ContractException($"artifact {artifact.ArtifactId} is a {artifact.ArtifactType}, not a table (an upload, {ArtifactNames.DatasetCsv} or {ArtifactNames.DatasetArrow}).",
            "params", ContractFault.FailedPrecondition),
    };
}

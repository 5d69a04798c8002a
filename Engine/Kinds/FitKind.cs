using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>
/// fit: the statistical fingerprint (fit.json) of one table: an upload (dataset_id), the rows of a
/// succeeded job of the account (params.job_id: its Arrow file, else its CSV) or any table artifact
/// of the account (params.artifact_id).
/// </summary>
public sealed class FitKind : DataJobKind
{
    public const string FitName = "fit.json";

    public override string Name => JobKinds.Fit;

    public override string MainResult => FitName;

    protected override async Task<DataInput> InputAsync(JobRequest request, Dictionary<string, string> options, IJobInputs inputs)
    {
        var fromJob = options.Remove("job_id", out var sourceJob);
        var fromArtifact = options.Remove("artifact_id", out var sourceArtifact);
        var sources = (fromJob ? 1 : 0) + (fromArtifact ? 1 : 0) + (string.IsNullOrEmpty(request.DatasetId) ? 0 : 1);
        if (sources > 1) throw new ContractException("dataset_id: a fit job reads one input: dataset_id, params.job_id or params.artifact_id.");
        if (fromJob) return await JobTableAsync(sourceJob!, inputs);
        if (fromArtifact) return TableOf(await inputs.ArtifactAsync(sourceArtifact!, "params"));
        if (string.IsNullOrEmpty(request.DatasetId))
            throw new ContractException("dataset_id: a fit job needs an input: dataset_id, params.job_id (a succeeded job's rows) or params.artifact_id.");
        return FromUpload(await inputs.DatasetAsync(request.DatasetId, "dataset_id"));
    }

    /// <summary>The rows a succeeded job of the account wrote: its Arrow file (typed) or else its CSV.</summary>
    private static async Task<DataInput> JobTableAsync(string jobId, IJobInputs inputs)
    {
        var artifacts = await inputs.SucceededJobArtifactsAsync(jobId, "params", "only a succeeded (sealed) job's output can be fitted");
        var table = artifacts.FirstOrDefault(a => a.ArtifactType == ArtifactNames.DatasetArrow) ?? artifacts.FirstOrDefault(a => a.ArtifactType == ArtifactNames.DatasetCsv)
            ?? throw new ContractException($"job {jobId} wrote no table ({ArtifactNames.DatasetArrow} or {ArtifactNames.DatasetCsv}) to fit.", "params", ContractFault.FailedPrecondition);
        return TableOf(table);
    }

    /// <summary>A table artifact as the input: an upload, or a job's dataset.arrow or dataset.csv.</summary>
    private static DataInput TableOf(InputArtifact artifact) => artifact switch
    {
        { DatasetId: not null } => FromUpload(artifact),
        { ArtifactType: ArtifactNames.DatasetArrow } => new(artifact.ArtifactId, artifact.Name, "arrow", artifact.ContentHash, artifact.SizeBytes, null, artifact.JobId),
        { ArtifactType: ArtifactNames.DatasetCsv } => new(artifact.ArtifactId, artifact.Name, "csv", artifact.ContentHash, artifact.SizeBytes, null, artifact.JobId),
        _ => throw new ContractException($"artifact {artifact.ArtifactId} is a {artifact.ArtifactType}, not a table (an upload, {ArtifactNames.DatasetCsv} or {ArtifactNames.DatasetArrow}).",
            "params", ContractFault.FailedPrecondition),
    };
}

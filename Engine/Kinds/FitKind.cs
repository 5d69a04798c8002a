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
        if (fromJob) return await TableInputs.OfJobAsync(sourceJob!, inputs, "only a succeeded (sealed) job's output can be fitted");
        if (fromArtifact) return TableInputs.Of(await inputs.ArtifactAsync(sourceArtifact!, "params"));
        if (string.IsNullOrEmpty(request.DatasetId))
            throw new ContractException("dataset_id: a fit job needs an input: dataset_id, params.job_id (a succeeded job's rows) or params.artifact_id.");
        return FromUpload(await inputs.DatasetAsync(request.DatasetId, "dataset_id"));
    }
}

using RadMah.Engine.Analysis.Fit;
using RadMah.Engine.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// fit: the statistical fingerprint of a dataset or of a sealed job's output, as fit.json. The
/// fit job's own seal names the input's digest (and the evidence names the source job), so the
/// fingerprint is attached to the seal of what it describes.
/// </summary>
public sealed class FitWork : IJobWork
{
    public string Kind => JobKinds.Fit;

    public const string FitType = "fit";

    public async Task<IReadOnlyList<StagedOutput>> RunAsync(JobDefinition definition, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        var contract = DataJobWork.OpenContract(definition);
        // The fingerprint is a function of the bytes: the sketches' seed comes from the digest, not from the job.
        var profile = await DataJobWork.ProfileAsync(contract with { Seed = FitDocument.SeedFor(contract.Input.ContentHash) }, store, settings, cancellationToken);
        var fit = FitDocument.From(profile);
        return [await DataJobWork.StageAsync(store, definition.JobId, "fit.json", FitType, "application/json", fit.ToJsonBytes(), cancellationToken)];
    }
}

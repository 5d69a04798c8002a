using RadMah.Artifacts;
using RadMah.Engine.Analysis.Fit;
using RadMah.Engine.Kinds;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// fit: the statistical fingerprint of a dataset or of a sealed job's output, as fit.json. The
/// fit job's own seal names the input's digest (and the evidence names the source job), so the
/// fingerprint is attached to the seal of what it describes.
/// </summary>
public sealed class FitWork(FitKind kind) : JobWork<DataJobContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, DataJobContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        // The fingerprint is a function of the bytes: the sketches' seed comes from the digest, not from the job.
        var profile = await DataJobWork.ProfileAsync(contract with { Seed = FitDocument.SeedFor(contract.Input.ContentHash) }, store, settings, cancellationToken);
        return [await StageAsync(store, definition.JobId, FitKind.FitName, "application/json", FitDocument.From(profile).ToJsonBytes(), cancellationToken)];
    }
}

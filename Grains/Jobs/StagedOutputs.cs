using RadMah.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Jobs;

/// <summary>A staged file as the store describes it, and as a job's state and grain calls carry it.</summary>
public static class StagedOutputs
{
    public static StagedOutput ToOutput(this StagedArtifact staged) => new(staged.StagingKey, staged.Name, staged.MediaType, staged.ContentHash, staged.SizeBytes);

    public static StagedArtifact ToStaged(this StagedOutput output) => new(output.StagingKey, output.Name, output.MediaType, output.ContentHash, output.SizeBytes);
}

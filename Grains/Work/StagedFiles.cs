using RadMah.Artifacts;

namespace RadMah.Grains.Work;

/// <summary>Staging an output held in memory, for works and the helpers they share.</summary>
internal static class StagedFiles
{
    public static async Task<StagedArtifact> StageAsync(IArtifactStore store, string jobId, string name, string mediaType, byte[] bytes, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenStaging(jobId, name);
        await stream.WriteAsync(bytes, cancellationToken);
        return await stream.CompleteAsync(mediaType, cancellationToken);
    }
}

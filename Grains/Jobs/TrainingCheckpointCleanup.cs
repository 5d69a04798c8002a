using Microsoft.Extensions.Logging;
using RadMah.Artifacts;

namespace RadMah.Grains.Jobs;

/// <summary>A job that will not run again has no use for its training's checkpoint: removed, and a failure to remove it only logged.</summary>
internal static class TrainingCheckpointCleanup
{
    public static async Task ForgetAsync(this ICheckpointStore checkpoints, string jobId, ILogger logger)
    {
        try
        {
            await checkpoints.DeleteAsync(jobId);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Job {JobId}: could not delete its training checkpoint", jobId);
        }
    }
}

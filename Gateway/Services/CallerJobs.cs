using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Gateway.Services;

/// <summary>
/// Job and artifact look-ups on behalf of one account. Another account's job or artifact is
/// answered exactly like one that does not exist: not_found.
/// </summary>
public sealed class CallerJobs(IGrainFactory grains)
{
    /// <summary>The job, when it belongs to the account; its current view saves callers a second call.</summary>
    public async Task<(IJobGrain Grain, JobView View)> OwnedJobAsync(string accountId, string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id (job_ followed by 20 characters).", "job_id");
        var grain = grains.GetGrain<IJobGrain>(jobId);
        return (grain, await grain.ViewIfOwnedByAsync(accountId) ?? throw NotFound(jobId));
    }

    private static RadMahException NotFound(string jobId) => new(RadMahException.NotFound, $"job {jobId} does not exist.", "job_id");

    public async Task<ArtifactRecord> OwnedArtifactAsync(string accountId, string artifactId)
    {
        if (!Ids.LooksLikeArtifactId(artifactId))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{artifactId}' is not an artifact id (art_ followed by 20 characters).", "artifact_id");
        ArtifactRecord record;
        try
        {
            record = await grains.GetGrain<IArtifactGrain>(artifactId).GetAsync();
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            throw new RadMahException(RadMahException.NotFound, $"artifact {artifactId} does not exist.", "artifact_id");
        }
        if (record.AccountId != accountId)
            throw new RadMahException(RadMahException.NotFound, $"artifact {artifactId} does not exist.", "artifact_id");
        return record;
    }
}

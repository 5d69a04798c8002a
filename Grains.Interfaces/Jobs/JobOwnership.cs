namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>
/// Whether a job belongs to an account, from the job's own record (it names its owner): one call,
/// no index to consult. Callers answer "no" exactly as they answer "no such job".
/// </summary>
public static class JobOwnership
{
    /// <summary>The job's view when it exists and belongs to <paramref name="accountId"/>; null otherwise.</summary>
    public static async Task<JobView?> ViewIfOwnedByAsync(this IJobGrain job, string accountId)
    {
        try
        {
            var view = await job.GetAsync();
            return view.AccountId == accountId ? view : null;
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            return null;
        }
    }
}

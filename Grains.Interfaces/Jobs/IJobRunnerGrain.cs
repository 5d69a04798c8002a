namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>
/// Runs one job's work (keyed by job id) off the grain scheduler and reports back to the job.
/// Orchestration only: the computing is the engine's. Every method answers at once, so each has a
/// short timeout: a runner's silo that has just died must not hold its queue (a grain that handles
/// one call at a time) for Orleans' default 30 s before the cluster declares it dead.
/// </summary>
public interface IJobRunnerGrain : IGrainWithStringKey
{
    /// <summary>Starts the work in the background and returns at once; the slot of <paramref name="tier"/> is released when it ends.</summary>
    [ResponseTimeout("00:00:05")]
    Task StartAsync(string tier);

    /// <summary>Stops running work cooperatively (within about a second) and deletes what it staged.</summary>
    [ResponseTimeout("00:00:10")]
    Task CancelAsync();

    /// <summary>True while this runner's attempt is under way (its queue asks before restarting a job elsewhere).</summary>
    [ResponseTimeout("00:00:02")]
    Task<bool> IsRunningAsync();
}

namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>
/// Runs one job's work (keyed by job id) off the grain scheduler and reports back to the job.
/// Orchestration only: the computing is the engine's.
/// </summary>
public interface IJobRunnerGrain : IGrainWithStringKey
{
    /// <summary>Starts the work in the background and returns at once; the slot of <paramref name="tier"/> is released when it ends.</summary>
    Task StartAsync(string tier);

    /// <summary>Stops running work cooperatively (within about a second) and deletes what it staged.</summary>
    Task CancelAsync();

    /// <summary>True while this runner's attempt is under way (its queue asks before restarting a job elsewhere).</summary>
    Task<bool> IsRunningAsync();
}

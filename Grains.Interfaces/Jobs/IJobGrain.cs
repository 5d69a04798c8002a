using Orleans.Concurrency;
using RadMah.Grains.Interfaces.Artifacts;

namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>
/// One job, keyed by its id (job_…). Owns the lifecycle state machine and the success commit
/// (outputs stored → seal appended → hold captured). Illegal transitions throw <see cref="RadMahException"/>
/// with code failed_precondition and change nothing.
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Records a new job in state created. Called once by the account that accepted it.</summary>
    Task<JobView> InitializeAsync(JobDefinition definition);

    /// <summary>created → queued: hands the job to its tier's queue.</summary>
    Task<JobView> EnqueueAsync();

    /// <summary>
    /// <see cref="InitializeAsync"/> and <see cref="EnqueueAsync"/> as one step with one state write:
    /// the path every accepted submission takes. Repeating it with the same definition changes nothing.
    /// </summary>
    Task<JobView> SubmitAsync(JobDefinition definition);

    /// <summary>
    /// The job as last stored, or not_found when no job has this id. Interleaves, so a read never
    /// waits behind a commit or a storage write in progress.
    /// </summary>
    [AlwaysInterleave]
    Task<JobView> GetAsync();

    Task<JobDefinition> GetDefinitionAsync();

    /// <summary>
    /// Long-poll: returns as soon as the job's version differs from <paramref name="knownVersion"/>,
    /// or after <paramref name="maxWait"/> (at most 20 s) with the job as it is.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:00:25")]
    Task<JobView> WaitForChangeAsync(long knownVersion, TimeSpan maxWait);

    /// <summary>Cancels from created, queued or running; running work stops and its hold is released.</summary>
    Task<JobView> CancelAsync();

    Task<IReadOnlyList<ArtifactRecord>> GetArtifactsAsync();

    /// <summary>queued → running for a new attempt. Null when the job is no longer queued (for example canceled meanwhile).</summary>
    Task<JobDefinition?> BeginAttemptAsync(string workerSilo);

    /// <summary>Progress from the running work; interleaves so a busy job still hears it.</summary>
    [AlwaysInterleave]
    Task ReportProgressAsync(long rowsDone);

    /// <summary>A training's progress from the running work (an epoch finished); interleaves like rows done.</summary>
    [AlwaysInterleave]
    Task ReportTrainingAsync(JobTraining training);

    /// <summary>The work finished: commit its outputs and become succeeded.</summary>
    Task<JobView> CompleteWorkAsync(IReadOnlyList<StagedOutput> outputs);

    /// <summary>The work failed: running → failed, hold released, staged outputs discarded.</summary>
    Task<JobView> FailWorkAsync(string error);
}

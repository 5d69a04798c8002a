using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Interfaces.Submission;

/// <summary>
/// An account's jobs, keyed by account id: submission (validate → seal the contract → hold credits
/// → create the job → queue it), reruns and the account's index of its jobs. A refused submission
/// creates nothing and holds nothing.
/// </summary>
public interface IAccountJobsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Submits a job. With an <paramref name="idempotencyKey"/> (see <see cref="IdempotencyKeys"/>),
    /// a request already made with that key in the last 24 h returns its job and creates nothing;
    /// the same key with a different request is refused (conflict).
    /// </summary>
    Task<JobView> CreateJobAsync(JobSubmission submission, string? idempotencyKey = null);

    /// <summary>A new job from the original's sealed contract and seed; its outputs equal the original's byte for byte.</summary>
    Task<JobView> RerunJobAsync(string jobId);

    /// <summary>The account's jobs, newest first, a page at a time.</summary>
    Task<JobPage> ListJobsAsync(int limit, string? pageToken);

    /// <summary>True when the job belongs to this account. (The gateway checks ownership from the job's own view, one call fewer.)</summary>
    Task<bool> OwnsJobAsync(string jobId);
}

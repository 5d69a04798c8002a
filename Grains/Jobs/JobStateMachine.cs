using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Jobs;

/// <summary>
/// The legal moves of a job: created → queued → running → succeeded | failed, and cancel from
/// created, queued or running. Terminal states are final. Everything else is refused.
/// </summary>
public static class JobStateMachine
{
    public static bool CanMove(JobStatus from, JobStatus to) => (from, to) switch
    {
        (JobStatus.Created, JobStatus.Queued) => true,
        (JobStatus.Queued, JobStatus.Running) => true,
        (JobStatus.Running, JobStatus.Succeeded) => true,
        (JobStatus.Running, JobStatus.Failed) => true,
        (JobStatus.Created or JobStatus.Queued or JobStatus.Running, JobStatus.Canceled) => true,
        _ => false,
    };

    public static void EnsureCanMove(string jobId, JobStatus from, JobStatus to)
    {
        if (!CanMove(from, to))
            throw new RadMahException(RadMahException.FailedPrecondition,
                from.IsTerminal()
                    ? $"job {jobId} is {from.ToWire()}, which is final; it cannot become {to.ToWire()}."
                    : $"job {jobId} cannot go from {from.ToWire()} to {to.ToWire()}.");
    }
}

using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Jobs;

/// <summary>A job's state as callers see it.</summary>
public static class JobViews
{
    public static JobView ToView(this JobState s, string jobId, long rowsDone, JobTraining? training = null)
    {
        var d = s.Definition!;
        DateTime? At(JobStatus status) => s.History.LastOrDefault(h => h.Status == status)?.AtUtc;
        return new JobView
        {
            Id = jobId,
            AccountId = d.AccountId,
            Kind = d.Kind,
            Status = s.Status,
            Rows = d.Rows,
            Seed = d.Seed,
            Description = d.Description,
            ContractDigest = d.ContractDigest,
            CreatedAt = s.History[0].AtUtc,
            QueuedAt = At(JobStatus.Queued),
            StartedAt = At(JobStatus.Running),
            FinishedAt = s.Status.IsTerminal() ? s.History[^1].AtUtc : null,
            CreditsHeld = s.Status.IsTerminal() ? 0 : d.CreditsHeld,
            CreditsCharged = s.CreditsCharged,
            Error = s.Error,
            Warnings = d.Warnings,
            History = s.History.ToArray(),
            Attempts = s.Attempts,
            // A job that writes no rows (train) shows the rows it read when it succeeded.
            RowsDone = s.Status == JobStatus.Succeeded && d.Rows > 0 ? d.Rows : rowsDone,
            Version = s.Version,
            RerunOf = d.RerunOf,
            Tier = d.Tier,
            Worker = s.WorkerSilo,
            Training = training,
        };
    }
}

namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>The job lifecycle of the product page: created → queued → running → succeeded | failed | canceled.</summary>
[GenerateSerializer]
public enum JobStatus
{
    Created = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Canceled = 5,
}

public static class JobStatusExtensions
{
    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    /// <summary>The lowercase word the product page uses ("running", "succeeded", …).</summary>
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Created => "created",
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}

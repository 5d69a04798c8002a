namespace RadMah.Grains.Queues;

/// <summary>
/// The line as earlier versions stored it, whole, as the queue grain's state. Read only to move a
/// line left there to the rows of <see cref="IQueueLines"/> (JobQueueGrain.CarryOverLegacyLineAsync).
/// </summary>
[GenerateSerializer]
public sealed class JobQueueState
{
    /// <summary>Jobs waiting for a slot, oldest first (a job whose worker silo died goes back to the front).</summary>
    [Id(0)] public List<string> Waiting { get; set; } = [];

    /// <summary>Jobs holding a slot, with the silo (parsable address) their work runs on.</summary>
    [Id(1)] public Dictionary<string, string> RunningOn { get; set; } = [];
}

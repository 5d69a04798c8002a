namespace RadMah.Grains.Queues;

[GenerateSerializer]
public sealed class JobQueueState
{
    /// <summary>Jobs waiting for a slot, oldest first.</summary>
    [Id(0)] public List<string> Waiting { get; set; } = [];

    /// <summary>Jobs holding a slot.</summary>
    [Id(1)] public List<string> Running { get; set; } = [];
}

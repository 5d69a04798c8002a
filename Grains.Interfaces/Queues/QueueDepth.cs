namespace RadMah.Grains.Interfaces.Queues;

[GenerateSerializer, Immutable]
public sealed record QueueDepth([property: Id(0)] string Tier, [property: Id(1)] int Waiting, [property: Id(2)] int Running, [property: Id(3)] int Slots);

namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>One entry of a job's history: the state it entered and when (UTC).</summary>
[GenerateSerializer, Immutable]
public sealed record JobTransition([property: Id(0)] JobStatus Status, [property: Id(1)] DateTime AtUtc);

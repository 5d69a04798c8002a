using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Interfaces.Submission;

/// <summary>A page of an account's jobs, newest first; pass <see cref="NextPageToken"/> back for the next page.</summary>
[GenerateSerializer, Immutable]
public sealed record JobPage([property: Id(0)] IReadOnlyList<JobView> Jobs, [property: Id(1)] string? NextPageToken);

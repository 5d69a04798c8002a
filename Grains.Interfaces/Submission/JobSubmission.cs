namespace RadMah.Grains.Interfaces.Submission;

/// <summary>
/// What a caller asks for when creating a job: the kind (mock when empty), the API's generic fields
/// and the kind's own params. Seed defaults to 42 when absent. Interactive asks for the low-latency
/// tier, which small jobs of kinds that allow it get. Which fields a kind takes is the kind's to say.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobSubmission(
    [property: Id(0)] string Kind,
    [property: Id(1)] long Rows,
    [property: Id(2)] string Description,
    [property: Id(3)] long? Seed = null,
    [property: Id(4)] bool Interactive = false,
    [property: Id(5)] IReadOnlyDictionary<string, string>? Params = null,
    [property: Id(6)] string? DatasetId = null)
{
    public const long DefaultSeed = 42;
}

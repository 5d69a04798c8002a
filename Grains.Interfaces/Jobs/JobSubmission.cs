namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>
/// What a caller asks for when creating a job. Seed defaults to 42 when absent. Interactive marks
/// a chat-triggered quick job: small mock jobs so flagged go to the low-latency tier. Kinds that
/// read data (analyze, fit, lift) name an upload with <see cref="DatasetId"/>.
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

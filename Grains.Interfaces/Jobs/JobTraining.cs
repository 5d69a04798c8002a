namespace RadMah.Grains.Interfaces.Jobs;

/// <summary>How a running training is going: the epoch just finished, of how many, and its losses by name (generator and discriminator, or ELBO terms).</summary>
[GenerateSerializer, Immutable]
public sealed record JobTraining
{
    [Id(0)] public required int Epoch { get; init; }
    [Id(1)] public required int Epochs { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, double> Losses { get; init; } = new Dictionary<string, double>();
}

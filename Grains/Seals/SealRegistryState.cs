using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Seals;

[GenerateSerializer]
public sealed class SealRegistryState
{
    /// <summary>Seals in append order; a seal's index is its position.</summary>
    [Id(0)] public List<SealRecord> Seals { get; set; } = [];
}

namespace RadMah.Neural.Tests;

/// <summary>LibTorch's default generator and thread settings are process-wide: the tests that train run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibTorchCollection
{
    public const string Name = "LibTorch";
}

namespace RadMah.Gateway.Tests;

/// <summary>
/// Tests that measure the process (its heap, its timing) run after the others and alone: the test
/// classes of an assembly share one process, and their allocations would count as the measured ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}

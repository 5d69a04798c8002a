namespace RadMah.Engine.Tests;

/// <summary>
/// Tests that bound how long something takes run after the others and alone: the test classes of
/// an assembly share the process and its two cores, and their work would count against the bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}

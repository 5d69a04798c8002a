using RadMah.TestSupport;

[assembly: AssemblyFixture(typeof(RadMah.Cli.Tests.NodeFixture))]

namespace RadMah.Cli.Tests;

/// <summary>A running all-in-one node the remote commands talk to.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public RunningNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Node = await RunningNode.StartAsync();

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}

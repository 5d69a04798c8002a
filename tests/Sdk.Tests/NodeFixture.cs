using RadMah.TestSupport;

[assembly: AssemblyFixture(typeof(RadMah.Sdk.Tests.NodeFixture))]

namespace RadMah.Sdk.Tests;

public sealed class NodeFixture : IAsyncLifetime
{
    public RunningNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Node = await RunningNode.StartAsync();

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    public async Task<RadMahClient> NewClientAsync(string plan = "pro", decimal credits = 100m)
    {
        var (_, key) = await Node.NewAccountAsync(plan, credits);
        return new RadMahClient(apiKey: key, baseUrl: Node.RestBase.ToString());
    }
}

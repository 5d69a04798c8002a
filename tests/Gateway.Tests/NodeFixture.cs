using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RadMah.TestSupport;

[assembly: AssemblyFixture(typeof(RadMah.Gateway.Tests.NodeFixture))]

namespace RadMah.Gateway.Tests;

/// <summary>One real all-in-one node (silo + gateway on Kestrel, loopback ports) for the whole assembly.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private RunningNode? _node;

    private RunningNode Node => _node ?? throw new InvalidOperationException("the shared node did not start.");

    public IGrainFactory Grains => Node.Grains;

    public int GrpcPort => Node.GrpcPort;

    public async ValueTask InitializeAsync() => _node = await RunningNode.StartAsync();

    public ValueTask DisposeAsync() => _node is null ? ValueTask.CompletedTask : _node.DisposeAsync();

    public Task<(string AccountId, string Key)> NewAccountAsync(string plan = "pro", decimal credits = 100m) => Node.NewAccountAsync(plan, credits);

    public HttpClient Rest(string? key)
    {
        var client = new HttpClient { BaseAddress = Node.RestBase };
        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public (V1.Jobs.JobsClient Jobs, V1.Accounts.AccountsClient Accounts, GrpcChannel Channel) Grpc(string? key)
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Node.GrpcPort}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
        var invoker = key is null ? channel.CreateCallInvoker() : channel.Intercept(metadata => { metadata.Add("x-api-key", key); return metadata; });
        return (new V1.Jobs.JobsClient(invoker), new V1.Accounts.AccountsClient(invoker), channel);
    }
}

using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Silo;

[assembly: AssemblyFixture(typeof(RadMah.Gateway.Tests.NodeFixture))]

namespace RadMah.Gateway.Tests;

/// <summary>A real all-in-one node (silo + gateway on Kestrel, loopback ports) for the whole assembly.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private IHost _host = null!;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("radmah-gateway-").FullName;
    public int HttpPort { get; } = FreePorts.Next();
    public int GrpcPort { get; } = FreePorts.Next();
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();
    public Uri RestBase => new($"http://127.0.0.1:{HttpPort}");

    public async ValueTask InitializeAsync()
    {
        _host = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = DataDirectory,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DashboardPort = FreePorts.Next(),
            HttpPort = HttpPort,
            GrpcPort = GrpcPort,
            MinimumLogLevel = LogLevel.Warning,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A new account with its own key, through the in-cluster admin path the CLI uses.</summary>
    public async Task<(string AccountId, string Key)> NewAccountAsync(string plan = AccountPlan.Pro, decimal credits = 100m)
    {
        var id = RadMah.Grains.Interfaces.Ids.NewAccountId();
        var account = Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(plan, credits);
        return (id, (await account.CreateApiKeyAsync()).Key);
    }

    public HttpClient Rest(string? key)
    {
        var client = new HttpClient { BaseAddress = RestBase };
        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public (V1.Jobs.JobsClient Jobs, V1.Accounts.AccountsClient Accounts, GrpcChannel Channel) Grpc(string? key)
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        var invoker = key is null ? channel.CreateCallInvoker() : channel.Intercept(metadata => { metadata.Add("x-api-key", key); return metadata; });
        return (new V1.Jobs.JobsClient(invoker), new V1.Accounts.AccountsClient(invoker), channel);
    }
}

using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Silo;

namespace RadMah.TestSupport;

/// <summary>
/// A real all-in-one node, as `radmah serve` runs it (silo, gateway on Kestrel, dashboard, durable in one
/// SQLite file: serve's default), on free loopback ports and a temporary data directory.
/// </summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly IHost _host;

    private RunningNode(IHost host, string data, int httpPort, int grpcPort, int clusterPort)
    {
        _host = host;
        DataDirectory = data;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        ClusterPort = clusterPort;
    }

    public string DataDirectory { get; }
    public int HttpPort { get; }
    public int GrpcPort { get; }

    /// <summary>The silo's Orleans gateway port, for in-cluster clients such as `radmah admin`.</summary>
    public int ClusterPort { get; }
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();
    public Uri RestBase => new($"http://127.0.0.1:{HttpPort}");

    /// <param name="configureSilo">More silo configuration (a fault injected into grain calls).</param>
    /// <remarks>
    /// A port found free can be taken by another process before the node binds it; the node is then started again on new
    /// ports (at most three tries), as a user would start `radmah serve` again on another port.
    /// </remarks>
    public static async Task<RunningNode> StartAsync(Action<ISiloBuilder>? configureSilo = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var data = Directory.CreateTempSubdirectory("radmah-node-").FullName;
            int http = FreePorts.Next(), grpc = FreePorts.Next(), cluster = FreePorts.Next();
            try
            {
                var host = await NodeHost.StartAsync(new NodeOptions
                {
                    DataDirectory = data,
                    Storage = StorageProfile.Sqlite,
                    SiloPort = FreePorts.Next(),
                    GatewayPort = cluster,
                    DashboardPort = FreePorts.Next(),
                    HttpPort = http,
                    GrpcPort = grpc,
                    MinimumLogLevel = LogLevel.Warning,
                    ConfigureSilo = configureSilo,
                });
                return new RunningNode(host, data, http, grpc, cluster);
            }
            catch (Exception e) when (attempt < 3 && IsPortTaken(e))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static bool IsPortTaken(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.GetType().Name == "AddressInUseException") return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsPortTaken)) return true;
        }
        return false;
    }

    /// <summary>A new account with its own key, through the in-cluster admin path the CLI uses.</summary>
    public async Task<(string AccountId, string Key)> NewAccountAsync(string plan = AccountPlan.Pro, decimal credits = 100m)
    {
        var id = Ids.NewAccountId();
        var account = Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(plan, credits);
        return (id, (await Grains.GetGrain<IAccountKeysGrain>(id).CreateAsync()).Key);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

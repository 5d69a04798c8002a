using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RadMah.Silo.Tests;

public static class ClusterClients
{
    /// <summary>
    /// An in-cluster client of silos started as processes, retried for about a minute while they come
    /// up. A watched silo that has exited (no database, a bad option) ends the wait with its log.
    /// </summary>
    public static async Task<IHost> ConnectAsync(int clusterPort, string clusterId, IReadOnlyCollection<NodeProcess> watched)
    {
        for (var attempt = 0; ; attempt++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(c => c.UseLocalhostClustering(clusterPort, serviceId: clusterId, clusterId: clusterId));
            var host = builder.Build();
            try
            {
                await host.StartAsync(TestContext.Current.CancellationToken);
                return host;
            }
            catch when (attempt < 60)
            {
                host.Dispose();
                if (watched.FirstOrDefault(p => p.HasExited) is { } dead)
                    throw new InvalidOperationException($"a silo exited before the cluster formed; the end of its log:\n{string.Join('\n', File.ReadLines(dead.Log).TakeLast(20))}");
                await Task.Delay(1000, TestContext.Current.CancellationToken);
            }
        }
    }
}

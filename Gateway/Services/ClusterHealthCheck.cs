using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace RadMah.Gateway.Services;

/// <summary>Healthy when the cluster answers a grain call within two seconds and has an active silo.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"the cluster answers ({silos.Count} active silos)")
                : HealthCheckResult.Unhealthy("the cluster has no active silo");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", ex);
        }
    }
}

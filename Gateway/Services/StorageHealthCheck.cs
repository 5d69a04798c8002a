using Microsoft.Extensions.Diagnostics.HealthChecks;
using RadMah.Grains.Interfaces.Health;

namespace RadMah.Gateway.Services;

/// <summary>Healthy when the cluster's grain storage takes a write within three seconds.</summary>
public sealed class StorageHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IStorageProbeGrain>(IStorageProbeGrain.Key).ProbeAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy("storage takes writes");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("storage does not take writes", ex);
        }
    }
}

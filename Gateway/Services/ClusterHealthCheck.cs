using Microsoft.Extensions.Diagnostics.HealthChecks;
using RadMah.Grains.Interfaces.Pricing;

namespace RadMah.Gateway.Services;

/// <summary>Healthy when the cluster answers a grain call within two seconds.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IPricingGrain>(0).EstimateAsync(1, "mock").WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy("the cluster answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", ex);
        }
    }
}

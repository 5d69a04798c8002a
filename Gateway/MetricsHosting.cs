using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway;

/// <summary>
/// OpenTelemetry metrics with a Prometheus scrape endpoint at /metrics: the platform's own meter
/// (jobs by state and tier, queue depth, job durations, credits captured), Orleans' meter, and
/// ASP.NET Core's request metrics. Every silo and gateway process serves its own.
/// </summary>
public static class MetricsHosting
{
    public const string Path = "/metrics";

    public static IServiceCollection AddRadMahMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RadMahTelemetry.MeterName, RadMahTelemetry.OrleansMeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapRadMahMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}

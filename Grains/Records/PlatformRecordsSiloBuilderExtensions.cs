using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using RadMah.Grains.Queues;

namespace RadMah.Grains.Records;

public static class PlatformRecordsSiloBuilderExtensions
{
    /// <summary>
    /// Process memory, unless the host chose another store: the records shared by this service's
    /// silos in the process, the queues' lines per silo (as that profile's grain state is).
    /// </summary>
    internal static void TryAddInMemoryPlatformRecords(this IServiceCollection services)
    {
        services.TryAddSingleton<IPlatformRecords>(sp =>
            InMemoryPlatformRecords.ForService(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        services.TryAddSingleton<IQueueLines, InMemoryQueueLines>();
    }

    /// <summary>Keeps the platform's records in the radmah_* tables of the database at <paramref name="connectionString"/>.</summary>
    public static ISiloBuilder AddPostgresPlatformRecords(this ISiloBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<IPlatformRecords>(sp =>
            new PostgresPlatformRecords(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        builder.Services.AddSingleton<IQueueLines>(sp =>
            new PostgresQueueLines(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return builder;
    }
}

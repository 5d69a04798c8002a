using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace RadMah.Grains.Records;

public static class PlatformRecordsSiloBuilderExtensions
{
    /// <summary>The embedded default, unless the host chose another store: process memory, shared by this service's silos in the process.</summary>
    internal static void TryAddInMemoryPlatformRecords(this IServiceCollection services) =>
        services.TryAddSingleton<IPlatformRecords>(sp =>
            InMemoryPlatformRecords.ForService(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));

    /// <summary>Keeps the platform's records in the radmah_* tables of the database at <paramref name="connectionString"/>.</summary>
    public static ISiloBuilder AddPostgresPlatformRecords(this ISiloBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<IPlatformRecords>(sp =>
            new PostgresPlatformRecords(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return builder;
    }
}

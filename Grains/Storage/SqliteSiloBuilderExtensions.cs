using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using RadMah.Grains.Records;

namespace RadMah.Grains.Storage;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// A single node durable in one SQLite file at <paramref name="path"/>: grain state (under
    /// <paramref name="storageName"/>), reminders and the platform records, which all survive a
    /// restart or a kill. For one node; a cluster uses PostgreSQL.
    /// </summary>
    public static ISiloBuilder AddSqliteDurability(this ISiloBuilder builder, string path, string storageName)
    {
        var file = SqliteFile.Open(path);
        builder.Services.AddSingleton(file);
        builder.Services.AddKeyedSingleton<IGrainStorage>(storageName, (services, _) =>
            new SqliteGrainStorage(storageName, file, ServiceId(services), services.GetRequiredService<Serializer>()));
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(services => new SqliteReminderTable(file, ServiceId(services)));
        builder.Services.AddSingleton<IPlatformRecords>(services => new SqlitePlatformRecords(file, ServiceId(services)));
        return builder;
    }

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}

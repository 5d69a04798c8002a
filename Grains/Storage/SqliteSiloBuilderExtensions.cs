using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using RadMah.Artifacts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Queues;
using RadMah.Grains.Records;

namespace RadMah.Grains.Storage;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// A single node durable in one SQLite file at <paramref name="path"/>: grain state (under
    /// <paramref name="storageName"/>), reminders, the platform records, the queues' lines and small artifacts (larger
    /// ones are files under the data directory), which all survive a restart or a kill. For one
    /// node; a cluster uses PostgreSQL.
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
        builder.Services.AddSingleton<IQueueLines>(services => new SqliteQueueLines(file, ServiceId(services)));
        builder.Services.AddSingleton<IArtifactStore>(services =>
            new SqliteArtifactStore(file, new LocalDiskArtifactStore(services.GetRequiredService<IOptions<RadMahSiloOptions>>().Value.DataDirectory)));
        return builder;
    }

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}

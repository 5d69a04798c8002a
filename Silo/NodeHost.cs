using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using RadMah.Artifacts;
using RadMah.Gateway;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Records;
using RadMah.Grains.Storage;

namespace RadMah.Silo;

/// <summary>Builds and starts a platform node: the silo, its grains, and (optionally) the dashboard.</summary>
public static class NodeHost
{
    /// <summary>Starts the node and returns the running host; the caller stops and disposes it.</summary>
    public static async Task<IHost> StartAsync(NodeOptions options, CancellationToken cancellationToken = default)
    {
        var data = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(data);
        IHost host;
        if (options.WithWeb)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = HostArguments.Defaults, ContentRootPath = AppContext.BaseDirectory });
            ConfigureLogging(builder.Logging, options);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                if (RadMah.Gateway.GatewayOptions.ListenAnyFromEnvironment) kestrel.ListenAnyIP(options.DashboardPort);
                else kestrel.ListenLocalhost(options.DashboardPort);
            });
            builder.UseOrleans(silo =>
            {
                ConfigureSilo(silo, options, data);
                silo.AddDashboard();
            });
            if (!options.SiloOnly) builder.AddRadMahGateway(new RadMah.Gateway.GatewayOptions { HttpPort = options.HttpPort, GrpcPort = options.GrpcPort });
            builder.Services.AddRadMahMetrics();
            var app = builder.Build();
            if (options.DashboardCredentials is { } credentials) app.UseDashboardBasicAuth("/dashboard", credentials);
            if (!options.SiloOnly) app.MapRadMahGateway();
            app.MapRadMahMetrics();
            app.MapOrleansDashboard("/dashboard");
            app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Redirect("/dashboard"));
            host = app;
        }
        else
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = HostArguments.Defaults, ContentRootPath = AppContext.BaseDirectory });
            ConfigureLogging(builder.Logging, options);
            builder.UseOrleans(silo => ConfigureSilo(silo, options, data));
            host = builder.Build();
        }
        await host.StartAsync(cancellationToken);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await DevelopmentAccount.EnsureAsync(grains);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RadMah.Node");
        if (options.Storage == StorageProfile.Sqlite)
            logger.LogInformation(
                "Node up on one SQLite file: localhost clustering (silo port {SiloPort}, gateway port {GatewayPort}), grain state, reminders and platform records in {File}, artifacts on local disk under {Data}",
                options.SiloPort, options.GatewayPort, Path.Combine(data, SqliteFileName), data);
        else if (options.Storage == StorageProfile.Memory)
            logger.LogInformation(
                "Node up on embedded defaults: localhost clustering (silo port {SiloPort}, gateway port {GatewayPort}), in-memory grain storage and reminders, artifacts on local disk under {Data}",
                options.SiloPort, options.GatewayPort, data);
        else
            logger.LogInformation(
                "Node up on PostgreSQL: ADO.NET clustering, grain storage, reminders and platform records (cluster {ClusterId}, silo port {SiloPort}, gateway port {GatewayPort}), artifacts {Artifacts}",
                options.ClusterId, options.SiloPort, options.GatewayPort,
                options.ArtifactStore == ArtifactStoreProfile.Postgres ? $"in PostgreSQL (staging under {data})" : $"on local disk under {data}");
        logger.LogInformation("Queue tiers served here: {Tiers}", string.Join(", ", options.Queues ?? QueueTiers.All));
        if (options.WithWeb && !options.SiloOnly)
        {
            var keyFile = await DevelopmentAccount.EnsureKeyFileAsync(grains, data);
            logger.LogInformation("REST on http://localhost:{HttpPort}, gRPC (h2c) on localhost:{GrpcPort}, dashboard at http://localhost:{DashboardPort}/dashboard",
                options.HttpPort, options.GrpcPort, options.DashboardPort);
            logger.LogInformation("Development account {AccountId}: its API key is in {KeyFile}", DevelopmentAccount.Id, keyFile);
        }
        return host;
    }

    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The file under --data that holds a SQLite node's state.</summary>
    public const string SqliteFileName = "radmah.db";

    private static void ConfigureSilo(ISiloBuilder silo, NodeOptions options, string data)
    {
        switch (options.Storage)
        {
            case StorageProfile.Memory:
                if (options.ArtifactStore == ArtifactStoreProfile.Postgres)
                    throw new ArgumentException("--artifact-store postgres needs --storage postgres.");
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ClusterId, clusterId: options.ClusterId);
                silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
                silo.UseInMemoryReminderService();
                break;
            case StorageProfile.Sqlite:
                if (options.ArtifactStore == ArtifactStoreProfile.Postgres)
                    throw new ArgumentException("--artifact-store postgres needs --storage postgres.");
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ClusterId, clusterId: options.ClusterId);
                silo.AddSqliteDurability(Path.Combine(data, SqliteFileName), RadMahStorage.Name);
                break;
            case StorageProfile.Postgres:
                var connection = options.PostgresConnectionString
                    ?? throw new ArgumentException("--storage postgres needs --pg \"Host=…\".");
                DbProviderFactories.RegisterFactory(NpgsqlInvariant, NpgsqlFactory.Instance);
                if (Environment.GetEnvironmentVariable("POD_NAME") is not null)
                {
                    // In a Kubernetes pod: silo name, advertised pod IP, cluster and service ids come from
                    // the pod (see deploy/kubernetes), and silos whose pods are gone are declared dead.
                    silo.Configure<EndpointOptions>(endpoints => { endpoints.SiloPort = options.SiloPort; endpoints.GatewayPort = options.GatewayPort; });
                    silo.UseKubernetesHosting();
                }
                else
                {
                    silo.Configure<ClusterOptions>(cluster =>
                    {
                        cluster.ClusterId = options.ClusterId;
                        cluster.ServiceId = options.ClusterId;
                    });
                    // Loopback unless told which address other machines reach this silo on.
                    var advertised = Environment.GetEnvironmentVariable("RADMAH_ADVERTISE_IP") is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
                    silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !advertised.Equals(IPAddress.Loopback));
                }
                silo.UseAdoNetClustering(o => { o.Invariant = NpgsqlInvariant; o.ConnectionString = connection; });
                silo.AddAdoNetGrainStorage(RadMahStorage.Name, o => { o.Invariant = NpgsqlInvariant; o.ConnectionString = connection; });
                silo.UseAdoNetReminderService(o => { o.Invariant = NpgsqlInvariant; o.ConnectionString = connection; });
                silo.AddPostgresPlatformRecords(connection);
                if (options.ArtifactStore == ArtifactStoreProfile.Postgres)
                {
                    silo.Services.AddSingleton<IArtifactStore>(sp => new PostgresArtifactStore(sp.GetRequiredService<NpgsqlDataSource>(), data));
                    silo.Services.AddSingleton<ICheckpointStore>(sp => new PostgresCheckpointStore(sp.GetRequiredService<NpgsqlDataSource>()));
                }
                break;
        }
        if (options.NeuralModels is { } neural)
            foreach (var family in NeuralModels.Load(neural)) silo.Services.AddSingleton(family);
        if (options.Llm is { } llm) silo.Services.AddSingleton(llm.Create());
        silo.AddRadMahGrains(o =>
        {
            o.DataDirectory = data;
            o.DurableArtifacts = options.Storage != StorageProfile.Memory;
            if (options.SigningKeyPath is { } key) o.SigningKeyPath = Path.GetFullPath(key);
            if (options.ComputeSlots is { } computeSlots) o.ComputeSlots = computeSlots;
            if (options.Queues is { } queues)
                foreach (var tier in QueueTiers.All.Where(t => !queues.Contains(t))) o.Slots[tier] = 0;
        });
        // A dead silo is declared dead in about 6 s rather than about 15 s (Orleans' defaults: 5 s
        // probes, 3 missed), so its work restarts elsewhere within 10 s: a probe is answered within
        // 2 s by any live silo (its longest garbage-collection pause measured here is under 0.3 s),
        // 3 misses in a row are needed, indirect probes through a third silo rule out the prober's own
        // network, and a silo that finds itself degraded (starved of CPU) lengthens its timeouts.
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromSeconds(2);
            membership.NumMissedProbesLimit = 3;
            membership.EnableIndirectProbes = true;
            membership.ExtendProbeTimeoutDuringDegradation = true;
        });
        // A call sent to a silo that then dies is not answered at all: Orleans fails it when its response
        // timeout passes (30 s by default). Every grain call of the platform answers in well under a
        // second (the job's long poll declares its own 25 s), so 10 s bounds how long work waits on a
        // dead silo's grain before retrying it on the grain's new activation.
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(10));
        options.ConfigureSilo?.Invoke(silo);
    }

    private static void ConfigureLogging(ILoggingBuilder logging, NodeOptions options)
    {
        logging.ClearProviders();
        // Job code logs the job id as a named property ("Job {JobId}: …") and the runner adds a scope
        // with it, so JSON lines can be filtered by job without parsing messages.
        if (options.JsonLogs)
            logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        else
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; o.IncludeScopes = true; });
        logging.SetMinimumLevel(options.MinimumLogLevel);
        logging.AddFilter("Orleans", options.MinimumLogLevel > LogLevel.Warning ? options.MinimumLogLevel : LogLevel.Warning);
        logging.AddFilter("Microsoft", options.MinimumLogLevel > LogLevel.Warning ? options.MinimumLogLevel : LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
    }
}

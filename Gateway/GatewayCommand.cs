using System.CommandLine;
using System.Data.Common;
using Npgsql;
using Orleans.Configuration;
using RadMah.Artifacts;

namespace RadMah.Gateway;

/// <summary>
/// `radmah gateway` (also the Gateway executable): the gateway on its own, an Orleans client of a
/// cluster. With --storage postgres it finds the silos through the ADO.NET membership table;
/// otherwise it connects to --cluster-port on localhost. Artifacts are read from --data, the
/// directory the silos share.
/// </summary>
public static class GatewayCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Artifact directory shared with the silos", DefaultValueFactory = _ => "data" };
        var httpPort = new Option<int>("--http-port") { Description = "REST/JSON port", DefaultValueFactory = _ => 5080 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC (h2c) port", DefaultValueFactory = _ => 5081 };
        var clusterPort = new Option<int>("--cluster-port") { Description = "A silo's Orleans gateway port (without --storage postgres)", DefaultValueFactory = _ => 30000 };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster's id", DefaultValueFactory = _ => "radmah" };
        var storage = new Option<string>("--storage") { Description = "memory or postgres: how to find the silos", DefaultValueFactory = _ => "memory" };
        storage.AcceptOnlyFromAmong("memory", "postgres");
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string, with --storage postgres" };
        var artifactStore = new Option<string>("--artifact-store")
        {
            Description = "local (the directory --data, shared with the silos) or postgres (chunks in the --pg database)",
            DefaultValueFactory = _ => "local",
        };
        artifactStore.AcceptOnlyFromAmong("local", "postgres");
        var command = new Command("gateway", "Run the gateway alone, as a client of a running cluster.")
        {
            data, httpPort, grpcPort, clusterPort, clusterId, storage, pg, artifactStore,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(storage) == "postgres" && string.IsNullOrWhiteSpace(result.GetValue(pg)))
                result.AddError("--storage postgres needs --pg \"Host=…\".");
            if (result.GetValue(artifactStore) == "postgres" && string.IsNullOrWhiteSpace(result.GetValue(pg)))
                result.AddError("--artifact-store postgres needs --pg \"Host=…\".");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = HostArguments.Defaults, ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
            var id = parse.GetValue(clusterId)!;
            var connection = parse.GetValue(pg);
            builder.UseOrleansClient(client =>
            {
                // See NodeHost: a call to a silo that died fails after 10 s rather than 30 s (API callers are answered at the 4.5 s deadline anyway).
                client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(10));
                if (parse.GetValue(storage) == "postgres")
                {
                    DbProviderFactories.RegisterFactory("Npgsql", NpgsqlFactory.Instance);
                    client.Configure<ClusterOptions>(o => { o.ClusterId = id; o.ServiceId = id; });
                    client.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = connection; });
                }
                else client.UseLocalhostClustering(parse.GetValue(clusterPort), serviceId: id, clusterId: id);
            });
            if (parse.GetValue(artifactStore) == "postgres")
                builder.Services.AddSingleton<IArtifactStore>(new PostgresArtifactStore(NpgsqlDataSource.Create(connection!), parse.GetValue(data)!));
            else
                builder.Services.AddSingleton<IArtifactStore>(new LocalDiskArtifactStore(parse.GetValue(data)!));
            builder.AddRadMahGateway(new GatewayOptions { HttpPort = parse.GetValue(httpPort), GrpcPort = parse.GetValue(grpcPort) });
            builder.Services.AddRadMahMetrics();
            var app = builder.Build();
            // Opened now rather than at the first upload: it sweeps the staging of gateway processes that died.
            app.Services.GetRequiredService<IArtifactStore>();
            app.MapRadMahGateway();
            app.MapRadMahMetrics();
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

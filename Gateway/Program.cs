using RadMah.Engine.Artifacts;
using RadMah.Gateway;

// A gateway on its own: an Orleans client of a cluster on localhost, reading artifacts from --data.
var options = new GatewayOptions();
var data = "data";
var siloGatewayPort = 30000;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int Port() => int.TryParse(Next(), out var p) && p is > 0 and < 65536 ? p : throw new ArgumentException("ports are between 1 and 65535.");
    switch (args[i])
    {
        case "--data": data = Next(); break;
        case "--http-port": options = options with { HttpPort = Port() }; break;
        case "--grpc-port": options = options with { GrpcPort = Port() }; break;
        case "--cluster-port": siloGatewayPort = Port(); break;
        default: throw new ArgumentException($"unknown option '{args[i]}'; options: --data DIR --http-port P --grpc-port Q --cluster-port C");
    }
}
var builder = WebApplication.CreateBuilder();
builder.UseOrleansClient(client => client.UseLocalhostClustering(siloGatewayPort));
builder.Services.AddSingleton<IArtifactStore>(new LocalDiskArtifactStore(data));
builder.AddRadMahGateway(options);
var app = builder.Build();
app.MapRadMahGateway();
await app.RunAsync();

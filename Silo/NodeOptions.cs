namespace RadMah.Silo;

/// <summary>How a node starts. The defaults are the embedded single-node setup: localhost clustering, in-memory storage, ./data.</summary>
public sealed record NodeOptions
{
    public string DataDirectory { get; init; } = "data";
    public int DashboardPort { get; init; } = 8080;
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    public int HttpPort { get; init; } = 5080;
    public int GrpcPort { get; init; } = 5081;

    /// <summary>False for embedded uses (the demo) that need neither the dashboard, the gateway nor any HTTP listener.</summary>
    public bool WithWeb { get; init; } = true;

    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;
}

namespace RadMah.Silo;

/// <summary>How a node starts. The defaults are the embedded single-node setup: localhost clustering, in-memory storage, ./data.</summary>
public sealed record NodeOptions
{
    public string DataDirectory { get; init; } = "data";
    public int DashboardPort { get; init; } = 8080;
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>False for embedded uses (the demo) that need neither the dashboard nor an HTTP listener.</summary>
    public bool WithDashboard { get; init; } = true;

    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;
}

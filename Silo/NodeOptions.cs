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

    /// <summary>Where clustering, grain state and reminders live: the process (memory) or PostgreSQL.</summary>
    public StorageProfile Storage { get; init; } = StorageProfile.Memory;

    /// <summary>Npgsql connection string; required with <see cref="StorageProfile.Postgres"/>.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Where artifact bytes live: files under the data directory, or chunks in PostgreSQL (needs <see cref="StorageProfile.Postgres"/>).</summary>
    public ArtifactStoreProfile ArtifactStore { get; init; } = ArtifactStoreProfile.Local;

    /// <summary>The signing key's PEM file (created if missing); null: DATA/keys/signing-key.pem.</summary>
    public string? SigningKeyPath { get; init; }

    /// <summary>Jobs computing at once across the CPU tiers, by priority (interactive, default, free); null: the core count.</summary>
    public int? ComputeSlots { get; init; }

    /// <summary>Queue tiers this silo serves (radmah-default, …); null serves all four.</summary>
    public IReadOnlyList<string>? Queues { get; init; }

    /// <summary>Hosts only the silo and its dashboard, no gateway (a cluster member started by deploy/local-cluster.sh).</summary>
    public bool SiloOnly { get; init; }

    /// <summary>The cluster every silo and client of one deployment shares.</summary>
    public string ClusterId { get; init; } = "radmah";

    /// <summary>One JSON object per log line (with scopes such as the job id) instead of text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>"user:password" to put the dashboard behind HTTP basic authentication; null leaves it open.</summary>
    public string? DashboardCredentials { get; init; }

    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The directory of the RadMah.Neural plugin (tvae and ctgan); null: gaussian_copula only.</summary>
    public string? NeuralModels { get; init; }

    /// <summary>The LLM fabricate and scenario_fabricate consult; null: the built-in compilers only.</summary>
    public LlmEndpoint? Llm { get; init; }

    /// <summary>More silo configuration, applied after the node's own (grain call filters, services); tests inject faults through it.</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }
}

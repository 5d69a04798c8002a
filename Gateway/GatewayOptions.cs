namespace RadMah.Gateway;

/// <summary>Where the gateway listens and where it reads artifact bytes.</summary>
public sealed record GatewayOptions
{
    /// <summary>REST/JSON over HTTP/1.1.</summary>
    public int HttpPort { get; init; } = 5080;

    /// <summary>gRPC over cleartext HTTP/2 (h2c).</summary>
    public int GrpcPort { get; init; } = 5081;

    /// <summary>
    /// Listen on every interface instead of loopback only: for containers and multi-machine
    /// deployments (deploy/kubernetes sets RADMAH_LISTEN_ANY=1). Loopback is the safe default.
    /// </summary>
    public bool ListenAnyAddress { get; init; } = ListenAnyFromEnvironment;

    public static bool ListenAnyFromEnvironment => Environment.GetEnvironmentVariable("RADMAH_LISTEN_ANY") == "1";

    /// <summary>
    /// How long one API call may wait for the cluster before the caller is answered 503 and asked to
    /// retry; streams (watch, uploads, downloads) are not bound by it. A dead silo is declared dead
    /// within seconds, but a call already sent to it would otherwise wait for Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;
}

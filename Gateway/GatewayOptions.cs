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
    /// How long one API call (authentication included) may wait for the cluster before the caller is
    /// answered 503 and asked to retry, so that none waits 5 s; streams (watch, uploads, downloads)
    /// are not bound by it. A dead silo is declared dead within seconds, but a call already sent to it
    /// would otherwise wait for Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(4.5);

    /// <summary>Failed authentications one client address may make per second (a token bucket, refilled each second)...</summary>
    public int FailedAuthenticationsPerSecond { get; init; } = 10;

    /// <summary>...and in a burst; past that budget its requests are 429 until it refills, and no key is looked up.</summary>
    public int FailedAuthenticationBurst { get; init; } = 20;

    /// <summary>Largest body of a REST call that takes one (creating a job, an estimate).</summary>
    public long MaxRequestBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Largest body of a REST call that takes none (GET, cancel, rerun): anything sent there is read and thrown away.</summary>
    public long MaxBodilessRequestBytes { get; init; } = 4 * 1024;

    /// <summary>Largest gRPC message (a streamed upload's chunk included).</summary>
    public int MaxGrpcMessageBytes { get; init; } = 1 << 20;
}

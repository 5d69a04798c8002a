namespace RadMah.Gateway;

/// <summary>Where the gateway listens and where it reads artifact bytes.</summary>
public sealed record GatewayOptions
{
    /// <summary>REST/JSON over HTTP/1.1.</summary>
    public int HttpPort { get; init; } = 5080;

    /// <summary>gRPC over cleartext HTTP/2 (h2c).</summary>
    public int GrpcPort { get; init; } = 5081;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;
}

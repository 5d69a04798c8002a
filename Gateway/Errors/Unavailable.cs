using System.Globalization;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Errors;

/// <summary>
/// What a caller is told while the cluster or its storage is briefly away (a silo lost, PostgreSQL
/// restarting, a call past its deadline): 503 UNAVAILABLE with Retry-After, in the error envelope;
/// gRPC callers get UNAVAILABLE with the grpc-retry-pushback-ms trailer. Never a 500, never an empty body.
/// </summary>
public static class Unavailable
{
    public const int RetryAfterSeconds = 1;

    public const string Message = "the service is briefly unavailable (a node or its storage is recovering); retry shortly.";

    /// <summary>Whether an error of a call should reach the caller as 503 UNAVAILABLE.</summary>
    public static bool Applies(Exception exception) => TransientFaults.IsTransient(exception);

    /// <summary>Sets Retry-After (REST, and gRPC's initial headers) on a response that has not started.</summary>
    public static void AddRetryAfter(HttpContext context)
    {
        if (!context.Response.HasStarted) context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}

using Grpc.Core;

namespace RadMah.Gateway.Security;

public static class CallerExtensions
{
    /// <summary>The authenticated caller's account id.</summary>
    public static string AccountId(this HttpContext context) =>
        context.User.FindFirst(ApiKeyAuthenticationHandler.AccountClaim)?.Value
        ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid X-API-Key is required."));

    public static string AccountId(this ServerCallContext context) => context.GetHttpContext().AccountId();
}

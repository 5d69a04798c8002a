using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RadMah.Gateway.Errors;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Gateway.Security;

/// <summary>
/// Authenticates every call by its X-API-Key header (gRPC: the x-api-key metadata entry, which
/// is the same HTTP header). Malformed keys are refused by their checksum before any lookup;
/// unknown and revoked keys are refused after it, with one message for both. All answer 401 / UNAUTHENTICATED.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    AccountPlans plans,
    KeyRefusals refusals,
    GatewayOptions gateway) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string AccountClaim = "radmah:account";
    public const string PlanClaim = "radmah:plan";
    public const string KeyClaim = "radmah:key";

    private const string OverBudget = "too many failed authentications from this address";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
            return Refuse("missing X-API-Key");
        var address = Context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (refusals.IsBlocked(address)) return Refuse(OverBudget);
        var key = values[0]!;
        if (!ApiKeys.IsWellFormed(key)) return Refuse("malformed API key");
        var hash = ApiKeys.Hash(key);
        // One answer for both: a caller cannot tell a key that never existed from one that was revoked.
        if (refusals.IsKnownUnknown(hash)) return Refuse("unknown or revoked API key");
        var info = await grains.GetGrain<IApiKeyGrain>(hash).ResolveAsync().WaitAsync(CallDeadline.Remaining(Context, gateway), Context.RequestAborted);
        if (info is null) refusals.RememberUnknown(hash);
        if (info is null || info.Revoked) return Refuse("unknown or revoked API key");
        var plan = await plans.GetAsync(info.AccountId).WaitAsync(CallDeadline.Remaining(Context, gateway), Context.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(AccountClaim, info.AccountId), new Claim(PlanClaim, plan), new Claim(KeyClaim, info.KeyId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A refusal, counted in the minute's report and, for a key that was tried and failed, against the address's budget.</summary>
    private AuthenticateResult Refuse(string reason)
    {
        var triedAKey = reason is not ("missing X-API-Key" or OverBudget);
        refusals.Refused(Context.Connection.RemoteIpAddress ?? IPAddress.None, reason, triedAKey);
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? "missing X-API-Key";
        if (failure == OverBudget)
        {
            Response.Headers.RetryAfter = "1";
            await ErrorResponses.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "RESOURCE_EXHAUSTED", $"{failure}; retry after 1 s.");
            return;
        }
        await ErrorResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
            $"a valid X-API-Key is required ({failure}).");
    }
}

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
    GatewayOptions gateway) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string AccountClaim = "radmah:account";
    public const string PlanClaim = "radmah:plan";
    public const string KeyClaim = "radmah:key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
            return AuthenticateResult.Fail("missing X-API-Key");
        var key = values[0]!;
        if (!ApiKeys.IsWellFormed(key)) return AuthenticateResult.Fail("malformed API key");
        var hash = ApiKeys.Hash(key);
        var info = await grains.GetGrain<IApiKeyGrain>(hash).ResolveAsync().WaitAsync(gateway.CallDeadline, Context.RequestAborted);
        // One answer for both: a caller cannot tell a key that never existed from one that was revoked.
        if (info is null || info.Revoked) return AuthenticateResult.Fail("unknown or revoked API key");
        var plan = await plans.GetAsync(info.AccountId).WaitAsync(gateway.CallDeadline, Context.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(AccountClaim, info.AccountId), new Claim(PlanClaim, plan), new Claim(KeyClaim, info.KeyId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? "missing X-API-Key";
        await ErrorResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
            $"a valid X-API-Key is required ({failure}).");
    }
}

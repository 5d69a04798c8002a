using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RadMah.Gateway.Errors;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Gateway.Security;

/// <summary>Per-key token buckets whose size follows the account's plan. Over the limit: 429 with Retry-After.</summary>
public static class RateLimits
{
    /// <summary>Requests per second (and burst) by plan.</summary>
    public static readonly IReadOnlyDictionary<string, int> PerSecond = new Dictionary<string, int>
    {
        [AccountPlan.Free] = 10,
        [AccountPlan.Pro] = 1_000,
        [AccountPlan.Enterprise] = 5_000,
    };

    public static IServiceCollection AddPlanRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.User.FindFirst(ApiKeyAuthenticationHandler.KeyClaim)?.Value;
                if (key is null) return RateLimitPartition.GetNoLimiter("anonymous");
                var plan = context.User.FindFirst(ApiKeyAuthenticationHandler.PlanClaim)?.Value ?? AccountPlan.Free;
                var perSecond = PerSecond.GetValueOrDefault(plan, PerSecond[AccountPlan.Free]);
                return RateLimitPartition.GetTokenBucketLimiter(key + "/" + plan, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ErrorResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "RESOURCE_EXHAUSTED",
                    $"rate limit of the {context.HttpContext.User.FindFirst(ApiKeyAuthenticationHandler.PlanClaim)?.Value} plan exceeded; retry after {retryAfter} s.");
            };
        });
}

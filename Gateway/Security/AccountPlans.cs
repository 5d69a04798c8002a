using System.Collections.Concurrent;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Gateway.Security;

/// <summary>
/// Accounts' plans, cached for a minute: the rate limiter needs the plan on every call, and a
/// plan change taking a minute to reach the limiter is harmless. Keys are never cached, so a
/// revoked key stops working at once.
/// </summary>
public sealed class AccountPlans(IGrainFactory grains)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (string Plan, DateTime Until)> _cache = new();

    public async Task<string> GetAsync(string accountId)
    {
        if (_cache.TryGetValue(accountId, out var hit) && hit.Until > DateTime.UtcNow) return hit.Plan;
        var account = await grains.GetGrain<IAccountGrain>(accountId).GetAsync();
        _cache[accountId] = (account.Plan, DateTime.UtcNow + Lifetime);
        return account.Plan;
    }
}

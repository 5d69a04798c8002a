using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;

namespace RadMah.Gateway.Security;

/// <summary>
/// What the gateway remembers about refused keys, so hostile traffic costs little and grows nothing:
/// a bounded, expiring set of key hashes known not to exist (each is looked up once, not once per
/// request), a budget of failed authentications per client address (past it: 429, no lookups at all),
/// and counts of refusals, logged as one line a minute instead of a line each.
/// </summary>
public sealed class KeyRefusals : IDisposable
{
    public const int RememberedUnknownKeys = 10_000;
    public static readonly TimeSpan UnknownKeyLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ReportPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTime> _unknown = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _unknownOrder = new();
    private readonly PartitionedRateLimiter<IPAddress> _failures;
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, byte> _addresses = new();
    private readonly ILogger<KeyRefusals> _logger;
    private readonly Timer _report;

    public KeyRefusals(GatewayOptions options, ILogger<KeyRefusals> logger)
    {
        _logger = logger;
        _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.FailedAuthenticationBurst,
            TokensPerPeriod = options.FailedAuthenticationsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _report = new Timer(_ => Report(), null, ReportPeriod, ReportPeriod);
    }

    /// <summary>Whether the address has spent its budget of failed authentications for now.</summary>
    public bool IsBlocked(IPAddress address) => _failures.GetStatistics(address) is { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts a refusal in the minute's report and, when <paramref name="againstBudget"/>, against the address's budget.</summary>
    public void Refused(IPAddress address, string reason, bool againstBudget)
    {
        if (againstBudget)
            using (_failures.AttemptAcquire(address)) { }
        _counts.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _addresses.TryAdd(address, 0);
    }

    public bool IsKnownUnknown(string keyHash) => _unknown.TryGetValue(keyHash, out var until) && until > DateTime.UtcNow;

    public void RememberUnknown(string keyHash)
    {
        if (_unknown.TryAdd(keyHash, DateTime.UtcNow + UnknownKeyLifetime)) _unknownOrder.Enqueue(keyHash);
        while (_unknown.Count > RememberedUnknownKeys && _unknownOrder.TryDequeue(out var oldest)) _unknown.TryRemove(oldest, out _);
    }

    private void Report()
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in _counts.Keys.ToArray())
            if (_counts.TryRemove(reason, out var n)) counts[reason] = n;
        var addresses = _addresses.Count;
        _addresses.Clear();
        var now = DateTime.UtcNow;
        foreach (var (hash, until) in _unknown.ToArray())
            if (until <= now) _unknown.TryRemove(hash, out _);
        if (counts.Count == 0) return;
        _logger.LogInformation("Refused {Total} requests in the last minute ({Reasons}) from {Addresses} addresses",
            counts.Values.Sum(), string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")), addresses);
    }

    public void Dispose()
    {
        _report.Dispose();
        _failures.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.LoadGen;

/// <summary>
/// Simulated users of the REST API, each with its own account, key and HTTP/1.1 connection, as
/// separate users would be. Think times are exponentially distributed around the mean, with a
/// random first wait, so users are not in lock step (lock-stepped clients measure a burst of 100,
/// not 100 users). Used by the in-process gateway modes and by the service mode alike.
/// </summary>
public sealed class RestUsers : IDisposable
{
    private const string CreateBody = "{\"rows\": 10, \"description\": \"orders\"}";

    private readonly Random[] _thinking;
    private readonly TimeSpan _think;

    private RestUsers(List<HttpClient> clients, List<string> keys, TimeSpan think)
    {
        Clients = clients;
        Keys = keys;
        _think = think;
        _thinking = clients.Select((_, i) => new Random(i)).ToArray();
    }

    public IReadOnlyList<HttpClient> Clients { get; }

    /// <summary>Each user's API key, in the order of <see cref="Clients"/>.</summary>
    public IReadOnlyList<string> Keys { get; }

    public static async Task<RestUsers> CreateAsync(IGrainFactory grains, int httpPort, int count, TimeSpan think, string plan = AccountPlan.Pro, decimal credits = 100m)
    {
        var clients = new List<HttpClient>();
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var account = grains.GetGrain<IAccountGrain>(Ids.NewAccountId());
            await account.CreateAsync(plan, credits);
            var key = (await grains.GetGrain<IAccountKeysGrain>(account.GetPrimaryKeyString()).CreateAsync()).Key;
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            client.DefaultRequestHeaders.Add("X-API-Key", key);
            clients.Add(client);
            keys.Add(key);
        }
        return new RestUsers(clients, keys, think);
    }

    /// <summary>POST /v1/jobs of a ten-row mock job; the new job's id.</summary>
    public async Task<string> CreateJobAsync(int user)
    {
        using var response = await Clients[user].PostAsync("/v1/jobs", new StringContent(CreateBody, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public Task ThinkAsync(int user, bool first = false)
    {
        if (_think <= TimeSpan.Zero) return Task.CompletedTask;
        var random = _thinking[user];
        var ms = first ? random.NextDouble() * _think.TotalMilliseconds : -Math.Log(1 - random.NextDouble()) * _think.TotalMilliseconds;
        return Task.Delay(TimeSpan.FromMilliseconds(ms));
    }

    /// <summary>Every user creates <paramref name="perUser"/> jobs, thinking between calls: their ids, and each call's latency.</summary>
    public async Task<(List<string>[] Ids, List<double> Ms, double Seconds)> CreatePhaseAsync(int perUser)
    {
        var ms = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Clients.Select(async (_, i) =>
        {
            var mine = new List<string>();
            await ThinkAsync(i, first: true);
            for (var n = 0; n < perUser; n++)
            {
                var t = Stopwatch.GetTimestamp();
                mine.Add(await CreateJobAsync(i));
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                await ThinkAsync(i);
            }
            return mine;
        }));
        return (ids, [.. ms], clock.Elapsed.TotalSeconds);
    }

    /// <summary>Every user reads its own jobs <paramref name="perUser"/> times with GET /v1/jobs/{id}, thinking between calls.</summary>
    public async Task<(List<double> Ms, double Seconds)> GetPhaseAsync(List<string>[] ids, int perUser)
    {
        var ms = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Clients.Select(async (client, i) =>
        {
            await ThinkAsync(i, first: true);
            for (var n = 0; n < perUser; n++)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync($"/v1/jobs/{ids[i][n % ids[i].Count]}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                await ThinkAsync(i);
            }
        }));
        return ([.. ms], clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        foreach (var client in Clients) client.Dispose();
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.TestSupport;

namespace RadMah.Gateway.Tests;

/// <summary>
/// Traffic meant to hurt, against a node of its own (its budgets of failed attempts are per address,
/// and every test here comes from 127.0.0.1): made-up keys cost a bounded amount and grow nothing,
/// and floods of refused requests leave memory where it was.
/// </summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class HostileTrafficTests : IAsyncLifetime
{
    private RunningNode _node = null!;

    public async ValueTask InitializeAsync() => _node = await RunningNode.StartAsync();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private async Task<int> ApiKeyActivationsAsync()
    {
        var statistics = await _node.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    [Fact]
    public async Task Made_up_keys_keep_no_activation_and_an_address_that_keeps_guessing_gets_429()
    {
        var before = await ApiKeyActivationsAsync();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            using var client = new HttpClient { BaseAddress = _node.RestBase };
            client.DefaultRequestHeaders.Add("X-API-Key", ApiKeys.Generate(test: false));
            var response = await client.GetAsync("/v1/account");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("RESOURCE_EXHAUSTED", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["status"]!.GetValue<string>());
            }
        }
        // The budget (20 failures, 10 a second) is spent within the first few dozen guesses; the rest never reach a grain.
        Assert.Contains(HttpStatusCode.Unauthorized, answers);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.All(answers, a => Assert.True(a is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, a.ToString()));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await ApiKeyActivationsAsync() > before && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(await ApiKeyActivationsAsync() <= before, "an unknown key must not keep its grain activated");

        // The budget refills: a real key works again a few seconds later.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var (_, key) = await _node.NewAccountAsync();
        using var honest = new HttpClient { BaseAddress = _node.RestBase };
        honest.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await honest.GetAsync("/v1/account", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static long HeapAfterCollection()
    {
        for (var i = 0; i < 2; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        // Live objects only: the heap's size would also count free space between them, which
        // depends on where the last collection happened to leave objects rather than on what is kept.
        var info = GC.GetGCMemoryInfo();
        return info.HeapSizeBytes - info.FragmentedBytes;
    }

    [Fact]
    public async Task Floods_of_refused_requests_leave_the_heap_where_it_was()
    {
        var (_, key) = await _node.NewAccountAsync();
        using var client = new HttpClient { BaseAddress = _node.RestBase, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        HttpContent Body(string json) => new StringContent(json, Encoding.UTF8, "application/json");
        var huge = "{\"rows\": 10, \"description\": \"" + new string('x', 900_000) + "\"}";
        var malformed = new[] { "{\"rows\": 5,", "{\"rows\": \"lots\"}", "[]", "{\"rows\": 10, \"description\": \"orders\", \"sed\": 7}" };
        async Task SendAsync(string json)
        {
            try
            {
                var response = await client.PostAsync("/v1/jobs", Body(json));
                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
            }
            catch (HttpRequestException)
            {
                // Refused (413) and closed while this client was still sending the body: what a careless client gets.
            }
        }
        async Task FloodAsync()
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => SendAsync(huge)));
            await Task.WhenAll(Enumerable.Range(0, 320).Select(i => SendAsync(malformed[i % malformed.Length])));
        }
        // Floods first until one adds little: what the first requests of each kind build once (caches,
        // pools and the thread-local pool buckets of threads the floods add) is the baseline.
        var baseline = HeapAfterCollection();
        for (var warm = 0; warm < 5; warm++)
        {
            await FloodAsync();
            var now = HeapAfterCollection();
            var settled = now - baseline < 8L << 20;
            baseline = now;
            if (settled && warm > 0) break;
        }
        for (var pass = 0; pass < 3; pass++) await FloodAsync();
        var after = HeapAfterCollection();
        Assert.True(after - baseline < 32L << 20, $"the heap grew from {baseline >> 20} MiB to {after >> 20} MiB over three floods of refused requests");
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/v1/jobs", TestContext.Current.CancellationToken))!["jobs"]!.AsArray());
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.TestSupport;

namespace RadMah.Gateway.Tests;

/// <summary>
/// A node whose grains can be made slow or faulty for one account, key or job: what callers are told
/// while the cluster or its storage is away. Transient faults are 503 UNAVAILABLE with Retry-After in
/// the error envelope (gRPC: UNAVAILABLE), never 500 and never an empty body, and no call waits past
/// the gateway's deadline.
/// </summary>
public sealed class FaultAnswerTests : IAsyncLifetime
{
    /// <summary>Grain calls to fail or stall, by the grain's key.</summary>
    private sealed class Faults : IIncomingGrainCallFilter
    {
        public ConcurrentDictionary<string, Func<Task>> ByKey { get; } = new();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.TargetId.Key.ToString() is { } key && ByKey.TryGetValue(key, out var fault)) await fault();
            await context.Invoke();
        }
    }

    private sealed class TransientDatabaseFault() : DbException("terminating connection due to administrator command")
    {
        public override bool IsTransient => true;
    }

    private sealed class BrokenDatabase() : DbException("relation \"radmah_secret_table\" does not exist")
    {
        public override bool IsTransient => false;
    }

    private readonly Faults _faults = new();
    private RunningNode _node = null!;

    public async ValueTask InitializeAsync() => _node = await RunningNode.StartAsync(silo => silo.AddIncomingGrainCallFilter(_faults));

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private HttpClient Rest(string key)
    {
        var client = new HttpClient { BaseAddress = _node.RestBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(503, error["code"]!.GetValue<int>());
        Assert.Equal("UNAVAILABLE", error["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_to_a_grain_that_does_not_answer_is_told_to_retry_within_the_deadline()
    {
        var (_, key) = await _node.NewAccountAsync();
        using var client = Rest(key);
        var job = JsonNode.Parse(await (await client.PostAsync("/v1/jobs", new StringContent("""{"rows": 10, "description": "orders"}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        var jobId = job["id"]!.GetValue<string>();
        // The job's grain is on a silo that died and is not yet declared dead: calls to it hang.
        _faults.ByKey[jobId] = () => Task.Delay(TimeSpan.FromSeconds(9));

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync($"/v1/jobs/{jobId}");
        clock.Stop();
        await AssertUnavailableAsync(response);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{_node.GrpcPort}");
        var jobs = new Jobs.JobsClient(channel);
        var call = jobs.GetJobAsync(new GetJobRequest { JobId = jobId }, new Metadata { { "x-api-key", key } });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("1000", call.GetTrailers().GetValue("grpc-retry-pushback-ms"));
        _faults.ByKey.TryRemove(jobId, out _);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/jobs/{jobId}")).StatusCode);
    }

    [Fact]
    public async Task A_key_whose_grain_cannot_be_reached_gets_503_with_the_envelope_not_an_empty_500()
    {
        var (_, key) = await _node.NewAccountAsync();
        _faults.ByKey[ApiKeys.Hash(key)] = () => throw new TimeoutException("the key's silo is gone");
        using var client = Rest(key);
        await AssertUnavailableAsync(await client.GetAsync("/v1/account"));
        _faults.ByKey.TryRemove(ApiKeys.Hash(key), out _);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/account")).StatusCode);
    }

    [Fact]
    public async Task A_database_restarting_under_a_grain_is_503_and_a_broken_one_is_500_without_its_details()
    {
        var (accountId, key) = await _node.NewAccountAsync();
        using var client = Rest(key);
        _faults.ByKey[accountId] = () => throw new TransientDatabaseFault();
        await AssertUnavailableAsync(await client.GetAsync("/v1/account"));

        _faults.ByKey[accountId] = () => throw new BrokenDatabase();
        var broken = await client.GetAsync("/v1/account");
        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        var body = await broken.Content.ReadAsStringAsync();
        Assert.Equal("INTERNAL", JsonNode.Parse(body)!["error"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("radmah_secret_table", body);
        _faults.ByKey.TryRemove(accountId, out _);
    }
}

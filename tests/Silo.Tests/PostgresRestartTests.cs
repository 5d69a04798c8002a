using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Silo.Tests;

/// <summary>
/// PostgreSQL goes away while jobs run and comes back: /healthz reports it, and every job still
/// ends succeeded, with the same bytes, one debit and one seal. Artifacts live in PostgreSQL too
/// (--artifact-store postgres), so promotion also meets the outage. The server is the test's own
/// (deploy/pg-up.sh on a free port), so stopping it disturbs no other test.
/// </summary>
public sealed class PostgresRestartTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-pg-restart-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Jobs_continue_once_postgres_is_back_and_healthz_reports_the_outage()
    {
        var ct = TestContext.Current.CancellationToken;
        using var postgres = await PrivatePostgres.StartAsync();
        var (node, http) = await StartNodeAsync(postgres, "restart", ArtifactStoreProfile.Postgres);
        using var _node = node;
        using var _http = http;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", ct)).StatusCode);

        var grains = node.Services.GetRequiredService<IGrainFactory>();
        var accountId = Ids.NewAccountId();
        var account = grains.GetGrain<IAccountGrain>(accountId);
        await account.CreateAsync(AccountPlan.Pro, 100m);
        var jobIds = new List<string>();
        for (var i = 0; i < 24; i++)
            jobIds.Add((await grains.GetGrain<IAccountJobsGrain>(accountId).CreateJobAsync(new JobSubmission("mock", 300_000, "sensor readings", 11))).Id);

        // Stop the server once work is under way: some jobs done, others not yet.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var views = await Task.WhenAll(jobIds.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync()));
            if (views.Any(v => v.Status == JobStatus.Succeeded) && views.Count(v => !v.Status.IsTerminal()) >= 10) break;
            Assert.True(DateTime.UtcNow < deadline, "no job succeeded within a minute");
            await Task.Delay(50, ct);
        }
        await postgres.DownAsync();

        var storage = await WaitForHealthAsync(http, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));
        Assert.Equal("unhealthy", storage["checks"]!["storage"]!["status"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(5), ct);

        await postgres.UpAsync();
        await WaitForHealthAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60));

        var finished = await ClusterCrashTests.WaitAllTerminalAsync(grains, jobIds, TimeSpan.FromMinutes(4));
        Assert.All(finished, v => Assert.Equal(JobStatus.Succeeded, v.Status));
        var digests = new HashSet<string>();
        foreach (var id in jobIds)
            digests.Add(string.Join(",", (await grains.GetGrain<IJobGrain>(id).GetArtifactsAsync())
                .Where(a => a.ArtifactType != "evidence.dsse.json").OrderBy(a => a.Name).Select(a => a.ContentHash)));
        Assert.Single(digests);

        var entries = await grains.GetGrain<ICreditLedgerGrain>(accountId).GetEntriesAsync();
        var seals = await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).ListAsync(0, int.MaxValue);
        foreach (var id in jobIds)
        {
            Assert.Single(entries, e => e.Kind == LedgerEntryKind.Debit && e.JobId == id);
            Assert.Single(seals, s => s.JobId == id);
        }
        var balance = await grains.GetGrain<ICreditLedgerGrain>(accountId).GetBalanceAsync();
        Assert.Equal(0m, balance.Held);
        Assert.Equal(100m - finished.Sum(v => v.CreditsCharged), balance.Balance);

        // The bytes come from the database, not this node's disk, and match their digests.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "artifacts"), "*", SearchOption.AllDirectories));
        http.DefaultRequestHeaders.Add("X-API-Key", (await grains.GetGrain<IAccountKeysGrain>(accountId).CreateAsync()).Key);
        foreach (var artifact in await grains.GetGrain<IJobGrain>(jobIds[^1]).GetArtifactsAsync())
        {
            using var response = await http.GetAsync($"/v1/artifacts/{artifact.Id}/content", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            Assert.Equal(artifact.SizeBytes, bytes.Length);
            Assert.Equal(artifact.ContentHash, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.Equal(artifact.ContentHash, response.Headers.GetValues("X-Content-SHA256").Single());
        }
        await node.StopAsync(ct);
    }

    /// <summary>
    /// Clients keep submitting and reading jobs over REST while PostgreSQL is stopped for 12 s and
    /// started again: every answer is 200 or 503 in the error envelope (never 500, never an empty body),
    /// and afterwards no credit stays held for a job that does not exist or has finished; each success is
    /// charged once, and every job charged is one a client was told about (creates carry an
    /// Idempotency-Key and are repeated after a 503).
    /// </summary>
    [Fact]
    public async Task Submissions_through_a_database_outage_are_answered_200_or_503_and_leave_no_hold_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        using var postgres = await PrivatePostgres.StartAsync();
        // Holds are swept within seconds here rather than minutes.
        var (node, baseClient) = await StartNodeAsync(postgres, "outage", ArtifactStoreProfile.Local, silo => silo.Configure<RadMahSiloOptions>(o =>
        {
            o.HoldSweepAge = TimeSpan.FromSeconds(5);
            o.HoldSweepPeriod = TimeSpan.FromSeconds(2);
        }));
        using var _node = node;
        var restBase = baseClient.BaseAddress!;
        baseClient.Dispose();
        var grains = node.Services.GetRequiredService<IGrainFactory>();
        var accountId = Ids.NewAccountId();
        await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 100m);
        var key = (await grains.GetGrain<IAccountKeysGrain>(accountId).CreateAsync()).Key;

        var answers = new ConcurrentBag<(HttpStatusCode Status, string Body, string Call)>();
        var created = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        // A 503 says "try again": the create may still have happened (the answer's deadline passed
        // while the database was away). Clients therefore send an Idempotency-Key, as the SDKs do, and
        // repeat a create with the same key until it is answered, so every job made is one they know.
        var unanswered = new ConcurrentBag<(string Key, int Seed)>();
        async Task<string?> CreateAsync(HttpClient http, string idempotencyKey, int seed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = JsonContent.Create(new { rows = 5_000, description = "orders", seed }) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            answers.Add((response.StatusCode, body, "POST /v1/jobs"));
            return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body)!["id"]!.GetValue<string>() : null;
        }
        async Task ClientAsync(int client)
        {
            using var http = new HttpClient { BaseAddress = restBase, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-API-Key", key);
            string? last = null;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var idempotencyKey = $"outage-{client}-{i}-{Guid.NewGuid():N}";
                var seed = client * 1000 + i;
                string? id;
                while ((id = await CreateAsync(http, idempotencyKey, seed)) is null && !stop.IsCancellationRequested)
                    await Task.Delay(500, CancellationToken.None);
                if (id is null) unanswered.Add((idempotencyKey, seed));
                else created.Add(last = id);
                if (last is not null)
                    using (var response = await http.GetAsync($"/v1/jobs/{last}", CancellationToken.None))
                        answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None), "GET /v1/jobs/{id}"));
                await Task.Delay(100, CancellationToken.None);
            }
        }
        var clients = Enumerable.Range(0, 4).Select(ClientAsync).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await postgres.DownAsync();
        await Task.Delay(TimeSpan.FromSeconds(12), ct);
        await postgres.UpAsync();
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        stop.Cancel();
        await Task.WhenAll(clients);
        // Creates still unanswered when the clients stopped are asked once more, now that the database is back.
        using (var http = new HttpClient { BaseAddress = restBase, Timeout = TimeSpan.FromSeconds(30) })
        {
            http.DefaultRequestHeaders.Add("X-API-Key", key);
            foreach (var (idempotencyKey, seed) in unanswered)
            {
                var giveUp = DateTime.UtcNow.AddSeconds(30);
                string? id;
                while ((id = await CreateAsync(http, idempotencyKey, seed)) is null && DateTime.UtcNow < giveUp) await Task.Delay(500, ct);
                Assert.NotNull(id);
                created.Add(id);
            }
        }

        Assert.Contains(answers, a => a.Status == HttpStatusCode.ServiceUnavailable);
        Assert.All(answers, a =>
        {
            Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{a.Call}: {(int)a.Status} {a.Body}");
            if (a.Status == HttpStatusCode.ServiceUnavailable)
                Assert.Equal("UNAVAILABLE", JsonNode.Parse(a.Body)!["error"]!["status"]!.GetValue<string>());
        });

        var jobs = await ClusterCrashTests.WaitAllTerminalAsync(grains, [.. created], TimeSpan.FromMinutes(3));
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        var ledger = grains.GetGrain<ICreditLedgerGrain>(accountId);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await ledger.GetBalanceAsync()).Held != 0 && DateTime.UtcNow < deadline) await Task.Delay(500, ct);
        var balance = await ledger.GetBalanceAsync();
        Assert.Equal(0m, balance.Held);
        var entries = await ledger.GetEntriesAsync();
        Assert.Equal(jobs.Select(j => j.Id).Order(), entries.Where(e => e.Kind == LedgerEntryKind.Debit).Select(e => e.JobId!).Order());
        Assert.Equal(100m - jobs.Sum(j => j.CreditsCharged), balance.Balance);
        await node.StopAsync(ct);
    }

    /// <summary>A node on the test's own PostgreSQL, its REST port and a client for it.</summary>
    private async Task<(IHost Node, HttpClient Http)> StartNodeAsync(PrivatePostgres postgres, string name, ArtifactStoreProfile artifacts, Action<ISiloBuilder>? configureSilo = null)
    {
        var httpPort = FreePorts.Next();
        var node = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            Storage = StorageProfile.Postgres,
            PostgresConnectionString = postgres.ConnectionString,
            ArtifactStore = artifacts,
            ClusterId = name + "-" + Guid.NewGuid().ToString("N")[..8],
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DashboardPort = FreePorts.Next(),
            HttpPort = httpPort,
            GrpcPort = FreePorts.Next(),
            MinimumLogLevel = LogLevel.Critical,
            ConfigureSilo = configureSilo,
        }, TestContext.Current.CancellationToken);
        return (node, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) });
    }

    private static async Task<JsonNode> WaitForHealthAsync(HttpClient http, HttpStatusCode wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == wanted) return JsonNode.Parse(body)!;
            Assert.True(DateTime.UtcNow < deadline, $"/healthz did not turn {(int)wanted} within {timeout.TotalSeconds} s; last: {(int)response.StatusCode} {body}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        var httpPort = FreePorts.Next();
        using var node = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            Storage = StorageProfile.Postgres,
            PostgresConnectionString = postgres.ConnectionString,
            ArtifactStore = ArtifactStoreProfile.Postgres,
            ClusterId = "restart-" + Guid.NewGuid().ToString("N")[..8],
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DashboardPort = FreePorts.Next(),
            HttpPort = httpPort,
            GrpcPort = FreePorts.Next(),
            MinimumLogLevel = LogLevel.Critical,
        }, ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
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

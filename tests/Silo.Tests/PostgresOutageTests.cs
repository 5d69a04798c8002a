using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Silo.Tests;

/// <summary>
/// Clients keep submitting and reading jobs over REST while PostgreSQL is stopped for 12 s and
/// started again: every answer is 200 or 503 in the error envelope (never 500, never an empty body),
/// and afterwards no credit stays held for a job that does not exist or has finished; each success is
/// charged once.
/// </summary>
public sealed class PostgresOutageTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-pg-outage-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Submissions_through_a_database_outage_are_answered_200_or_503_and_leave_no_hold_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        using var postgres = await PrivatePostgres.StartAsync();
        var httpPort = FreePorts.Next();
        using var node = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            Storage = StorageProfile.Postgres,
            PostgresConnectionString = postgres.ConnectionString,
            ClusterId = "outage-" + Guid.NewGuid().ToString("N")[..8],
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DashboardPort = FreePorts.Next(),
            HttpPort = httpPort,
            GrpcPort = FreePorts.Next(),
            MinimumLogLevel = LogLevel.Critical,
            // Holds are swept within seconds here rather than minutes.
            ConfigureSilo = silo => silo.Configure<RadMahSiloOptions>(o =>
            {
                o.HoldSweepAge = TimeSpan.FromSeconds(5);
                o.HoldSweepPeriod = TimeSpan.FromSeconds(2);
            }),
        }, ct);
        var grains = node.Services.GetRequiredService<IGrainFactory>();
        var accountId = Ids.NewAccountId();
        await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 100m);
        var key = (await grains.GetGrain<IAccountKeysGrain>(accountId).CreateAsync()).Key;

        var answers = new ConcurrentBag<(HttpStatusCode Status, string Body, string Call)>();
        var created = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        async Task ClientAsync(int client)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-API-Key", key);
            string? last = null;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using (var response = await http.PostAsJsonAsync("/v1/jobs", new { rows = 5_000, description = "orders", seed = client * 1000 + i }, CancellationToken.None))
                {
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    answers.Add((response.StatusCode, body, "POST /v1/jobs"));
                    if (response.StatusCode == HttpStatusCode.OK) created.Add(last = JsonNode.Parse(body)!["id"]!.GetValue<string>());
                }
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
}

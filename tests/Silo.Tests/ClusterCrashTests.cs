using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Silo.Tests;

/// <summary>
/// Three silo processes and a gateway process on PostgreSQL. 200 mixed jobs go in through the
/// REST gateway; one silo is killed with SIGKILL while jobs run. Every job must end, each succeeded
/// job with exactly one debit and one seal, and everything must still be there after all
/// processes restart.
/// </summary>
public sealed class ClusterCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-crash-").FullName;
    private readonly string _clusterId = "crash-" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<NodeProcess> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        // RADMAH_KEEP_TEST_LOGS=1 keeps the processes' logs for a post-mortem.
        if (Environment.GetEnvironmentVariable("RADMAH_KEEP_TEST_LOGS") != "1") Directory.Delete(_dir, recursive: true);
    }

    private static string Connection => Environment.GetEnvironmentVariable(PostgresProfileTests.ConnectionVariable)
        ?? throw new InvalidOperationException($"{PostgresProfileTests.ConnectionVariable} is not set: run ./test.sh, which starts PostgreSQL.");

    private readonly int[] _siloPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
    private readonly int[] _clusterPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
    private readonly int _httpPort = FreePorts.Next();

    private NodeProcess StartSilo(int i, string tiers) => Track(NodeProcess.Start("RadMah.Silo.dll", Path.Combine(_dir, $"silo-{i}.log"),
        "--silo-only", "--storage", "postgres", "--pg", Connection, "--cluster-id", _clusterId, "--data", Path.Combine(_dir, "shared"),
        "--silo-port", _siloPorts[i].ToString(), "--cluster-port", _clusterPorts[i].ToString(), "--dashboard-port", FreePorts.Next().ToString(),
        "--queues", tiers));

    private NodeProcess StartGateway() => Track(NodeProcess.Start("RadMah.Gateway.dll", Path.Combine(_dir, "gateway.log"),
        "--storage", "postgres", "--pg", Connection, "--cluster-id", _clusterId, "--data", Path.Combine(_dir, "shared"),
        "--http-port", _httpPort.ToString(), "--grpc-port", FreePorts.Next().ToString()));

    private NodeProcess Track(NodeProcess p)
    {
        _processes.Add(p);
        return p;
    }

    // Free-plan work has two silos, so killing either of silos 2 and 3 leaves every tier served.
    private static readonly string[] Tiers = ["default,interactive", "default,free", "default,free"];

    private NodeProcess[] StartSilos() => [.. Enumerable.Range(0, 3).Select(i => StartSilo(i, Tiers[i]))];

    private Task<IHost> ConnectAsync(int siloIndex, NodeProcess[] silos) => ClusterClients.ConnectAsync(_clusterPorts[siloIndex], _clusterId, silos);

    private static async Task<T> WhileFormingAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private async Task<HttpClient> GatewayAsync(string key)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        for (var i = 0; i < 90; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz", TestContext.Current.CancellationToken)).IsSuccessStatusCode) return http;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
        // The test's directory is removed afterwards: the log's end goes into the failure itself.
        var log = Path.Combine(_dir, "gateway.log");
        var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no log written)";
        throw new TimeoutException($"the gateway never became healthy in 90 s; the end of its log:\n{tail}");
    }

    [Fact]
    public async Task Killing_a_silo_loses_no_job_and_charges_and_seals_each_success_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var silos = StartSilos();
        using var admin = await ConnectAsync(0, silos);
        var grains = admin.Services.GetRequiredService<IClusterClient>();
        // All three silos must have joined before work is handed out, or one may never get any.
        var management = grains.GetGrain<IManagementGrain>(0);
        var joined = DateTime.UtcNow.AddSeconds(90);
        while ((await management.GetHosts(onlyActive: true, cancellationToken: ct)).Count < 3)
        {
            Assert.True(DateTime.UtcNow < joined, "the three silos never formed one cluster");
            await Task.Delay(500, ct);
        }
        var pro = Ids.NewAccountId();
        var free = Ids.NewAccountId();
        // A cluster that has just formed can leave a first call unanswered (seen once in a full run:
        // 30 s, then a timeout); setup asks again, idempotently, before the test proper begins.
        await WhileFormingAsync(() => grains.GetGrain<IAccountGrain>(pro).EnsureCreatedAsync(AccountPlan.Pro, 1000m));
        await WhileFormingAsync(() => grains.GetGrain<IAccountGrain>(free).EnsureCreatedAsync(AccountPlan.Free, 1000m));
        var proKey = (await WhileFormingAsync(() => grains.GetGrain<IAccountKeysGrain>(pro).CreateAsync())).Key;
        var freeKey = (await WhileFormingAsync(() => grains.GetGrain<IAccountKeysGrain>(free).CreateAsync())).Key;
        StartGateway();
        using var proHttp = await GatewayAsync(proKey);
        using var freeHttp = await GatewayAsync(freeKey);

        long[] sizes = [2_000, 20_000, 150_000, 400_000];
        string[] descriptions = ["customer transaction records", "orders", "sensor readings", "support tickets", "patients"];
        var jobIds = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var http = i % 5 == 4 ? freeHttp : proHttp;
            var body = new { rows = sizes[i % sizes.Length], description = descriptions[i % descriptions.Length], seed = i, interactive = i % 7 == 0 };
            var response = await http.PostAsJsonAsync("/v1/jobs", body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, text);
            jobIds.Add(JsonNode.Parse(text)!["id"]!.GetValue<string>());
        }

        // Kill silo 2 or 3 (the admin client talks through silo 1) as soon as one of them is in the
        // first half of a large job, so the kill interrupts real work (a tiny job may finish, or reach
        // its commit, between this look and the kill, and then needs no second attempt).
        var deadline = DateTime.UtcNow.AddSeconds(90);
        int victim;
        while (true)
        {
            var views = await Task.WhenAll(jobIds.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync()));
            var busy = views.Where(v => v.Status == JobStatus.Running && v.Worker is not null && v.Rows >= 150_000 && v.RowsDone < v.Rows / 2)
                .Select(v => v.Worker!).ToList();
            victim = new[] { 2, 1 }.FirstOrDefault(i => busy.Any(w => w.StartsWith($"127.0.0.1:{_siloPorts[i]}@", StringComparison.Ordinal)), -1);
            if (victim >= 0) break;
            Assert.True(DateTime.UtcNow < deadline, "neither silo 2 nor silo 3 was in the first half of a large job");
            await Task.Delay(50, ct);
        }
        silos[victim].Crash();

        // Callers of the API during the failover: answered 200 or 503 (in the envelope, with
        // Retry-After), never 500, and none waits past the gateway's deadline.
        var answers = new List<(HttpStatusCode Status, TimeSpan Took, string Body)>();
        var proJobs = jobIds.Where((_, i) => i % 5 != 4).ToList();
        var reading = DateTime.UtcNow.AddSeconds(15);
        for (var i = 0; DateTime.UtcNow < reading; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await proHttp.GetAsync(i % 2 == 0 ? $"/v1/jobs/{proJobs[i % proJobs.Count]}" : "/v1/jobs?limit=20", ct);
            answers.Add((response.StatusCode, clock.Elapsed, await response.Content.ReadAsStringAsync(ct)));
            await Task.Delay(20, ct);
        }
        Assert.All(answers, a =>
        {
            Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)a.Status}: {a.Body}");
            Assert.True(a.Took < TimeSpan.FromSeconds(5), $"a call took {a.Took.TotalSeconds:F1} s");
            if (a.Status == HttpStatusCode.ServiceUnavailable) Assert.Contains("UNAVAILABLE", a.Body);
        });

        var finished = await WaitAllTerminalAsync(grains, jobIds, TimeSpan.FromMinutes(5));
        Assert.All(finished, v => Assert.Equal(JobStatus.Succeeded, v.Status));
        Assert.Contains(finished, v => v.Attempts >= 2);
        await AssertOneDebitAndOneSealPerSuccessAsync(grains, finished, pro, free);
        await AssertDatabaseHoldsOneDebitAndOneSealPerSuccessAsync(finished);
        // Every job is terminal: nothing may stay held.
        foreach (var account in new[] { pro, free }) Assert.Equal(0m, (await grains.GetGrain<ICreditLedgerGrain>(account).GetBalanceAsync()).Held);

        // Restart every process: jobs, keys, balances and seals are still there.
        foreach (var p in _processes.ToArray()) await p.StopAsync(TimeSpan.FromSeconds(15));
        await admin.StopAsync(ct);
        var restartedSilos = StartSilos();
        using var again = await ConnectAsync(1, restartedSilos);
        var restarted = again.Services.GetRequiredService<IClusterClient>();
        StartGateway();
        using var proAgain = await GatewayAsync(proKey);
        var listed = JsonNode.Parse(await proAgain.GetStringAsync("/v1/jobs?limit=100", ct))!["jobs"]!.AsArray();
        Assert.Equal(100, listed.Count);
        Assert.All(listed, j => Assert.Equal("succeeded", j!["status"]!.GetValue<string>()));
        var afterRestart = await Task.WhenAll(jobIds.Select(id => restarted.GetGrain<IJobGrain>(id).GetAsync()));
        Assert.Equal(finished.Select(v => (v.Id, v.Status, v.CreditsCharged)), afterRestart.Select(v => (v.Id, v.Status, v.CreditsCharged)));
        await AssertOneDebitAndOneSealPerSuccessAsync(restarted, afterRestart, pro, free);
        // What the killed silo had staged (the large job it was writing) is gone: every process that
        // starts sweeps the staging of processes that died. Only the live processes' owner files remain.
        var staging = Path.Combine(_dir, "shared", "staging");
        Assert.DoesNotContain(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories), f => Path.GetFileName(f) != StagingArea.OwnerFileName);
        await again.StopAsync(ct);
    }

    /// <summary>Every job terminal, asking again while a silo that died has not yet been declared dead.</summary>
    internal static async Task<JobView[]> WaitAllTerminalAsync(IGrainFactory grains, IReadOnlyList<string> jobIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JobView[] views;
            try
            {
                views = await Task.WhenAll(jobIds.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync()));
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException)
            {
                // Until the cluster declares the killed silo dead, calls to grains that lived there fail; ask again.
                if (DateTime.UtcNow > deadline) throw;
                await Task.Delay(500, TestContext.Current.CancellationToken);
                continue;
            }
            if (views.All(v => v.Status.IsTerminal())) return views;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{views.Count(v => !v.Status.IsTerminal())} jobs never finished: {string.Join(", ", views.Where(v => !v.Status.IsTerminal()).Take(5).Select(v => $"{v.Id} {v.Status.ToWire()} on {v.Worker}"))}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The same promise, read straight from the platform tables rather than through the grains.</summary>
    private async Task AssertDatabaseHoldsOneDebitAndOneSealPerSuccessAsync(IReadOnlyList<JobView> jobs)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Connection);
        async Task<Dictionary<string, long>> CountByJobAsync(string sql)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new() { Value = _clusterId });
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var counts = new Dictionary<string, long>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken)) counts[reader.GetString(0)] = reader.GetInt64(1);
            return counts;
        }
        var debits = await CountByJobAsync("SELECT job_id, count(*) FROM radmah_ledger_entries WHERE service_id = $1 AND entry_kind = 'debit' GROUP BY job_id");
        var seals = await CountByJobAsync("SELECT job_id, count(*) FROM radmah_seals WHERE service_id = $1 GROUP BY job_id");
        var succeeded = jobs.Where(j => j.Status == JobStatus.Succeeded).Select(j => j.Id).ToHashSet();
        Assert.Equal(succeeded.Order(), debits.Keys.Order());
        Assert.Equal(succeeded.Order(), seals.Keys.Order());
        Assert.All(debits.Values.Concat(seals.Values), count => Assert.Equal(1, count));
    }

    private static async Task AssertOneDebitAndOneSealPerSuccessAsync(IGrainFactory grains, IReadOnlyList<JobView> jobs, params string[] accounts)
    {
        var debits = new List<LedgerEntry>();
        foreach (var account in accounts) debits.AddRange((await grains.GetGrain<ICreditLedgerGrain>(account).GetEntriesAsync()).Where(e => e.Kind == LedgerEntryKind.Debit));
        var seals = await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).ListAsync(0, int.MaxValue);
        foreach (var job in jobs)
        {
            var expected = job.Status == JobStatus.Succeeded ? 1 : 0;
            Assert.Equal(expected, debits.Count(d => d.JobId == job.Id));
            Assert.Equal(expected, seals.Count(s => s.JobId == job.Id));
        }
        Assert.Equal(jobs.Where(j => j.Status == JobStatus.Succeeded).Sum(j => j.CreditsCharged), debits.Where(d => jobs.Any(j => j.Id == d.JobId)).Sum(d => d.Amount));
    }
}

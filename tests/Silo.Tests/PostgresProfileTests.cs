using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Silo;

namespace RadMah.Silo.Tests;

/// <summary>
/// The node on the PostgreSQL profile (Orleans' ADO.NET clustering, grain storage and reminders
/// against the schema in deploy/sql), against the real server ./test.sh starts with deploy/pg-up.sh.
/// </summary>
public sealed class PostgresProfileTests : IDisposable
{
    public const string ConnectionVariable = "RADMAH_TEST_PG";

    private readonly string _data = Directory.CreateTempSubdirectory("radmah-pg-node-").FullName;
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static string Connection =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ConnectionVariable} is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh.");

    private Task<IHost> StartNodeAsync() => NodeHost.StartAsync(new NodeOptions
    {
        DataDirectory = _data,
        Storage = StorageProfile.Postgres,
        PostgresConnectionString = Connection,
        ClusterId = _clusterId,
        SiloPort = FreePorts.Next(),
        GatewayPort = FreePorts.Next(),
        WithWeb = false,
        MinimumLogLevel = LogLevel.Warning,
    }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Jobs_keys_balances_and_seals_survive_a_restart_of_the_node()
    {
        string accountId, key, jobId;
        IReadOnlyList<string> digests;
        using (var first = await StartNodeAsync())
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            accountId = Ids.NewAccountId();
            var account = grains.GetGrain<IAccountGrain>(accountId);
            await account.CreateAsync(AccountPlan.Pro, 10m);
            key = (await account.CreateApiKeyAsync()).Key;
            var job = await account.CreateJobAsync(new JobSubmission("mock", 70_000, "flights", 3));
            jobId = job.Id;
            var grain = grains.GetGrain<IJobGrain>(jobId);
            while (!job.Status.IsTerminal()) job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
            Assert.Equal(JobStatus.Succeeded, job.Status);
            digests = (await grain.GetArtifactsAsync()).Select(a => a.ContentHash).ToArray();
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        using var second = await StartNodeAsync();
        var again = second.Services.GetRequiredService<IGrainFactory>();
        var info = await again.GetGrain<IApiKeyGrain>(ApiKeys.Hash(key)).ResolveAsync();
        Assert.NotNull(info);
        Assert.Equal(accountId, info.AccountId);
        Assert.False(info.Revoked);
        Assert.Equal(new LedgerBalance(9.93m, 0m), await again.GetGrain<ICreditLedgerGrain>(accountId).GetBalanceAsync());
        Assert.Single(await again.GetGrain<ICreditLedgerGrain>(accountId).GetEntriesAsync(), e => e.Kind == LedgerEntryKind.Debit);
        var restored = await again.GetGrain<IJobGrain>(jobId).GetAsync();
        Assert.Equal(JobStatus.Succeeded, restored.Status);
        Assert.Equal([JobStatus.Created, JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], restored.History.Select(h => h.Status));
        Assert.Equal(digests, (await again.GetGrain<IJobGrain>(jobId).GetArtifactsAsync()).Select(a => a.ContentHash));
        var seal = await again.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).FindAsync(jobId);
        Assert.NotNull(seal);
        Assert.Equal(digests, seal.Artifacts.Select(a => a.ContentHash));

        // The restored node keeps working: a rerun after the restart gives the same bytes.
        var rerun = await again.GetGrain<IAccountGrain>(accountId).RerunJobAsync(jobId);
        var rerunGrain = again.GetGrain<IJobGrain>(rerun.Id);
        while (!rerun.Status.IsTerminal()) rerun = await rerunGrain.WaitForChangeAsync(rerun.Version, TimeSpan.FromSeconds(10));
        Assert.Equal(digests, (await rerunGrain.GetArtifactsAsync()).Select(a => a.ContentHash));
        await second.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Postgres_profile_without_a_connection_string_is_refused()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            Storage = StorageProfile.Postgres,
            WithWeb = false,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
        }, TestContext.Current.CancellationToken));
        Assert.Contains("--pg", ex.Message);
    }
}

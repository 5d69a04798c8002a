using Microsoft.Extensions.DependencyInjection;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Silo.Tests;

/// <summary>
/// serve --storage sqlite: a real node process is killed (SIGKILL) while jobs run and started again
/// on the same --data. Accounts, jobs, credits and the seal log are all still there; the unfinished
/// jobs finish; nothing is debited or sealed twice.
/// </summary>
public sealed class SqliteRestartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-sqlite-restart-").FullName;
    private readonly string _clusterId = "sqlite-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _siloPort = FreePorts.Next();
    private readonly int _clusterPort = FreePorts.Next();
    private readonly List<NodeProcess> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        if (Environment.GetEnvironmentVariable("RADMAH_KEEP_TEST_LOGS") != "1") Directory.Delete(_dir, recursive: true);
    }

    private NodeProcess StartNode(int run)
    {
        var node = NodeProcess.Start("RadMah.Silo.dll", Path.Combine(_dir, $"node-{run}.log"),
            "--silo-only", "--storage", "sqlite", "--cluster-id", _clusterId, "--data", Path.Combine(_dir, "data"),
            "--silo-port", _siloPort.ToString(), "--cluster-port", _clusterPort.ToString(), "--dashboard-port", FreePorts.Next().ToString());
        _processes.Add(node);
        return node;
    }

    [Fact]
    public async Task A_killed_node_started_again_has_every_job_credit_and_seal_and_finishes_the_unfinished_jobs_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = StartNode(1);
        string accountId;
        var jobIds = new List<string>();
        CheckpointView published;
        using (var client = await ClusterClients.ConnectAsync(_clusterPort, _clusterId, [first]))
        {
            var grains = client.Services.GetRequiredService<IGrainFactory>();
            accountId = Ids.NewAccountId();
            await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 100m);
            for (var i = 0; i < 16; i++)
                jobIds.Add((await grains.GetGrain<IAccountJobsGrain>(accountId).CreateJobAsync(new JobSubmission("mock", 400_000, "sensor readings", 5))).Id);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var views = await Task.WhenAll(jobIds.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync()));
                if (views.Any(v => v.Status == JobStatus.Succeeded) && views.Count(v => !v.Status.IsTerminal()) >= 4) break;
                Assert.True(DateTime.UtcNow < deadline, "no job succeeded within 90 s");
                await Task.Delay(50, ct);
            }
            published = await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetCheckpointAsync();
        }
        first.Crash();

        var second = StartNode(2);
        using var again = await ClusterClients.ConnectAsync(_clusterPort, _clusterId, [second]);
        var after = again.Services.GetRequiredService<IGrainFactory>();
        var finished = await ClusterCrashTests.WaitAllTerminalAsync(after, jobIds, TimeSpan.FromMinutes(4));
        Assert.All(finished, v => Assert.Equal(JobStatus.Succeeded, v.Status));

        var entries = await after.GetGrain<ICreditLedgerGrain>(accountId).GetEntriesAsync();
        var seals = await after.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).ListAsync(0, int.MaxValue);
        foreach (var id in jobIds)
        {
            Assert.Single(entries, e => e.Kind == LedgerEntryKind.Debit && e.JobId == id);
            Assert.Single(seals, s => s.JobId == id);
        }
        Assert.Equal(Enumerable.Range(0, seals.Count).Select(i => (long)i), seals.Select(s => s.Index));
        // The log after the restart extends the one published before it: a consistency proof from that checkpoint verifies.
        var registry = after.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        var now = await registry.GetCheckpointAsync();
        var consistency = await registry.GetConsistencyAsync(published.TreeSize, now.TreeSize);
        Assert.Equal(published.RootHash, consistency.FromRoot);
        Assert.True(Engine.Transparency.MerkleTree.VerifyConsistency(published.TreeSize, now.TreeSize, consistency.Proof, published.RootHash, now.RootHash));
        var balance = await after.GetGrain<ICreditLedgerGrain>(accountId).GetBalanceAsync();
        Assert.Equal(new LedgerBalance(100m - jobIds.Count * 0.4m, 0m), balance);
        // The same rows whatever the attempt.
        var digests = new HashSet<string>();
        foreach (var id in jobIds)
            digests.Add((await after.GetGrain<IJobGrain>(id).GetArtifactsAsync()).Single(a => a.ArtifactType == "dataset.csv").ContentHash);
        Assert.Single(digests);
    }
}

using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using Npgsql;
using Orleans.TestingHost;
using RadMah.Grains.Hosting;
using RadMah.Grains.Records;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

/// <summary>
/// Two-silo clusters whose silos serve different tiers: work runs only on a silo serving its tier,
/// waits while none does, and survives the loss of the silo it ran on.
/// </summary>
public sealed class TierPlacementTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-tiers-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>Silo name → the tiers it serves, for the cluster being built.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _tiersByName = new();

    /// <summary>Builds a cluster whose silos serve the tier sets in <paramref name="tiersBySilo"/>, one set each.</summary>
    private async Task<InProcessTestCluster> StartAsync(string[][] tiersBySilo, Action<ISiloBuilder> storage, int? computeSlots = null, Action<ISiloBuilder>? extra = null)
    {
        var builder = new InProcessTestClusterBuilder((short)tiersBySilo.Length);
        var next = 0;
        var data = _data;
        builder.ConfigureSilo((options, silo) =>
        {
            var tiers = _tiersByName.GetOrAdd(options.SiloName, _ => tiersBySilo[Interlocked.Increment(ref next) - 1]);
            storage(silo);
            extra?.Invoke(silo);
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.WorkParallelism = 1;
                o.Slots = QueueTiers.All.ToDictionary(t => t, t => tiers.Contains(t) ? 2 : 0);
                if (computeSlots is { } cpu) o.ComputeSlots = cpu;
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static void InMemory(ISiloBuilder silo)
    {
        silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
        silo.UseInMemoryReminderService();
    }

    private static async Task<JobView> FinishAsync(IJobGrain job, TimeSpan timeout) => await job.WaitTerminalAsync(timeout);

    [Fact]
    public async Task A_line_left_as_one_grain_state_by_an_older_version_moves_to_rows_once_and_that_state_is_cleared()
    {
        await using var cluster = await StartAsync([[QueueTiers.Default]], InMemory);
        var services = ((InProcessSiloHandle)cluster.Silos[0]).SiloHost.Services;
        var storage = services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(RadMahStorage.Name);
        // The gpu tier: no silo serves it here, so what is carried over stays visibly in line.
        var queue = cluster.Client.GetGrain<IJobQueueGrain>(QueueTiers.Gpu);
        var grainId = queue.GetGrainId();
        string first = Ids.NewJobId(), second = Ids.NewJobId(), running = Ids.NewJobId();
        var legacy = new Queues.JobQueueState { Waiting = [first, second], RunningOn = new() { [running] = "127.0.0.1:1@1" } };
        await storage.WriteStateAsync("queue", grainId, new GrainState<Queues.JobQueueState>(legacy));

        // Activated by the first call; the pump then sends the job of a silo not in the cluster back to the front.
        // The pump is one-way and Orleans does not order it before the next call, so the depth is read until it turns.
        await queue.PumpAsync();
        var depth = await queue.GetDepthAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); depth.Running > 0 && DateTime.UtcNow < deadline; depth = await queue.GetDepthAsync())
            await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal((3, 0), (depth.Waiting, depth.Running));
        var stored = await services.GetRequiredService<Queues.IQueueLines>().ReadAsync(QueueTiers.Gpu, TestContext.Current.CancellationToken);
        Assert.Equal([running, first, second], stored.Rows.Select(r => r.JobId));
        Assert.All(stored.Rows, r => Assert.Null(r.Silo));
        var left = new GrainState<Queues.JobQueueState>();
        await storage.ReadStateAsync("queue", grainId, left);
        Assert.False(left.RecordExists);
    }

    [Fact]
    public async Task Work_runs_only_on_silos_serving_its_tier_and_waits_when_none_does()
    {
        await using var cluster = await StartAsync([[QueueTiers.Default, QueueTiers.Interactive], [QueueTiers.Free]], InMemory);
        var defaultHandle = cluster.Silos.Single(s => _tiersByName[s.Name].Contains(QueueTiers.Default));
        var freeHandle = cluster.Silos.Single(s => _tiersByName[s.Name].Contains(QueueTiers.Free));
        var defaultSilo = defaultHandle.SiloAddress.ToParsableString();
        var freeSilo = freeHandle.SiloAddress.ToParsableString();

        var pro = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 10m);
        var free = await cluster.Client.NewAccountAsync(AccountPlan.Free, 10m);

        var proJob = await FinishAsync(cluster.Client.GetGrain<IJobGrain>((await pro.CreateJobAsync(new JobSubmission("mock", 1_000, "orders"))).Id), TimeSpan.FromSeconds(30));
        var freeJob = await FinishAsync(cluster.Client.GetGrain<IJobGrain>((await free.CreateJobAsync(new JobSubmission("mock", 1_000, "orders"))).Id), TimeSpan.FromSeconds(30));
        Assert.Equal((JobStatus.Succeeded, QueueTiers.Default, defaultSilo), (proJob.Status, proJob.Tier, proJob.Worker));
        Assert.Equal((JobStatus.Succeeded, QueueTiers.Free, freeSilo), (freeJob.Status, freeJob.Tier, freeJob.Worker));

        // With the only free-tier silo gone, a free-plan job waits, visibly queued, and does not fail.
        // (This cluster keeps grain state in each silo's memory, so the account is made after the stop.)
        // The runner frees its slot just after the job turns succeeded; stop the silo once it has,
        // or the queue rightly counts that slot's job as lost work to restart.
        var settled = DateTime.UtcNow.AddSeconds(20);
        while ((await cluster.Client.GetGrain<IJobQueueGrain>(QueueTiers.Free).GetDepthAsync()).Running > 0)
        {
            Assert.True(DateTime.UtcNow < settled, "the free-tier slot was never freed");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        await cluster.StopSiloAsync(freeHandle, TestContext.Current.CancellationToken);
        var later = await cluster.Client.NewAccountAsync(AccountPlan.Free, 10m);
        var waiting = await later.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 2));
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Queued, (await cluster.Client.GetGrain<IJobGrain>(waiting.Id).GetAsync()).Status);
        var depth = await cluster.Client.GetGrain<IJobQueueGrain>(QueueTiers.Free).GetDepthAsync();
        Assert.Equal((1, 0, 0), (depth.Waiting, depth.Running, depth.Slots));
    }

    [Fact]
    public async Task A_slot_whose_release_was_lost_is_taken_back_and_the_tier_keeps_starting_work()
    {
        var ct = TestContext.Current.CancellationToken;
        var dropReleases = new LostReleases();
        await using var cluster = await StartAsync([[QueueTiers.Default]], InMemory, extra: silo => silo.AddOutgoingGrainCallFilter(dropReleases.InvokeAsync));
        var account = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 100m);
        var queue = cluster.Client.GetGrain<IJobQueueGrain>(QueueTiers.Default);

        // Both slots of the tier: each job succeeds, but its runner's release never reaches the queue.
        dropReleases.Enabled = true;
        foreach (var seed in new long[] { 1, 2 })
        {
            var done = await FinishAsync(cluster.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", seed))).Id), TimeSpan.FromSeconds(30));
            Assert.Equal(JobStatus.Succeeded, done.Status);
        }
        var released = DateTime.UtcNow.AddSeconds(10);
        while (dropReleases.Dropped < 2)
        {
            Assert.True(DateTime.UtcNow < released, "the runners never tried to release their slots");
            await Task.Delay(20, ct);
        }
        dropReleases.Enabled = false;

        // The next job still runs: the queue finds both slots held by runners that are not at work.
        var next = await FinishAsync(cluster.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 3))).Id), TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, next.Status);
        var settled = DateTime.UtcNow.AddSeconds(30);
        while ((await queue.GetDepthAsync()) is { Running: > 0 } or { Waiting: > 0 })
        {
            Assert.True(DateTime.UtcNow < settled, $"slots still held: {await queue.GetDepthAsync()}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Fault injection: while enabled, a runner's call to free its slot fails as if the queue's silo had died.</summary>
    private sealed class LostReleases
    {
        private int _dropped;

        public volatile bool Enabled;

        public int Dropped => Volatile.Read(ref _dropped);

        public Task InvokeAsync(IOutgoingGrainCallContext context)
        {
            if (Enabled && context.InterfaceMethod.Name == nameof(IJobQueueGrain.ReleaseAsync) && context.SourceContext?.GrainInstance is Jobs.JobRunnerGrain)
            {
                Interlocked.Increment(ref _dropped);
                throw new SiloUnavailableException("injected: the queue's silo is gone");
            }
            return context.Invoke();
        }
    }

    [Fact]
    public async Task On_a_shared_cpu_interactive_work_goes_ahead_of_default_and_default_ahead_of_free()
    {
        var ct = TestContext.Current.CancellationToken;
        // Every tier has 2 slots, but the silo computes one job at a time.
        await using var cluster = await StartAsync([[QueueTiers.Default, QueueTiers.Interactive, QueueTiers.Free]], InMemory, computeSlots: 1);
        var gate = ((InProcessSiloHandle)cluster.Silos[0]).SiloHost.Services.GetRequiredService<Queues.ComputeGate>();
        var pro = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 100m);
        var free = await cluster.Client.NewAccountAsync(AccountPlan.Free, 100m);

        // A long default job takes the CPU; then free, default and interactive jobs arrive, in that order.
        var blocker = cluster.Client.GetGrain<IJobGrain>((await pro.CreateJobAsync(new JobSubmission("mock", 3_000_000, "orders", 1))).Id);
        await blocker.WaitUntilAsync(v => v.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        var freeJob = cluster.Client.GetGrain<IJobGrain>((await free.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 2))).Id);
        var defaultJob = cluster.Client.GetGrain<IJobGrain>((await pro.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 3))).Id);
        var interactiveJob = cluster.Client.GetGrain<IJobGrain>((await pro.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 4, Interactive: true))).Id);

        // All three hold a slot of their tier and wait, still queued, for the CPU.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (gate.WaitingIn(QueueTiers.Free) + gate.WaitingIn(QueueTiers.Default) + gate.WaitingIn(QueueTiers.Interactive) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the three jobs never reached the CPU gate");
            await Task.Delay(20, ct);
        }
        Assert.Equal(JobStatus.Running, (await blocker.GetAsync()).Status);
        foreach (var waiting in new[] { freeJob, defaultJob, interactiveJob })
            Assert.Equal(JobStatus.Queued, (await waiting.GetAsync()).Status);

        var done = new[] { await FinishAsync(interactiveJob, TimeSpan.FromMinutes(2)), await FinishAsync(defaultJob, TimeSpan.FromMinutes(2)), await FinishAsync(freeJob, TimeSpan.FromMinutes(2)) };
        Assert.All(done, v => Assert.Equal(JobStatus.Succeeded, v.Status));
        Assert.Equal([QueueTiers.Interactive, QueueTiers.Default, QueueTiers.Free], done.Select(v => v.Tier));
        Assert.True(done[0].StartedAt < done[1].StartedAt && done[1].StartedAt < done[2].StartedAt,
            $"started: interactive {done[0].StartedAt:O}, default {done[1].StartedAt:O}, free {done[2].StartedAt:O}");
        Assert.Equal(JobStatus.Succeeded, (await FinishAsync(blocker, TimeSpan.FromMinutes(2))).Status);
    }

    [Fact]
    public async Task A_job_whose_silo_dies_finishes_on_a_survivor_with_the_same_bytes_one_seal_and_one_debit()
    {
        var connection = Environment.GetEnvironmentVariable("RADMAH_TEST_PG")
            ?? throw new InvalidOperationException("RADMAH_TEST_PG is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh.");
        DbProviderFactories.RegisterFactory("Npgsql", NpgsqlFactory.Instance);
        void Durable(ISiloBuilder silo)
        {
            // Grain state and reminders must outlive a silo for its jobs to be picked up elsewhere.
            silo.AddAdoNetGrainStorage(RadMahStorage.Name, o => { o.Invariant = "Npgsql"; o.ConnectionString = connection; });
            silo.UseAdoNetReminderService(o => { o.Invariant = "Npgsql"; o.ConnectionString = connection; });
            silo.AddPostgresPlatformRecords(connection);
        }
        await using var cluster = await StartAsync([[QueueTiers.Default], [QueueTiers.Default]], Durable);
        var account = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 100m);

        // A reference run nobody disturbs.
        var reference = await FinishAsync(cluster.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 3_000_000, "orders", 8))).Id), TimeSpan.FromMinutes(2));
        var referenceDigests = (await cluster.Client.GetGrain<IJobGrain>(reference.Id).GetArtifactsAsync()).Outputs().Select(a => a.ContentHash).ToArray();

        // The same contract again; kill the silo its work runs on while it runs.
        var job = cluster.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 3_000_000, "orders", 8))).Id);
        var running = await job.WaitUntilAsync(v => v.Status == JobStatus.Running && v.RowsDone > 0, TimeSpan.FromSeconds(60));
        var victim = cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == running.Worker);
        await cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);

        var done = await FinishAsync(job, TimeSpan.FromMinutes(3));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.True(done.Attempts >= 2, $"expected a second attempt, saw {done.Attempts}");
        Assert.NotEqual(running.Worker, done.Worker);
        Assert.Equal(referenceDigests, (await job.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
        var debits = (await cluster.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString()).GetEntriesAsync()).Where(e => e.Kind == LedgerEntryKind.Debit && e.JobId == done.Id);
        Assert.Single(debits);
        var seals = await cluster.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).ListAsync(0, int.MaxValue);
        Assert.Single(seals, s => s.JobId == done.Id);
    }
}

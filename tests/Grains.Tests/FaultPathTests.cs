using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RadMah.Artifacts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

/// <summary>
/// Faults injected into a silo's grain calls and artifact store: a submission whose undoing fails
/// leaves no hold for good, and finished work outlives transient faults instead of being run again or failed.
/// </summary>
public sealed class FaultPathTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-faults-").FullName;
    private readonly FaultInjection _faults = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var data = _data;
        var faults = _faults;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddIncomingGrainCallFilter(faults);
            silo.Services.AddSingleton(faults.Wrap(new LocalDiskArtifactStore(data, durable: false)));
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.WorkParallelism = 1;
                o.HoldSweepAge = TimeSpan.FromSeconds(1);
                o.HoldSweepPeriod = TimeSpan.FromSeconds(1);
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private IGrainFactory Grains => _cluster.Client;

    private async Task<LedgerBalance> SettledBalanceAsync(IAccountJobsGrain account, TimeSpan within)
    {
        var ledger = Grains.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString());
        var deadline = DateTime.UtcNow + within;
        var balance = await ledger.GetBalanceAsync();
        while (balance.Held != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            balance = await ledger.GetBalanceAsync();
        }
        return balance;
    }

    [Fact]
    public async Task A_submission_that_fails_and_cannot_be_undone_leaves_no_hold_for_good()
    {
        var account = await Grains.NewAccountAsync(AccountPlan.Pro, 10m);
        // The job is never created, and undoing it fails too (the silo holding it is unreachable).
        _faults.FailBefore<IJobGrain>(nameof(IJobGrain.SubmitAsync), 1);
        _faults.FailBefore<IJobGrain>(nameof(IJobGrain.CancelAsync), 1_000);
        await Assert.ThrowsAnyAsync<Exception>(() => account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders")));
        var ledger = Grains.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString());

        // The ledger's sweep finds the hold's job missing and releases it; the failed submission did
        // not (it cannot know whether the job exists), so the release comes no sooner than the sweep age.
        Assert.Equal(new LedgerBalance(10m, 0m), await SettledBalanceAsync(account, TimeSpan.FromSeconds(15)));
        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        var entries = await ledger.GetEntriesAsync();
        Assert.Equal([LedgerEntryKind.Deposit, LedgerEntryKind.Hold, LedgerEntryKind.Release], entries.Select(e => e.Kind));
        Assert.Equal(0.005m, entries[1].Amount);
        Assert.True(entries[2].AtUtc - entries[1].AtUtc >= TimeSpan.FromSeconds(1), $"released {entries[2].AtUtc - entries[1].AtUtc} after the hold");
    }

    [Fact]
    public async Task A_submission_whose_reply_is_lost_is_undone_and_its_hold_released_at_once()
    {
        var account = await Grains.NewAccountAsync(AccountPlan.Pro, 10m);
        _faults.LoseReply<IJobGrain>(nameof(IJobGrain.SubmitAsync), 1);
        await Assert.ThrowsAnyAsync<Exception>(() => account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders")));
        Assert.Equal(new LedgerBalance(10m, 0m), await Grains.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString()).GetBalanceAsync());
        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
    }

    [Fact]
    public async Task Finished_work_keeps_reporting_through_transient_faults_and_is_not_run_again()
    {
        var account = await Grains.NewAccountAsync(AccountPlan.Pro, 10m);
        // The job's grain cannot be reached for a while after the work finished (its silo died and
        // the cluster has not yet declared it dead).
        _faults.FailBefore<IJobGrain>(nameof(IJobGrain.CompleteWorkAsync), 3);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders", 3));
        var done = await Grains.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(0.005m, done.CreditsCharged);
    }

    [Fact]
    public async Task A_promotion_that_meets_a_restarting_database_is_retried_and_the_job_succeeds()
    {
        var account = await Grains.NewAccountAsync(AccountPlan.Pro, 10m);
        _faults.FailPromotions(2);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders", 4));
        var done = await Grains.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync(TimeSpan.FromSeconds(60));
        Assert.True(done.Status == JobStatus.Succeeded, done.Error);
        Assert.Equal(1, done.Attempts);
        Assert.True(_faults.Fired >= 2);
    }

    [Fact]
    public async Task A_failed_job_whose_release_did_not_get_through_has_its_hold_swept()
    {
        var account = await Grains.NewAccountAsync(AccountPlan.Pro, 10m);
        // The work fails for a reason of its own (its outputs cannot be stored, and not because of
        // a passing fault), and the release of its hold fails every time the job asks.
        _faults.FailPromotions(1, () => new IOException("injected fault: no space left on device"));
        _faults.FailBefore<ICreditLedgerGrain>(nameof(ICreditLedgerGrain.ReleaseAsync), 20);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders", 5));
        var done = await Grains.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("no space left on device", done.Error);
        Assert.Equal(new LedgerBalance(10m, 0m), await SettledBalanceAsync(account, TimeSpan.FromSeconds(20)));
    }
}

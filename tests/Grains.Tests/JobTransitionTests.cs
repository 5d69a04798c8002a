using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Tests;

/// <summary>Every move the job grain offers, tried from every state: legal ones happen, illegal ones are refused and change nothing.</summary>
public class JobTransitionTests(ClusterFixture fixture)
{
    public enum Move { Enqueue, Begin, Complete, Fail, Cancel }

    private static JobStatus? Expected(JobStatus from, Move move) => (from, move) switch
    {
        (JobStatus.Created, Move.Enqueue) => JobStatus.Queued,
        (JobStatus.Queued, Move.Begin) => JobStatus.Running,
        (JobStatus.Running, Move.Complete) => JobStatus.Succeeded,
        (JobStatus.Running, Move.Fail) => JobStatus.Failed,
        (JobStatus.Created or JobStatus.Queued or JobStatus.Running, Move.Cancel) => JobStatus.Canceled,
        _ => null,
    };

    public static TheoryData<JobStatus, Move> Cases()
    {
        var data = new TheoryData<JobStatus, Move>();
        foreach (var s in Enum.GetValues<JobStatus>())
            foreach (var m in Enum.GetValues<Move>())
                data.Add(s, m);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_move_from_each_state(JobStatus from, Move move)
    {
        var manual = await (await ManualJob.CreateAsync(fixture)).ToAsync(from);
        var before = await manual.Job.GetAsync();
        Assert.Equal(from, before.Status);
        var expected = Expected(from, move);

        Func<Task> act = move switch
        {
            Move.Enqueue => () => manual.Job.EnqueueAsync(),
            Move.Begin => async () =>
            {
                // BeginAttempt is the queue's question "may this job start?": a no is null, not an error.
                if (await manual.Job.BeginAttemptAsync(manual.Worker) is null)
                    throw new RadMahException(RadMahException.FailedPrecondition, "not queued");
            },
            Move.Complete => () => manual.Job.CompleteWorkAsync([]),
            Move.Fail => () => manual.Job.FailWorkAsync("boom"),
            Move.Cancel => () => manual.Job.CancelAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(move)),
        };

        if (from == JobStatus.Running && move == Move.Begin)
        {
            // The queue restarts a running job only when its worker silo is gone: a new attempt, same state.
            await act();
            var after = await manual.Job.GetAsync();
            Assert.Equal(JobStatus.Running, after.Status);
            Assert.Equal(before.History, after.History);
            Assert.Equal(before.Attempts + 1, after.Attempts);
        }
        else if (expected is { } to)
        {
            await act();
            var after = await manual.Job.GetAsync();
            Assert.Equal(to, after.Status);
            Assert.Equal(to, after.History[^1].Status);
            Assert.Equal(before.History.Count + 1, after.History.Count);
        }
        else if ((from == JobStatus.Canceled && move is Move.Complete or Move.Fail) || (from == JobStatus.Failed && move == Move.Fail))
        {
            // Late reports from work that was already canceled are absorbed: the job stays canceled.
            // A failure reported again (a runner retrying after its first reply was lost) changes nothing.
            await act();
            var after = await manual.Job.GetAsync();
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.History, after.History);
            if (from == JobStatus.Failed) Assert.Equal(before.Version, after.Version);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(act);
            Assert.Equal(RadMahException.FailedPrecondition, ex.Code);
            var after = await manual.Job.GetAsync();
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.History, after.History);
            Assert.Equal(before.Version, after.Version);
        }
    }

    [Theory]
    [InlineData(JobStatus.Created)]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    public async Task Cancel_releases_the_hold_and_leaves_no_seal_or_debit(JobStatus from)
    {
        var manual = await (await ManualJob.CreateAsync(fixture)).ToAsync(from);
        Assert.Equal(manual.Held, (await manual.Ledger.GetBalanceAsync()).Held);
        var view = await manual.Job.CancelAsync();
        Assert.Equal(JobStatus.Canceled, view.Status);
        Assert.NotNull(view.FinishedAt);
        var balance = await manual.Ledger.GetBalanceAsync();
        Assert.Equal(0m, balance.Held);
        Assert.Equal(10m, balance.Balance);
        Assert.DoesNotContain(await manual.Ledger.GetEntriesAsync(), e => e.Kind == LedgerEntryKind.Debit);
        Assert.Null(await fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).FindAsync(manual.JobId));
        Assert.Empty(await manual.Job.GetArtifactsAsync());
    }

    [Fact]
    public async Task Failure_records_the_error_and_releases_the_hold()
    {
        var manual = await (await ManualJob.CreateAsync(fixture)).ToAsync(JobStatus.Failed);
        var view = await manual.Job.GetAsync();
        Assert.Equal("the test failed it", view.Error);
        Assert.Equal(0m, (await manual.Ledger.GetBalanceAsync()).Held);
        Assert.Equal(10m, (await manual.Ledger.GetBalanceAsync()).Balance);
        Assert.Null(await fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).FindAsync(manual.JobId));
    }

    [Fact]
    public async Task A_repeated_completion_neither_seals_nor_charges_twice()
    {
        var manual = await (await ManualJob.CreateAsync(fixture)).ToAsync(JobStatus.Succeeded);
        await Assert.ThrowsAsync<RadMahException>(() => manual.Job.CompleteWorkAsync([]));
        var registry = fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        var seals = await registry.ListAsync(0, int.MaxValue);
        Assert.Single(seals, s => s.JobId == manual.JobId);
        var debits = (await manual.Ledger.GetEntriesAsync()).Where(e => e.Kind == LedgerEntryKind.Debit).ToList();
        Assert.Single(debits);
        Assert.Equal(manual.Held, debits[0].Amount);
        Assert.Equal(manual.Held, (await manual.Job.GetAsync()).CreditsCharged);
    }

    [Fact]
    public async Task History_records_each_transition_in_order_with_UTC_times()
    {
        var manual = await (await ManualJob.CreateAsync(fixture)).ToAsync(JobStatus.Succeeded);
        var view = await manual.Job.GetAsync();
        Assert.Equal([JobStatus.Created, JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], view.History.Select(h => h.Status));
        Assert.All(view.History, h => Assert.Equal(DateTimeKind.Utc, h.AtUtc.Kind));
        Assert.True(view.History.Zip(view.History.Skip(1)).All(p => p.First.AtUtc <= p.Second.AtUtc));
        Assert.Equal(1, view.Attempts);
    }

    [Fact]
    public async Task An_unknown_job_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<RadMahException>(() => fixture.Client.GetGrain<IJobGrain>("job_doesnotexist000000").GetAsync());
        Assert.Equal(RadMahException.NotFound, ex.Code);
        Assert.Equal("job_id", ex.Field);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using RadMah.Grains.Jobs;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

public class ProcessMemoryGrainStorageTests
{
#nullable disable
    private sealed class TestGrainState<T> : IGrainState<T>
    {
        public T State { get; set; }
        public string ETag { get; set; }
        public bool RecordExists { get; set; }
    }
#nullable enable

    private static ProcessMemoryGrainStorage NewStorage() =>
        new("test", new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    [Fact]
    public async Task Writes_are_copies_and_reads_return_them()
    {
        var storage = NewStorage();
        var id = GrainId.Create("ledger", "acct_a");
        var live = new TestGrainState<JobState> { State = new JobState { CreditsCharged = 5m } };
        await storage.WriteStateAsync("ledger", id, live);
        live.State.CreditsCharged = 99m; // not written: must not leak into storage
        var read = new TestGrainState<JobState> { State = new JobState() };
        await storage.ReadStateAsync("ledger", id, read);
        Assert.Equal(5m, read.State.CreditsCharged);
        Assert.True(read.RecordExists);
        Assert.Equal(live.ETag, read.ETag);
        Assert.NotSame(live.State, read.State);
    }

    [Fact]
    public async Task A_stale_etag_is_refused_and_changes_nothing()
    {
        var storage = NewStorage();
        var id = GrainId.Create("ledger", "acct_b");
        var first = new TestGrainState<JobState> { State = new JobState { CreditsCharged = 1m } };
        await storage.WriteStateAsync("ledger", id, first);
        var second = new TestGrainState<JobState> { State = new JobState { CreditsCharged = 2m }, ETag = first.ETag };
        await storage.WriteStateAsync("ledger", id, second);
        first.State.CreditsCharged = 3m;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("ledger", id, first));
        var fresh = new TestGrainState<JobState> { State = new JobState { CreditsCharged = 4m } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("ledger", id, fresh));
        var read = new TestGrainState<JobState> { State = new JobState() };
        await storage.ReadStateAsync("ledger", id, read);
        Assert.Equal(2m, read.State.CreditsCharged);
    }

    [Fact]
    public async Task Clearing_removes_the_record()
    {
        var storage = NewStorage();
        var id = GrainId.Create("ledger", "acct_c");
        var state = new TestGrainState<JobState> { State = new JobState { CreditsCharged = 1m } };
        await storage.WriteStateAsync("ledger", id, state);
        await storage.ClearStateAsync("ledger", id, state);
        var read = new TestGrainState<JobState> { State = new JobState() };
        await storage.ReadStateAsync("ledger", id, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0m, read.State.CreditsCharged);
    }
}

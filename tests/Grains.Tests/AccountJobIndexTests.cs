using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Tests;

/// <summary>An account's job index past one chunk: closed chunks, listing across them, and the chunk grain's own checks.</summary>
public class AccountJobIndexTests(ClusterFixture fixture)
{
    private const int ChunkSize = IAccountJobChunkGrain.ChunkSize;

    [Fact]
    public async Task Jobs_past_a_chunk_are_listed_once_each_newest_first_across_chunk_boundaries()
    {
        var account = await fixture.NewAccountAsync(credits: 1_000m);
        var ids = new List<string>();
        // Two closed chunks and a few more in the open end.
        for (var i = 0; i < 2 * ChunkSize + 5; i++)
            ids.Add((await account.CreateJobAsync(new JobSubmission("mock", 1, "orders", i))).Id);

        var chunk0 = fixture.Client.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(account.GetPrimaryKeyString(), 0));
        Assert.Equal(ids.Take(ChunkSize), await chunk0.GetAsync());
        var chunk1 = fixture.Client.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(account.GetPrimaryKeyString(), 1));
        Assert.Equal(ids.Skip(ChunkSize).Take(ChunkSize), await chunk1.GetAsync());

        // Pages of 100 (not aligned with the chunks: the newest page starts 5 jobs into the open end) and
        // of 7 (which does not divide a chunk) give every job once, newest first.
        foreach (var limit in new[] { 100, 7 })
        {
            var listed = new List<string>();
            string? token = null;
            do
            {
                var page = await account.ListJobsAsync(limit, token);
                Assert.InRange(page.Jobs.Count, 1, limit);
                listed.AddRange(page.Jobs.Select(j => j.Id));
                token = page.NextPageToken;
            } while (token is not null);
            Assert.Equal(Enumerable.Reverse(ids), listed);
        }

        // Jobs in closed chunks are still the account's: rerun finds them.
        var rerun = await account.RerunJobAsync(ids[0]);
        Assert.Equal(rerun.Id, (await account.ListJobsAsync(1, null)).Jobs.Single().Id);
        Assert.True(await account.OwnsJobAsync(ids[0]));
        Assert.False(await (await fixture.NewAccountAsync()).OwnsJobAsync(ids[0]));
        Assert.False(await account.OwnsJobAsync("job_aaaaaaaaaaaaaaaaaaaa"));
        Assert.False(await account.OwnsJobAsync("not-a-job"));
    }

    [Fact]
    public async Task A_chunk_is_written_once_and_refuses_bad_input()
    {
        var accountId = Ids.NewAccountId();
        var chunk = fixture.Client.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(accountId, 0));
        Assert.Equal(RadMahException.NotFound, (await Assert.ThrowsAsync<RadMahException>(() => chunk.GetAsync())).Code);

        var ids = Enumerable.Range(0, ChunkSize).Select(_ => Ids.NewJobId()).ToArray();
        Assert.Equal("job_ids", (await Assert.ThrowsAsync<RadMahException>(() => chunk.StoreAsync(ids[..^1]))).Field);
        Assert.Equal("job_ids", (await Assert.ThrowsAsync<RadMahException>(() => chunk.StoreAsync(null!))).Field);
        Assert.Equal("job_ids", (await Assert.ThrowsAsync<RadMahException>(() => chunk.StoreAsync([.. ids[..^1], "job_../../etc"]))).Field);
        // Nothing was stored by the refusals.
        Assert.Equal(RadMahException.NotFound, (await Assert.ThrowsAsync<RadMahException>(() => chunk.GetAsync())).Code);

        await chunk.StoreAsync(ids);
        await chunk.StoreAsync(ids); // a close repeated after a crash
        Assert.Equal(ids, await chunk.GetAsync());
        var other = ids.Reverse().ToArray();
        Assert.Equal(RadMahException.FailedPrecondition, (await Assert.ThrowsAsync<RadMahException>(() => chunk.StoreAsync(other))).Code);
        Assert.Equal(ids, await chunk.GetAsync());

        var badKey = fixture.Client.GetGrain<IAccountJobChunkGrain>(accountId);
        Assert.Equal("chunk", (await Assert.ThrowsAsync<RadMahException>(() => badKey.StoreAsync(ids))).Field);
    }
}

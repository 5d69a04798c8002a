using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>Job creation with an idempotency key: a retried create returns its job and holds nothing again.</summary>
public sealed class IdempotencyKeyTests(ClusterFixture fixture)
{
    private static readonly JobSubmission Orders = new("mock", 5_000, "orders", 3);

    private ICreditLedgerGrain Ledger(IAccountJobsGrain account) => fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString());

    private async Task<IReadOnlyList<LedgerEntry>> HoldsAsync(IAccountJobsGrain account) =>
        (await Ledger(account).GetEntriesAsync()).Where(e => e.Kind == LedgerEntryKind.Hold).ToList();

    [Fact]
    public async Task Twenty_concurrent_creates_with_one_key_give_exactly_one_job_and_one_hold()
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var key = Guid.NewGuid().ToString();
        var views = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => account.CreateJobAsync(Orders, key)));
        Assert.Single(views.Select(v => v.Id).Distinct());
        var page = await account.ListJobsAsync(100, null);
        Assert.Equal([views[0].Id], page.Jobs.Select(j => j.Id));
        var hold = Assert.Single(await HoldsAsync(account));
        Assert.Equal(views[0].Id, hold.JobId);
        Assert.Equal(0.005m, hold.Amount);
    }

    [Fact]
    public async Task A_key_reused_after_its_job_finished_returns_that_job_and_charges_nothing_more()
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var key = Guid.NewGuid().ToString();
        var created = await account.CreateJobAsync(Orders, key);
        var finished = await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        var balance = await Ledger(account).GetBalanceAsync();

        // An absent kind reads as mock, its default: the same request.
        var again = await account.CreateJobAsync(Orders with { Kind = "" }, key);
        Assert.Equal(created.Id, again.Id);
        Assert.Equal(JobStatus.Succeeded, again.Status);
        Assert.Equal(balance, await Ledger(account).GetBalanceAsync());
        Assert.Single((await account.ListJobsAsync(100, null)).Jobs);
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_refused_as_a_conflict_and_creates_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var key = Guid.NewGuid().ToString();
        var created = await account.CreateJobAsync(Orders, key);
        foreach (var different in new[] { Orders with { Rows = 5_001 }, Orders with { Seed = 4 }, Orders with { Params = new Dictionary<string, string> { ["locale"] = "en" } } })
        {
            var refused = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(different, key));
            Assert.Equal(RadMahException.Conflict, refused.Code);
            Assert.Equal(IdempotencyKeys.Header, refused.Field);
            Assert.Contains(created.Id, refused.Message);
        }
        Assert.Single((await account.ListJobsAsync(100, null)).Jobs);
        Assert.Single(await HoldsAsync(account));
    }

    [Fact]
    public async Task A_refused_create_frees_its_key_so_the_same_request_can_succeed_later()
    {
        var account = await fixture.NewAccountAsync(credits: 0.001m);
        var key = Guid.NewGuid().ToString();
        var refused = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(Orders, key));
        Assert.Equal(RadMahException.InsufficientCredits, refused.Code);
        await fixture.Client.GetGrain<IAccountGrain>(account.GetPrimaryKeyString()).TopUpAsync(1m);
        var created = await account.CreateJobAsync(Orders, key);
        Assert.Equal(created.Id, (await account.CreateJobAsync(Orders, key)).Id);
        Assert.Single((await account.ListJobsAsync(100, null)).Jobs);
    }

    [Fact]
    public async Task Keys_belong_to_their_account()
    {
        var one = await fixture.NewAccountAsync(credits: 10m);
        var two = await fixture.NewAccountAsync(credits: 10m);
        var key = Guid.NewGuid().ToString();
        Assert.NotEqual((await one.CreateJobAsync(Orders, key)).Id, (await two.CreateJobAsync(Orders, key)).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("é")]
    public async Task A_malformed_key_is_refused_and_creates_nothing(string key)
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var refused = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(Orders, key));
        Assert.Equal(RadMahException.InvalidArgument, refused.Code);
        Assert.Equal(IdempotencyKeys.Header, refused.Field);
        await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(Orders, new string('k', IdempotencyKeys.MaxLength + 1)));
        Assert.Empty((await account.ListJobsAsync(100, null)).Jobs);
        Assert.Empty(await HoldsAsync(account));
    }
}

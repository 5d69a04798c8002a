using RadMah.Engine.Mock.Description;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Tests;

/// <summary>The one-step submit path: created and queued with one write, safe to repeat.</summary>
public class JobSubmitTests(ClusterFixture fixture)
{
    private static JobDefinition Definition(string accountId, long seed)
    {
        var sealedContract = DescriptionCompiler.Compile("orders", 1_000, seed).Contract.Seal();
        return new JobDefinition
        {
            JobId = Ids.NewJobId(),
            AccountId = accountId,
            Kind = "mock",
            Rows = 1_000,
            Seed = seed,
            Description = "orders",
            ContractJson = sealedContract.CanonicalJson,
            ContractDigest = sealedContract.Digest,
            CreditsHeld = 0.001m,
            Tier = QueueTiers.Free,
        };
    }

    [Fact]
    public async Task Submit_records_created_then_queued_and_a_repeat_changes_nothing()
    {
        var accountId = Ids.NewAccountId();
        await fixture.Client.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 10m);
        var definition = Definition(accountId, 1);
        var job = fixture.Client.GetGrain<IJobGrain>(definition.JobId);

        var first = await job.SubmitAsync(definition);
        var again = await job.SubmitAsync(definition);

        Assert.Equal(JobStatus.Queued, first.Status);
        Assert.Equal([JobStatus.Created, JobStatus.Queued], first.History.Select(h => h.Status));
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(first.History.Count, again.History.Count);
    }

    [Fact]
    public async Task Submit_of_a_different_definition_under_an_existing_id_is_refused_and_changes_nothing()
    {
        var accountId = Ids.NewAccountId();
        await fixture.Client.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 10m);
        var definition = Definition(accountId, 1);
        var job = fixture.Client.GetGrain<IJobGrain>(definition.JobId);
        var before = await job.SubmitAsync(definition);

        var error = await Assert.ThrowsAsync<RadMahException>(() => job.SubmitAsync(Definition(accountId, 2) with { JobId = definition.JobId }));

        Assert.Equal(RadMahException.FailedPrecondition, error.Code);
        var after = await job.GetAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(definition.ContractDigest, (await job.GetDefinitionAsync()).ContractDigest);
    }

    [Fact]
    public async Task Submit_for_another_jobs_id_is_refused()
    {
        var definition = Definition(Ids.NewAccountId(), 1);
        var error = await Assert.ThrowsAsync<RadMahException>(() => fixture.Client.GetGrain<IJobGrain>(Ids.NewJobId()).SubmitAsync(definition));
        Assert.Equal(RadMahException.InvalidArgument, error.Code);
    }
}

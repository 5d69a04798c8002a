using RadMah.Grains.Interfaces;
using RadMah.Engine.Mock.Description;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Tests;

/// <summary>
/// A job driven by hand through the grain's own methods, on the free tier where no slot ever
/// starts a runner. Lets tests put a job in any state and try every move from there.
/// </summary>
public sealed record ManualJob(IJobGrain Job, ICreditLedgerGrain Ledger, string JobId, decimal Held, string Worker)
{
    public static async Task<ManualJob> CreateAsync(ClusterFixture fixture)
    {
        var accountId = Ids.NewAccountId();
        await fixture.Client.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 10m);
        var compiled = DescriptionCompiler.Compile("orders", 1_000, 5);
        var sealedContract = compiled.Contract.Seal();
        var jobId = Ids.NewJobId();
        var ledger = fixture.Client.GetGrain<ICreditLedgerGrain>(accountId);
        await ledger.HoldAsync(jobId, 0.001m);
        var job = fixture.Client.GetGrain<IJobGrain>(jobId);
        await job.InitializeAsync(new JobDefinition
        {
            JobId = jobId,
            AccountId = accountId,
            Kind = "mock",
            Rows = 1_000,
            Seed = 5,
            Description = "orders",
            ContractJson = sealedContract.CanonicalJson,
            ContractDigest = sealedContract.Digest,
            CreditsHeld = 0.001m,
            Tier = QueueTiers.Free,
        });
        return new ManualJob(job, ledger, jobId, 0.001m, fixture.WorkerSilo);
    }

    /// <summary>Moves the job to <paramref name="target"/> along legal moves.</summary>
    public async Task<ManualJob> ToAsync(JobStatus target)
    {
        if (target == JobStatus.Created) return this;
        if (target == JobStatus.Canceled) { await Job.CancelAsync(); return this; }
        await Job.EnqueueAsync();
        if (target == JobStatus.Queued) return this;
        Assert.NotNull(await Job.BeginAttemptAsync(Worker));
        if (target == JobStatus.Running) return this;
        if (target == JobStatus.Succeeded) await Job.CompleteWorkAsync([]);
        else await Job.FailWorkAsync("the test failed it");
        return this;
    }
}

using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>What an in-cluster client does around jobs over data: upload a file, run a job to its end, read an artifact.</summary>
public sealed class JobFlow(ClusterFixture fixture)
{
    // One instance: small staged files live in its memory until promoted.
    public LocalDiskArtifactStore Store { get; } = new(fixture.DataDirectory);

    public ICreditLedgerGrain Ledger(IAccountJobsGrain account) => fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString());

    /// <inheritdoc cref="DatasetUploads.UploadAsync"/>
    public Task<DatasetRecord> UploadAsync(IAccountJobsGrain account, string text, string name) =>
        DatasetUploads.UploadAsync(fixture.Client, Store, account.GetPrimaryKeyString(), text, name);

    /// <summary>Submits a job and waits for it to succeed; its view and artifacts.</summary>
    public async Task<(JobView Job, IReadOnlyList<ArtifactRecord> Artifacts)> RunAsync(IAccountJobsGrain account, JobSubmission submission)
    {
        var created = await account.CreateJobAsync(submission);
        var job = fixture.Client.GetGrain<IJobGrain>(created.Id);
        var done = await job.WaitTerminalAsync();
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Kind} job {done.Id} is {done.Status.ToWire()}: {done.Error}");
        return (done, await job.GetArtifactsAsync());
    }

    public async Task<string> ReadAsync(ArtifactRecord artifact)
    {
        await using var stream = Store.OpenRead(artifact.ContentHash);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }
}

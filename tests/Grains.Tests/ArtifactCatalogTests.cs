using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RadMah.Grains.Artifacts;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Tests;

public sealed class ArtifactCatalogTests(ClusterFixture fixture)
{
    private static ArtifactRecord NewRecord(string accountId)
    {
        var jobId = Ids.NewJobId();
        return new ArtifactRecord
        {
            Id = Ids.ArtifactId(jobId, "data.csv"),
            JobId = jobId,
            AccountId = accountId,
            ArtifactType = "dataset.csv",
            ContentHash = "sha256:" + string.Concat(Enumerable.Repeat("ab12", 16)),
            SizeBytes = 42,
            MediaType = "text/csv",
            Name = "data.csv",
            CreatedAt = DateTime.UtcNow,
        };
    }

    [Fact]
    public async Task Registering_the_same_record_again_is_a_no_op_and_other_content_under_its_id_is_refused()
    {
        var records = InMemoryPlatformRecords.ForService("catalog-test-" + Guid.NewGuid().ToString("N"));
        var catalog = new ArtifactCatalog(records);
        var accountId = Ids.NewAccountId();
        await records.CreateAccountAsync(new AccountRow(accountId, "pro", false, DateTime.UtcNow), null, TestContext.Current.CancellationToken);
        var record = NewRecord(accountId);
        await catalog.RegisterAsync(record);
        // A resumed commit registers again, with a later timestamp: the stored row stands.
        await catalog.RegisterAsync(record with { CreatedAt = record.CreatedAt.AddSeconds(5) });
        var refused = await Assert.ThrowsAsync<RadMahException>(() => catalog.RegisterAsync(record with { SizeBytes = 43 }));
        Assert.Equal(RadMahException.FailedPrecondition, refused.Code);
        Assert.Equal(record, await records.FindArtifactAsync(record.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_artifact_asked_for_before_it_is_registered_is_found_once_it_is()
    {
        var account = await fixture.NewAccountAsync();
        var record = NewRecord(account.GetPrimaryKeyString());
        var grain = fixture.Client.GetGrain<IArtifactGrain>(record.Id);
        var missing = await Assert.ThrowsAsync<RadMahException>(() => grain.GetAsync());
        Assert.Equal(RadMahException.NotFound, missing.Code);

        var catalog = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredService<ArtifactCatalog>();
        await catalog.RegisterAsync(record);
        Assert.Equal(record, await grain.GetAsync());
    }
}

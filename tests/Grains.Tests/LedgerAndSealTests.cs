using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Tests;

public class LedgerAndSealTests(ClusterFixture fixture)
{
    private ICreditLedgerGrain NewLedger() => fixture.Client.GetGrain<ICreditLedgerGrain>(Ids.NewAccountId());

    [Fact]
    public async Task Hold_then_capture_debits_once_however_often_it_is_called()
    {
        var ledger = NewLedger();
        await ledger.DepositAsync(10m, "test");
        var job = Ids.NewJobId();
        Assert.Equal(new LedgerBalance(10m, 2.5m), await ledger.HoldAsync(job, 2.5m));
        Assert.Equal(new LedgerBalance(10m, 2.5m), await ledger.HoldAsync(job, 2.5m));
        Assert.Equal(7.5m, (await ledger.GetBalanceAsync()).Available);
        Assert.Equal(2.5m, await ledger.CaptureAsync(job));
        Assert.Equal(2.5m, await ledger.CaptureAsync(job));
        Assert.Equal(2.5m, await ledger.CaptureAsync(job));
        await ledger.ReleaseAsync(job);
        Assert.Equal(new LedgerBalance(7.5m, 0m), await ledger.GetBalanceAsync());
        Assert.Single(await ledger.GetEntriesAsync(), e => e.Kind == LedgerEntryKind.Debit);
    }

    [Fact]
    public async Task Release_returns_the_hold_once_and_blocks_a_later_capture()
    {
        var ledger = NewLedger();
        await ledger.DepositAsync(1m, "test");
        var job = Ids.NewJobId();
        await ledger.HoldAsync(job, 0.4m);
        await ledger.ReleaseAsync(job);
        await ledger.ReleaseAsync(job);
        Assert.Equal(new LedgerBalance(1m, 0m), await ledger.GetBalanceAsync());
        Assert.Single(await ledger.GetEntriesAsync(), e => e.Kind == LedgerEntryKind.Release);
        Assert.Equal(RadMahException.FailedPrecondition, (await Assert.ThrowsAsync<RadMahException>(() => ledger.CaptureAsync(job))).Code);
        Assert.Equal(RadMahException.FailedPrecondition, (await Assert.ThrowsAsync<RadMahException>(() => ledger.HoldAsync(job, 0.4m))).Code);
    }

    [Fact]
    public async Task Insufficient_available_credits_refuse_a_hold()
    {
        var ledger = NewLedger();
        await ledger.DepositAsync(1m, "test");
        await ledger.HoldAsync(Ids.NewJobId(), 0.75m);
        var ex = await Assert.ThrowsAsync<RadMahException>(() => ledger.HoldAsync(Ids.NewJobId(), 0.5m));
        Assert.Equal(RadMahException.InsufficientCredits, ex.Code);
        Assert.Equal(new LedgerBalance(1m, 0.75m), await ledger.GetBalanceAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.0000001)]
    public async Task Bad_deposits_are_refused(decimal amount)
    {
        var ledger = NewLedger();
        Assert.Equal(RadMahException.InvalidArgument, (await Assert.ThrowsAsync<RadMahException>(() => ledger.DepositAsync(amount, "x"))).Code);
        Assert.Empty(await ledger.GetEntriesAsync());
    }

    [Fact]
    public async Task Ledger_calls_with_ids_that_are_not_job_ids_are_refused()
    {
        var ledger = NewLedger();
        await ledger.DepositAsync(1m, "test");
        Assert.Equal("job_id", (await Assert.ThrowsAsync<RadMahException>(() => ledger.HoldAsync("not-a-job", 0.1m))).Field);
        Assert.Equal("job_id", (await Assert.ThrowsAsync<RadMahException>(() => ledger.CaptureAsync("job_"))).Field);
    }

    [Fact]
    public async Task A_seal_is_appended_once_per_job()
    {
        var registry = fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        var jobId = Ids.NewJobId();
        var seal = new SealRecord
        {
            JobId = jobId,
            ContractDigest = "sha256:" + new string('a', 64),
            Seed = 3,
            Artifacts = [new SealedArtifact("dataset.csv", "dataset.csv", "sha256:" + new string('b', 64))],
            EvidenceDigest = "sha256:" + new string('e', 64),
            SealedAt = DateTime.UtcNow,
        };
        var first = await registry.AppendAsync(seal);
        var second = await registry.AppendAsync(seal with { SealedAt = DateTime.UtcNow.AddMinutes(1) });
        Assert.Equal((first.Index, first.SealedAt), (second.Index, second.SealedAt));
        // Jobs of other tests append their own seals meanwhile (the cluster is shared), so the log's
        // length proves nothing here; what must hold is that no later entry is this job's.
        var later = await registry.ListAsync(first.Index + 1, int.MaxValue);
        Assert.DoesNotContain(later, s => s.JobId == jobId);
        Assert.Equal(first.Index, (await registry.FindAsync(jobId))!.Index);
        var listed = (await registry.ListAsync(first.Index, 1)).Single();
        Assert.Equal((jobId, first.SealedAt), (listed.JobId, listed.SealedAt));
        Assert.Equal(seal.Artifacts, listed.Artifacts);
        Assert.Equal("job_id", (await Assert.ThrowsAsync<RadMahException>(() => registry.AppendAsync(seal with { JobId = "bogus" }))).Field);
        Assert.Equal("evidence_digest", (await Assert.ThrowsAsync<RadMahException>(() => registry.AppendAsync(seal with { JobId = Ids.NewJobId(), EvidenceDigest = "" }))).Field);
        // The entry is what the log hashes: canonical JSON naming the job, its artifacts and its bundle.
        Assert.Equal(RadMah.Engine.Transparency.MerkleTree.LeafHash(first.Entry), first.LeafHash);
        Assert.Contains("\"evidence_digest\":\"sha256:" + new string('e', 64), System.Text.Encoding.UTF8.GetString(first.Entry));
    }

    [Fact]
    public async Task Proofs_about_seals_of_older_blocks_are_read_back_from_the_records_and_verify()
    {
        var registry = fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        SealRecord NewSeal(int i) => new()
        {
            JobId = Ids.NewJobId(), ContractDigest = "sha256:" + new string('c', 64), Seed = i,
            Artifacts = [new SealedArtifact("dataset.csv", "dataset.csv", "sha256:" + new string('d', 64))],
            EvidenceDigest = "sha256:" + new string('f', 64), SealedAt = DateTime.UtcNow,
        };
        // More than two blocks of 1,024, so that the oldest ones are no longer in the registry's memory.
        var seals = new List<SealRecord>();
        for (var batch = 0; batch < 44; batch++)
            seals.AddRange(await Task.WhenAll(Enumerable.Range(batch * 50, 50).Select(i => registry.AppendAsync(NewSeal(i)))));
        foreach (var seal in new[] { seals[0], seals[1000], seals[1500], seals[^1] })
        {
            var proof = await registry.GetProofAsync(seal.JobId);
            var root = (await registry.GetConsistencyAsync(proof.TreeSize, proof.TreeSize)).ToRoot;
            Assert.True(RadMah.Engine.Transparency.MerkleTree.VerifyInclusion(seal.LeafHash, seal.Index, proof.TreeSize, proof.InclusionProof, root));
            Assert.Equal(seal.Index, proof.LeafIndex);
            var consistency = await registry.GetConsistencyAsync(seal.Index + 1, proof.TreeSize);
            Assert.True(RadMah.Engine.Transparency.MerkleTree.VerifyConsistency(consistency.FromSize, consistency.ToSize, consistency.Proof, consistency.FromRoot, consistency.ToRoot));
            Assert.Equal(seal.JobId, (await registry.FindAsync(seal.JobId))!.JobId);
        }
        Assert.Equal(seals[1000].JobId, Assert.Single(await registry.ListAsync(seals[1000].Index, 1)).JobId);
        Assert.True(await registry.CountAsync() >= seals[^1].Index + 1);
    }
}

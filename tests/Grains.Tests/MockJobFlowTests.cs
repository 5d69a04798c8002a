using System.Diagnostics;
using RadMah.Artifacts;
using RadMah.Engine.Evidence;
using RadMah.Engine.Transparency;
using RadMah.Grains.Seals;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Pricing;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Tests;

/// <summary>Mock jobs through the account grain, as an in-cluster client submits them.</summary>
public class MockJobFlowTests(ClusterFixture fixture)
{
    private ICreditLedgerGrain Ledger(IAccountJobsGrain account) => fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString());
    private ISealRegistryGrain Seals => fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);

    [Fact]
    public async Task A_mock_job_succeeds_with_artifacts_a_seal_and_exactly_one_debit()
    {
        var account = await fixture.NewAccountAsync(credits: 100m);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 100_000, "customer transaction records", 42));
        Assert.Matches("^job_[a-z2-7]{20}$", created.Id);
        Assert.Equal(JobStatus.Queued, created.Status);
        Assert.Equal(0.1m, created.CreditsHeld);
        Assert.Equal(99.9m, (await Ledger(account).GetBalanceAsync()).Available);

        var job = await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal([JobStatus.Created, JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], job.History.Select(h => h.Status));
        Assert.Equal(0.1m, job.CreditsCharged);
        Assert.Equal(100_000, job.RowsDone);
        Assert.NotNull(job.FinishedAt);

        var artifacts = await fixture.Client.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync();
        Assert.Equal(["dataset.csv", "dataset.arrow", "contract.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        var store = new LocalDiskArtifactStore(fixture.DataDirectory);
        foreach (var artifact in artifacts)
        {
            Assert.True(store.Contains(artifact.ContentHash));
            Assert.Equal(new FileInfo(store.ObjectPath(artifact.ContentHash)).Length, artifact.SizeBytes);
            Assert.Equal(artifact, await fixture.Client.GetGrain<IArtifactGrain>(artifact.Id).GetAsync());
        }
        Assert.Equal(job.ContractDigest, artifacts.Single(a => a.ArtifactType == "contract.json").ContentHash);
        Assert.False(Directory.Exists(fixture.StagingDirectory(job.Id)));

        var entries = await Ledger(account).GetEntriesAsync();
        Assert.Equal([LedgerEntryKind.Deposit, LedgerEntryKind.Hold, LedgerEntryKind.Debit], entries.Select(e => e.Kind));
        Assert.Equal(new LedgerBalance(99.9m, 0m), await Ledger(account).GetBalanceAsync());

        var seal = await Seals.FindAsync(job.Id);
        Assert.NotNull(seal);
        Assert.Equal(job.ContractDigest, seal.ContractDigest);
        Assert.Equal(42, seal.Seed);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), seal.Artifacts.Select(a => a.ContentHash));
        var evidence = artifacts.Single(a => a.ArtifactType == "evidence.dsse.json");
        Assert.Equal(evidence.ContentHash, seal.EvidenceDigest);

        // Everything checks out as an outsider would check it: signature, digests, subjects, seal, inclusion.
        var keys = (await Seals.GetPublicKeysAsync()).Select(k => VerificationKey.FromPem(k.PublicKeyPem)).ToArray();
        var proof = await Seals.GetProofAsync(job.Id);
        await using var bundle = store.OpenRead(evidence.ContentHash);
        using var bundleBytes = new MemoryStream();
        await bundle.CopyToAsync(bundleBytes, TestContext.Current.CancellationToken);
        var report = EvidenceVerifier.Verify(new EvidenceInputs
        {
            Bundle = bundleBytes.ToArray(),
            Keys = keys,
            OpenArtifact = name => artifacts.FirstOrDefault(a => a.Name == name) is { } a ? store.OpenRead(a.ContentHash) : null,
            Proof = proof.ToSealProof(),
        });
        Assert.True(report.Passed, string.Join("\n", report.Failures.Select(f => $"{f.Name}: {f.Detail}")));
        Assert.Equal(["envelope", "payload_type", "signature", "statement", "artifact dataset.csv", "artifact dataset.arrow", "artifact contract.json", "seal entry", "leaf hash", "checkpoint", "inclusion"],
            report.Checks.Select(c => c.Name));
    }

    [Fact]
    public async Task A_rerun_gives_byte_identical_outputs()
    {
        var account = await fixture.NewAccountAsync();
        var original = await account.CreateJobAsync(new JobSubmission("mock", 80_000, "IoT sensor readings for 2024", 7));
        original = await fixture.Client.GetGrain<IJobGrain>(original.Id).WaitTerminalAsync();
        var rerun = await account.RerunJobAsync(original.Id);
        Assert.NotEqual(original.Id, rerun.Id);
        Assert.Equal(original.Id, rerun.RerunOf);
        Assert.Equal(original.ContractDigest, rerun.ContractDigest);
        rerun = await fixture.Client.GetGrain<IJobGrain>(rerun.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, rerun.Status);
        var a = await fixture.Client.GetGrain<IJobGrain>(original.Id).GetArtifactsAsync();
        var b = await fixture.Client.GetGrain<IJobGrain>(rerun.Id).GetArtifactsAsync();
        Assert.Equal(a.Outputs().Select(x => (x.ArtifactType, x.ContentHash, x.SizeBytes)), b.Outputs().Select(x => (x.ArtifactType, x.ContentHash, x.SizeBytes)));
        Assert.NotEqual(a.Select(x => x.Id), b.Select(x => x.Id));
        // Each job has its own evidence (its own id and times), whose subjects carry the original's digests.
        var store = new LocalDiskArtifactStore(fixture.DataDirectory);
        IReadOnlyList<EvidenceSubject> SubjectsOf(IReadOnlyList<ArtifactRecord> artifacts)
        {
            using var read = store.OpenRead(artifacts.Single(x => x.ArtifactType == "evidence.dsse.json").ContentHash);
            using var bytes = new MemoryStream();
            read.CopyTo(bytes);
            return ProvenanceStatement.SubjectsOf(DsseEnvelope.Parse(bytes.ToArray()).Payload);
        }
        Assert.Equal(a.Outputs().Select(x => new EvidenceSubject(x.Name, x.ContentHash)), SubjectsOf(b));
        Assert.Equal(SubjectsOf(a), SubjectsOf(b));
        Assert.NotEqual(a.Single(x => x.ArtifactType == "evidence.dsse.json").ContentHash, b.Single(x => x.ArtifactType == "evidence.dsse.json").ContentHash);
    }

    [Fact]
    public async Task Another_seed_gives_other_bytes()
    {
        var account = await fixture.NewAccountAsync();
        var one = await fixture.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 1))).Id).WaitTerminalAsync();
        var two = await fixture.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 2))).Id).WaitTerminalAsync();
        Assert.NotEqual(one.ContractDigest, two.ContractDigest);
        var csvOne = (await fixture.Client.GetGrain<IJobGrain>(one.Id).GetArtifactsAsync())[0].ContentHash;
        var csvTwo = (await fixture.Client.GetGrain<IJobGrain>(two.Id).GetArtifactsAsync())[0].ContentHash;
        Assert.NotEqual(csvOne, csvTwo);
    }

    [Fact]
    public async Task Too_little_available_balance_is_refused_and_nothing_is_created()
    {
        var account = await fixture.NewAccountAsync(credits: 0.05m);
        var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(new JobSubmission("mock", 100_000, "orders")));
        Assert.Equal(RadMahException.InsufficientCredits, ex.Code);
        Assert.Contains("needs 0.1 credits but only 0.05 are available", ex.Message);
        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(0.05m, 0m), await Ledger(account).GetBalanceAsync());
        Assert.Single(await Ledger(account).GetEntriesAsync());
    }

    [Fact]
    public async Task Holds_count_against_the_available_balance()
    {
        var account = await fixture.NewAccountAsync(credits: 0.15m, plan: AccountPlan.Free);
        await account.CreateJobAsync(new JobSubmission("mock", 100_000, "orders"));
        // Free tier has no slots in this cluster: the first job keeps its 0.1 held.
        await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(new JobSubmission("mock", 100_000, "orders")));
        Assert.Single((await account.ListJobsAsync(10, null)).Jobs);
    }

    public static TheoryData<string, long, string, long?, string, string> BadSubmissions() => new()
    {
        { "mock", 0, "orders", null, "rows", "rows must be between 1 and" },
        { "mock", -10, "orders", null, "rows", "rows must be between 1 and" },
        { "mock", 1_000_000_001, "orders", null, "rows", "rows must be between 1 and" },
        { "mock", 10, "", null, "description", "description must not be empty" },
        { "mock", 10, new string('a', 2001), null, "description", "description must be at most 2000 characters" },
        { "mock", 10, "orders", -1, "seed", "seed must be between 0 and" },
        { "mock", 10, "orders\0", null, "description", "contains the control character U+0000 at position 6" },
        { "mock", 10, "\u001b[31morders", null, "description", "contains the control character U+001B at position 0" },
        { "mock", 10, "orders \u202e", null, "description", "contains the control character U+202E" },
        { "nonsense", 10, "orders", null, "kind", "unknown kind 'nonsense'" },
        { "simulate", 10, "orders", null, "description", "simulate takes a scenario, not a description" },
        { "simulate", 0, "", null, "params", "simulate needs params.duration" },
        { "analyze", 10, "", null, "rows", "analyze jobs read their dataset and take no rows" },
        { "fit", 0, "", null, "dataset_id", "a fit job needs an input" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_submissions_are_refused_with_the_field_and_create_nothing(string kind, long rows, string description, long? seed, string field, string message)
    {
        var account = await fixture.NewAccountAsync(credits: 5m);
        var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(new JobSubmission(kind, rows, description, seed)));
        Assert.Equal(RadMahException.InvalidArgument, ex.Code);
        Assert.Equal(field, ex.Field);
        Assert.Contains(message, ex.Message);
        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(5m, 0m), await Ledger(account).GetBalanceAsync());
    }

    [Fact]
    public async Task Warnings_from_the_description_are_kept_on_the_job()
    {
        var account = await fixture.NewAccountAsync();
        var job = await account.CreateJobAsync(new JobSubmission("mock", 10, "glorious customer records"));
        Assert.Contains(job.Warnings, w => w.Contains("'glorious'"));
        Assert.Equal(JobSubmission.DefaultSeed, job.Seed);
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_within_a_second_and_leaves_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 1_000m);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 400_000_000, "customer transaction records"));
        var job = fixture.Client.GetGrain<IJobGrain>(created.Id);
        await job.WaitUntilAsync(v => v.Status == JobStatus.Running && v.RowsDone > 0);
        Assert.True(Directory.Exists(fixture.StagingDirectory(created.Id)), "the work should be writing to its staging area");

        var clock = Stopwatch.StartNew();
        var canceled = await job.CancelAsync();
        clock.Stop();
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancel took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.False(Directory.Exists(fixture.StagingDirectory(created.Id)), "staged partial outputs must be deleted");
        Assert.Empty(await job.GetArtifactsAsync());
        Assert.Equal(new LedgerBalance(1_000m, 0m), await Ledger(account).GetBalanceAsync());
        Assert.Null(await Seals.FindAsync(created.Id));

        // The work really stopped: a little later nothing reappears and the job is still canceled.
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(fixture.StagingDirectory(created.Id)));
        Assert.Equal(JobStatus.Canceled, (await job.GetAsync()).Status);
    }

    [Fact]
    public async Task Jobs_list_newest_first_in_pages()
    {
        var account = await fixture.NewAccountAsync(plan: AccountPlan.Free);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await account.CreateJobAsync(new JobSubmission("mock", 10, "orders", i))).Id);
        var first = await account.ListJobsAsync(2, null);
        Assert.Equal([ids[4], ids[3]], first.Jobs.Select(j => j.Id));
        // A job created between two pages does not shift the next page.
        var newer = (await account.CreateJobAsync(new JobSubmission("mock", 10, "orders", 5))).Id;
        var second = await account.ListJobsAsync(2, first.NextPageToken);
        Assert.Equal([ids[2], ids[1]], second.Jobs.Select(j => j.Id));
        var third = await account.ListJobsAsync(2, second.NextPageToken);
        Assert.Equal([ids[0]], third.Jobs.Select(j => j.Id));
        Assert.Null(third.NextPageToken);
        Assert.Equal(RadMahException.InvalidArgument, (await Assert.ThrowsAsync<RadMahException>(() => account.ListJobsAsync(0, null))).Code);
        Assert.Equal([newer, ids[4]], (await account.ListJobsAsync(2, null)).Jobs.Select(j => j.Id));
        Assert.Equal("page_token", (await Assert.ThrowsAsync<RadMahException>(() => account.ListJobsAsync(2, "garbage"))).Field);
        Assert.Equal("page_token", (await Assert.ThrowsAsync<RadMahException>(() => account.ListJobsAsync(2, "0"))).Field);
        Assert.Equal("page_token", (await Assert.ThrowsAsync<RadMahException>(() => account.ListJobsAsync(2, "7"))).Field);
        Assert.True(await account.OwnsJobAsync(ids[0]));
        Assert.False(await (await fixture.NewAccountAsync()).OwnsJobAsync(ids[0]));
    }

    [Fact]
    public async Task Free_plan_jobs_wait_visibly_in_their_tier()
    {
        var account = await fixture.NewAccountAsync(plan: AccountPlan.Free);
        var job = await account.CreateJobAsync(new JobSubmission("mock", 10, "orders"));
        Assert.Equal(QueueTiers.Free, job.Tier);
        var depth = await fixture.Client.GetGrain<IJobQueueGrain>(QueueTiers.Free).GetDepthAsync();
        Assert.Equal(0, depth.Slots);
        Assert.True(depth.Waiting >= 1);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Queued, (await fixture.Client.GetGrain<IJobGrain>(job.Id).GetAsync()).Status);
    }

    [Fact]
    public async Task Waiting_for_a_change_returns_on_change_or_after_the_wait()
    {
        var manual = await ManualJob.CreateAsync(fixture);
        var view = await manual.Job.GetAsync();
        var clock = Stopwatch.StartNew();
        var same = await manual.Job.WaitForChangeAsync(view.Version, TimeSpan.FromMilliseconds(300));
        Assert.Equal(view.Version, same.Version);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250));
        var waiting = manual.Job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(15));
        await manual.Job.EnqueueAsync();
        var changed = await waiting;
        Assert.Equal(JobStatus.Queued, changed.Status);
    }

    [Fact]
    public async Task The_pricing_grain_answers_estimates()
    {
        var pricing = fixture.Client.GetGrain<IPricingGrain>(0);
        Assert.Equal(new CreditEstimateView(1m, "GPU-S"), await pricing.EstimateAsync(1_000_000, "synthesize"));
        Assert.Equal("kind", (await Assert.ThrowsAsync<RadMahException>(() => pricing.EstimateAsync(10, "bogus"))).Field);
        Assert.Equal("rows", (await Assert.ThrowsAsync<RadMahException>(() => pricing.EstimateAsync(0, "mock"))).Field);
    }

    [Theory]
    [InlineData(AccountPlan.Pro, 10_000L, true, QueueTiers.Interactive)]
    [InlineData(AccountPlan.Pro, 10_001L, true, QueueTiers.Default)]
    [InlineData(AccountPlan.Pro, 500L, false, QueueTiers.Default)]
    [InlineData(AccountPlan.Free, 500L, true, QueueTiers.Free)]
    [InlineData(AccountPlan.Enterprise, 500L, false, QueueTiers.Default)]
    public async Task Jobs_are_routed_to_their_tier(string plan, long rows, bool interactive, string tier)
    {
        var account = await fixture.NewAccountAsync(plan: plan);
        var job = await account.CreateJobAsync(new JobSubmission("mock", rows, "orders", Interactive: interactive));
        Assert.Equal(tier, job.Tier);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Silo;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Silo.Tests;

/// <summary>
/// The node on the PostgreSQL profile (Orleans' ADO.NET clustering, grain storage and reminders
/// against the schema in deploy/sql), against the real server ./test.sh starts with deploy/pg-up.sh.
/// </summary>
public sealed class PostgresProfileTests : IDisposable
{
    public const string ConnectionVariable = "RADMAH_TEST_PG";

    private readonly string _data = Directory.CreateTempSubdirectory("radmah-pg-node-").FullName;
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static string Connection =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ConnectionVariable} is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh.");

    private Task<IHost> StartNodeAsync(string? signingKey = null) => NodeHost.StartAsync(new NodeOptions
    {
        DataDirectory = _data,
        SigningKeyPath = signingKey,
        Storage = StorageProfile.Postgres,
        PostgresConnectionString = Connection,
        ClusterId = _clusterId,
        SiloPort = FreePorts.Next(),
        GatewayPort = FreePorts.Next(),
        WithWeb = false,
        MinimumLogLevel = LogLevel.Warning,
    }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Jobs_keys_balances_and_seals_survive_a_restart_of_the_node()
    {
        string accountId, key, jobId;
        CheckpointView firstCheckpoint;
        IReadOnlyList<string> digests;
        using (var first = await StartNodeAsync())
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            accountId = Ids.NewAccountId();
            var account = grains.GetGrain<IAccountGrain>(accountId);
            await account.CreateAsync(AccountPlan.Pro, 10m);
            key = (await grains.GetGrain<IAccountKeysGrain>(accountId).CreateAsync()).Key;
            var job = await grains.GetGrain<IAccountJobsGrain>(accountId).CreateJobAsync(new JobSubmission("mock", 70_000, "flights", 3));
            jobId = job.Id;
            var grain = grains.GetGrain<IJobGrain>(jobId);
            while (!job.Status.IsTerminal()) job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
            Assert.Equal(JobStatus.Succeeded, job.Status);
            digests = (await grain.GetArtifactsAsync()).Where(a => a.ArtifactType != "evidence.dsse.json").Select(a => a.ContentHash).ToArray();
            firstCheckpoint = await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetCheckpointAsync();
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        using var second = await StartNodeAsync();
        var again = second.Services.GetRequiredService<IGrainFactory>();
        var info = await again.GetGrain<IApiKeyGrain>(ApiKeys.Hash(key)).ResolveAsync();
        Assert.NotNull(info);
        Assert.Equal(accountId, info.AccountId);
        Assert.False(info.Revoked);
        Assert.Equal(new LedgerBalance(9.93m, 0m), await again.GetGrain<ICreditLedgerGrain>(accountId).GetBalanceAsync());
        Assert.Single(await again.GetGrain<ICreditLedgerGrain>(accountId).GetEntriesAsync(), e => e.Kind == LedgerEntryKind.Debit);
        var restored = await again.GetGrain<IJobGrain>(jobId).GetAsync();
        Assert.Equal(JobStatus.Succeeded, restored.Status);
        Assert.Equal([JobStatus.Created, JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], restored.History.Select(h => h.Status));
        Assert.Equal(digests, (await again.GetGrain<IJobGrain>(jobId).GetArtifactsAsync()).Where(a => a.ArtifactType != "evidence.dsse.json").Select(a => a.ContentHash));
        var registry = again.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        var seal = await registry.FindAsync(jobId);
        Assert.NotNull(seal);
        Assert.Equal(digests, seal.Artifacts.Select(a => a.ContentHash));

        // The restored node keeps working: a rerun after the restart gives the same bytes.
        var rerun = await again.GetGrain<IAccountJobsGrain>(accountId).RerunJobAsync(jobId);
        var rerunGrain = again.GetGrain<IJobGrain>(rerun.Id);
        while (!rerun.Status.IsTerminal()) rerun = await rerunGrain.WaitForChangeAsync(rerun.Version, TimeSpan.FromSeconds(10));
        Assert.Equal(digests, (await rerunGrain.GetArtifactsAsync()).Where(a => a.ArtifactType != "evidence.dsse.json").Select(a => a.ContentHash));

        // The log was rebuilt from PostgreSQL without forking: the new tree extends the checkpoint published before the restart.
        var now = await registry.GetCheckpointAsync();
        Assert.Equal(firstCheckpoint.TreeSize + 1, now.TreeSize);
        var consistency = await registry.GetConsistencyAsync(firstCheckpoint.TreeSize, now.TreeSize);
        Assert.True(RadMah.Engine.Transparency.MerkleTree.VerifyConsistency(firstCheckpoint.TreeSize, now.TreeSize, consistency.Proof, firstCheckpoint.RootHash, now.RootHash));
        Assert.Single(await registry.GetPublicKeysAsync());
        await second.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Rotating_the_signing_key_leaves_earlier_bundles_and_checkpoints_verifiable()
    {
        var ct = TestContext.Current.CancellationToken;
        async Task<(byte[] Bundle, SealProofView Proof)> RunJobAsync(IGrainFactory grains, IAccountJobsGrain account, long seed)
        {
            var grain = grains.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 2_000, "orders", seed))).Id);
            var job = await grain.GetAsync();
            while (!job.Status.IsTerminal()) job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
            Assert.Equal(JobStatus.Succeeded, job.Status);
            var evidence = (await grain.GetArtifactsAsync()).Single(a => a.ArtifactType == "evidence.dsse.json");
            await using var read = new RadMah.Artifacts.LocalDiskArtifactStore(_data).OpenRead(evidence.ContentHash);
            using var bytes = new MemoryStream();
            await read.CopyToAsync(bytes, ct);
            return (bytes.ToArray(), await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetProofAsync(job.Id));
        }
        static RadMah.Engine.Evidence.VerificationReport Check(byte[] bundle, SealProofView proof, IEnumerable<PublicKeyView> keys) =>
            RadMah.Engine.Evidence.EvidenceVerifier.Verify(new RadMah.Engine.Evidence.EvidenceInputs
            {
                Bundle = bundle,
                Keys = keys.Select(k => RadMah.Engine.Evidence.VerificationKey.FromPem(k.PublicKeyPem)).ToArray(),
                Proof = RadMah.Grains.Seals.SealProofViewExtensions.ToSealProof(proof),
            });

        var accountId = Ids.NewAccountId();
        (byte[] Bundle, SealProofView Proof) old;
        using (var first = await StartNodeAsync(Path.Combine(_data, "key-1.pem")))
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 10m);
            old = await RunJobAsync(grains, grains.GetGrain<IAccountJobsGrain>(accountId), 1);
            await first.StopAsync(ct);
        }
        using var second = await StartNodeAsync(Path.Combine(_data, "key-2.pem"));
        var again = second.Services.GetRequiredService<IGrainFactory>();
        var fresh = await RunJobAsync(again, again.GetGrain<IAccountJobsGrain>(accountId), 2);
        var keys = await again.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetPublicKeysAsync();
        Assert.Equal(2, keys.Count);
        // Both bundles and both proofs (the old one against the old checkpoint, signed by the old key) verify with the published keys.
        var oldReport = Check(old.Bundle, old.Proof, keys);
        Assert.True(oldReport.Passed, string.Join("; ", oldReport.Failures.Select(f => $"{f.Name}: {f.Detail}")));
        Assert.True(Check(fresh.Bundle, fresh.Proof, keys).Passed);
        // With only the new key, the old bundle's signature is not trusted.
        var oldKeyId = RadMah.Engine.Evidence.DsseEnvelope.Parse(old.Bundle).Signatures[0].KeyId;
        Assert.Contains(keys, k => k.KeyId == oldKeyId);
        var withNewKeyOnly = Check(old.Bundle, old.Proof, keys.Where(k => k.KeyId != oldKeyId));
        Assert.Contains(withNewKeyOnly.Failures, f => f.Name == "signature");
        Assert.Contains(withNewKeyOnly.Failures, f => f.Name == "checkpoint");
        await second.StopAsync(ct);
    }

    [Theory]
    [InlineData(false, "does not hash to the stored leaf hash")]
    [InlineData(true, "has forked")]
    public async Task A_seal_log_altered_in_the_database_refuses_to_serve(bool rehash, string reason)
    {
        using (var first = await StartNodeAsync())
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            var account = grains.GetGrain<IAccountGrain>(Ids.NewAccountId());
            await account.CreateAsync(AccountPlan.Pro, 10m);
            var grain = grains.GetGrain<IJobGrain>((await grains.GetGrain<IAccountJobsGrain>(account.GetPrimaryKeyString()).CreateJobAsync(new JobSubmission("mock", 1_000, "orders", 5))).Id);
            var job = await grain.GetAsync();
            while (!job.Status.IsTerminal()) job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
            await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetCheckpointAsync();
            await first.StopAsync(TestContext.Current.CancellationToken);
        }
        // Someone with database access rewrites the seal (and, in the second case, its leaf hash to match).
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(Connection))
        await using (var command = dataSource.CreateCommand(rehash
            ? "UPDATE radmah_seals SET entry = convert_to(replace(convert_from(entry, 'UTF8'), '\"seed\":5', '\"seed\":6'), 'UTF8'), leaf_hash = sha256(decode('00', 'hex') || convert_to(replace(convert_from(entry, 'UTF8'), '\"seed\":5', '\"seed\":6'), 'UTF8')) WHERE service_id = $1"
            : "UPDATE radmah_seals SET entry = convert_to(replace(convert_from(entry, 'UTF8'), '\"seed\":5', '\"seed\":6'), 'UTF8') WHERE service_id = $1"))
        {
            command.Parameters.Add(new() { Value = _clusterId });
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }
        using var second = await StartNodeAsync();
        var registry = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => registry.CountAsync());
        Assert.Contains(reason, refused.ToString());
        await second.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Postgres_profile_without_a_connection_string_is_refused()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            Storage = StorageProfile.Postgres,
            WithWeb = false,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
        }, TestContext.Current.CancellationToken));
        Assert.Contains("--pg", ex.Message);
    }
}

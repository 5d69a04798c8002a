using Npgsql;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Records;

namespace RadMah.Grains.Tests;

/// <summary>
/// The rules of the platform records, checked against both stores: the PostgreSQL tables of
/// deploy/sql/05-radmah-platform.sql (where the database itself must refuse) and the in-memory
/// store of the embedded default (which must refuse the same things, under the same names).
/// </summary>
public abstract class PlatformRecordsTests
{
    protected abstract IPlatformRecords Records { get; }

    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private async Task<string> NewAccountAsync(decimal credits = 10m)
    {
        var id = Ids.NewAccountId();
        await Records.CreateAccountAsync(new AccountRow(id, "pro", false, Now),
            new LedgerEntry(1, LedgerEntryKind.Deposit, credits, null, "starting credits", Now));
        return id;
    }

    private static LedgerEntry Entry(long sequence, LedgerEntryKind kind, decimal amount, string? jobId) =>
        new(sequence, kind, amount, jobId, kind.ToString(), Now);

    [Fact]
    public async Task An_account_and_its_starting_credits_are_written_together_and_read_back()
    {
        var id = await NewAccountAsync(12.5m);
        Assert.Equal(new AccountRow(id, "pro", false, Now), await Records.FindAccountAsync(id, TestContext.Current.CancellationToken));
        var ledger = await Records.ReadLedgerAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal([Entry(1, LedgerEntryKind.Deposit, 12.5m, null) with { Reason = "starting credits" }], ledger);
        await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.CreateAccountAsync(new AccountRow(id, "free", false, Now), null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_refused_starting_deposit_leaves_no_account_behind()
    {
        var id = Ids.NewAccountId();
        await Assert.ThrowsAsync<RecordRuleException>(() => Records.CreateAccountAsync(new AccountRow(id, "pro", false, Now),
            new LedgerEntry(1, LedgerEntryKind.Deposit, 0m, null, "nothing", Now), TestContext.Current.CancellationToken));
        Assert.Null(await Records.FindAccountAsync(id, TestContext.Current.CancellationToken));
        Assert.Empty(await Records.ReadLedgerAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_ledger_summary_is_the_fold_of_every_entry_and_a_jobs_entries_are_read_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await NewAccountAsync(10m);
        var other = await NewAccountAsync(3m);
        string captured = Ids.NewJobId(), released = Ids.NewJobId(), open = Ids.NewJobId(), later = Ids.NewJobId();
        var entries = new[]
        {
            Entry(2, LedgerEntryKind.Hold, 1.25m, captured), Entry(3, LedgerEntryKind.Hold, 2m, released), Entry(4, LedgerEntryKind.Hold, 0.5m, open),
            Entry(5, LedgerEntryKind.Debit, 1.25m, captured), Entry(6, LedgerEntryKind.Release, 2m, released), Entry(7, LedgerEntryKind.Deposit, 4m, null),
            Entry(8, LedgerEntryKind.Hold, 0.000001m, later),
        };
        foreach (var entry in entries) await Records.AppendLedgerAsync(account, entry, ct);
        await Records.AppendLedgerAsync(other, Entry(2, LedgerEntryKind.Hold, 1m, Ids.NewJobId()), ct);

        var summary = await Records.ReadLedgerSummaryAsync(account, ct);
        Assert.Equal((8L, 12.75m), (summary.LastSequence, summary.Balance));
        Assert.Equal([open, later], summary.OpenHolds.Select(h => h.JobId));
        Assert.Equal([0.5m, 0.000001m], summary.OpenHolds.Select(h => h.Amount));
        Assert.Equal([LedgerEntryKind.Hold, LedgerEntryKind.Debit], (await Records.ReadJobLedgerAsync(account, captured, ct)).Select(e => e.Kind));
        Assert.Equal([3L, 6L], (await Records.ReadJobLedgerAsync(account, released, ct)).Select(e => e.Sequence));
        Assert.Empty(await Records.ReadJobLedgerAsync(other, captured, ct));
        var none = await Records.ReadLedgerSummaryAsync(Ids.NewAccountId(), ct);
        Assert.Equal((0L, 0m), (none.LastSequence, none.Balance));
        Assert.Empty(none.OpenHolds);
    }

    [Fact]
    public async Task A_job_is_debited_at_most_once()
    {
        var account = await NewAccountAsync();
        var job = Ids.NewJobId();
        await Records.AppendLedgerAsync(account, Entry(2, LedgerEntryKind.Hold, 1.5m, job), TestContext.Current.CancellationToken);
        await Records.AppendLedgerAsync(account, Entry(3, LedgerEntryKind.Debit, 1.5m, job), TestContext.Current.CancellationToken);
        var second = await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendLedgerAsync(account, Entry(4, LedgerEntryKind.Debit, 1.5m, job), TestContext.Current.CancellationToken));
        Assert.Equal("ux_radmah_ledger_one_per_job_and_kind", second.Rule);
        var release = await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendLedgerAsync(account, Entry(4, LedgerEntryKind.Release, 1.5m, job), TestContext.Current.CancellationToken));
        Assert.Equal("ux_radmah_ledger_one_settlement", release.Rule);
        Assert.Equal(3, (await Records.ReadLedgerAsync(account, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task A_debit_must_settle_the_jobs_hold_for_its_exact_amount()
    {
        var account = await NewAccountAsync();
        var job = Ids.NewJobId();
        var unheld = await Assert.ThrowsAsync<RecordRuleException>(() => Records.AppendLedgerAsync(account, Entry(2, LedgerEntryKind.Debit, 1m, job), TestContext.Current.CancellationToken));
        Assert.Equal("fk_radmah_ledger_settles_hold", unheld.Rule);
        await Records.AppendLedgerAsync(account, Entry(2, LedgerEntryKind.Hold, 1m, job), TestContext.Current.CancellationToken);
        var wrongAmount = await Assert.ThrowsAsync<RecordRuleException>(() => Records.AppendLedgerAsync(account, Entry(3, LedgerEntryKind.Debit, 2m, job), TestContext.Current.CancellationToken));
        Assert.Equal("fk_radmah_ledger_settles_hold", wrongAmount.Rule);
        var otherAccount = await NewAccountAsync();
        await Assert.ThrowsAsync<RecordRuleException>(() => Records.AppendLedgerAsync(otherAccount, Entry(2, LedgerEntryKind.Debit, 1m, job), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_job_holds_once_and_a_sequence_number_is_used_once()
    {
        var account = await NewAccountAsync();
        var job = Ids.NewJobId();
        await Records.AppendLedgerAsync(account, Entry(2, LedgerEntryKind.Hold, 1m, job), TestContext.Current.CancellationToken);
        Assert.Equal("ux_radmah_ledger_one_per_job_and_kind",
            (await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendLedgerAsync(account, Entry(3, LedgerEntryKind.Hold, 1m, job), TestContext.Current.CancellationToken))).Rule);
        Assert.Equal("pk_radmah_ledger_entries",
            (await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendLedgerAsync(account, Entry(2, LedgerEntryKind.Deposit, 1m, null), TestContext.Current.CancellationToken))).Rule);
        Assert.Equal("ck_radmah_ledger_job",
            (await Assert.ThrowsAsync<RecordRuleException>(() => Records.AppendLedgerAsync(account, Entry(3, LedgerEntryKind.Deposit, 1m, job), TestContext.Current.CancellationToken))).Rule);
    }

    [Fact]
    public async Task A_job_is_sealed_once_and_an_index_is_never_reused()
    {
        var existing = await Records.ReadSealsAsync(0, int.MaxValue, TestContext.Current.CancellationToken);
        var next = existing.Count;
        var seal = new SealRecord
        {
            JobId = Ids.NewJobId(), ContractDigest = "sha256:" + new string('a', 64), Seed = 7, Kind = "mock", Index = next, SealedAt = Now,
            Artifacts = [new SealedArtifact("data.csv", "dataset.csv", "sha256:" + new string('b', 64))],
            EvidenceDigest = "sha256:" + new string('e', 64), Entry = "{}"u8.ToArray(), LeafHash = RadMah.Engine.Transparency.MerkleTree.LeafHash("{}"u8),
        };
        await Records.AppendSealAsync(seal, TestContext.Current.CancellationToken);
        var read = Assert.Single(await Records.ReadSealsAsync(next, 10, TestContext.Current.CancellationToken));
        var found = await Records.FindSealAsync(seal.JobId, TestContext.Current.CancellationToken);
        Assert.Equal((read.Index, read.JobId, read.EvidenceDigest), (found!.Index, found.JobId, found.EvidenceDigest));
        Assert.Equal(read.Entry, found.Entry);
        Assert.Null(await Records.FindSealAsync(Ids.NewJobId(), TestContext.Current.CancellationToken));
        Assert.Equal((seal.JobId, seal.ContractDigest, seal.Seed, seal.Kind, seal.Index, seal.SealedAt), (read.JobId, read.ContractDigest, read.Seed, read.Kind, read.Index, read.SealedAt));
        Assert.Equal(seal.Artifacts, read.Artifacts);
        Assert.Equal(seal.EvidenceDigest, read.EvidenceDigest);
        Assert.Equal(seal.Entry, read.Entry);
        Assert.Equal(seal.LeafHash, read.LeafHash);
        Assert.Equal("ux_radmah_seals_job",
            (await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendSealAsync(seal with { Index = next + 1 }, TestContext.Current.CancellationToken))).Rule);
        Assert.Equal("pk_radmah_seals",
            (await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AppendSealAsync(seal with { JobId = Ids.NewJobId() }, TestContext.Current.CancellationToken))).Rule);
        Assert.Equal(next + 1, (await Records.ReadSealsAsync(0, int.MaxValue, TestContext.Current.CancellationToken)).Count);
        Assert.Empty(await Records.ReadSealsAsync(next + 1, 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Keys_and_artifacts_belong_to_an_existing_account_and_are_registered_once()
    {
        var account = await NewAccountAsync();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await Records.AddApiKeyAsync(new ApiKeyRow(hash, account, Now, null), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AddApiKeyAsync(new ApiKeyRow(hash, account, Now, null), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RecordRuleException>(() => Records.AddApiKeyAsync(
            new ApiKeyRow(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Ids.NewAccountId(), Now, null), TestContext.Current.CancellationToken));
        Assert.True(await Records.RevokeApiKeyAsync(hash, Now.AddMinutes(1), TestContext.Current.CancellationToken));
        Assert.True(await Records.RevokeApiKeyAsync(hash, Now.AddMinutes(2), TestContext.Current.CancellationToken));
        Assert.Equal(Now.AddMinutes(1), (await Records.FindApiKeyAsync(hash, TestContext.Current.CancellationToken))!.RevokedAt);
        Assert.Single(await Records.ListApiKeysAsync(account, TestContext.Current.CancellationToken));

        var job = Ids.NewJobId();
        var artifact = new ArtifactRecord
        {
            Id = Ids.ArtifactId(job, "data.csv"), JobId = job, AccountId = account, ArtifactType = "dataset.csv",
            ContentHash = "sha256:" + new string('c', 64), SizeBytes = 10, MediaType = "text/csv", Name = "data.csv", CreatedAt = Now,
        };
        await Records.AddArtifactAsync(artifact, TestContext.Current.CancellationToken);
        Assert.Equal(artifact, await Records.FindArtifactAsync(artifact.Id, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AddArtifactAsync(artifact, TestContext.Current.CancellationToken));
        Assert.Equal("ux_radmah_artifacts_job_name",
            (await Assert.ThrowsAsync<DuplicateRecordException>(() => Records.AddArtifactAsync(artifact with { Id = Ids.ArtifactId(job, "other") }, TestContext.Current.CancellationToken))).Rule);
        await Assert.ThrowsAsync<RecordRuleException>(() => Records.AddArtifactAsync(
            artifact with { Id = Ids.ArtifactId(Ids.NewJobId(), "x"), JobId = Ids.NewJobId(), AccountId = Ids.NewAccountId() }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_upload_of_every_format_the_platform_reads_is_recorded_and_another_format_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await NewAccountAsync();
        DatasetRecord Upload(string format, out ArtifactRecord artifact)
        {
            var id = Ids.NewDatasetId();
            artifact = new ArtifactRecord
            {
                Id = Ids.ArtifactId(id, "upload." + format), JobId = id, AccountId = account, ArtifactType = DatasetRecord.ArtifactType,
                ContentHash = "sha256:" + new string('d', 64), SizeBytes = 10, MediaType = "application/octet-stream", Name = "upload." + format, CreatedAt = Now,
            };
            return new DatasetRecord
            {
                Id = id, AccountId = account, Name = "table." + format, Format = format, ContentHash = artifact.ContentHash, SizeBytes = 10,
                ArtifactId = artifact.Id, CreatedAt = Now,
            };
        }
        foreach (var format in RadMah.Engine.Datasets.DatasetFormatNames.All)
        {
            var dataset = Upload(format, out var artifact);
            await Records.AddDatasetAsync(dataset, artifact, ct);
            Assert.Equal(format, (await Records.FindDatasetAsync(dataset.Id, ct))!.Format);
        }
        var xlsx = Upload("xlsx", out var xlsxArtifact);
        Assert.Equal("ck_radmah_datasets_format", (await Assert.ThrowsAsync<RecordRuleException>(() => Records.AddDatasetAsync(xlsx, xlsxArtifact, ct))).Rule);
        // Refused whole: neither the dataset nor its artifact was written.
        Assert.Null(await Records.FindDatasetAsync(xlsx.Id, ct));
        Assert.Null(await Records.FindArtifactAsync(xlsxArtifact.Id, ct));
        Assert.Equal(RadMah.Engine.Datasets.DatasetFormatNames.All.Order(StringComparer.Ordinal),
            (await Records.ListDatasetsAsync(account, ct)).Select(d => d.Format).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_idempotency_key_names_one_job_until_it_expires()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await NewAccountAsync();
        var first = new IdempotencyClaim(account, "key-1", new string('a', 64), Ids.NewJobId(), Now);
        Assert.Equal(first, await Records.ClaimIdempotencyKeyAsync(first, Now.AddHours(-24), ct));
        var second = first with { Fingerprint = new string('b', 64), JobId = Ids.NewJobId(), CreatedAt = Now.AddHours(1) };
        // Live: the earlier claim is what comes back, whatever the new one asks.
        Assert.Equal(first, await Records.ClaimIdempotencyKeyAsync(second, Now.AddHours(-23), ct));
        // Expired (claimed before the cut-off): the new claim takes the key over.
        var third = second with { CreatedAt = Now.AddHours(25) };
        Assert.Equal(third, await Records.ClaimIdempotencyKeyAsync(third, Now.AddHours(1), ct));
        // The same key in another account is another key.
        var other = await NewAccountAsync();
        var elsewhere = first with { AccountId = other, JobId = Ids.NewJobId() };
        Assert.Equal(elsewhere, await Records.ClaimIdempotencyKeyAsync(elsewhere, Now.AddHours(-24), ct));
    }

    [Fact]
    public async Task Releasing_an_idempotency_key_frees_it_only_for_the_job_it_names()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await NewAccountAsync();
        var claim = new IdempotencyClaim(account, "key-2", new string('c', 64), Ids.NewJobId(), Now);
        await Records.ClaimIdempotencyKeyAsync(claim, Now.AddHours(-24), ct);
        await Records.ReleaseIdempotencyKeyAsync(account, "key-2", Ids.NewJobId(), ct);
        var next = claim with { JobId = Ids.NewJobId() };
        Assert.Equal(claim, await Records.ClaimIdempotencyKeyAsync(next, Now.AddHours(-24), ct));
        await Records.ReleaseIdempotencyKeyAsync(account, "key-2", claim.JobId, ct);
        Assert.Equal(next, await Records.ClaimIdempotencyKeyAsync(next, Now.AddHours(-24), ct));
    }

    [Fact]
    public async Task Expired_idempotency_keys_are_deleted_per_account_and_unknown_accounts_claim_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await NewAccountAsync();
        await Records.ClaimIdempotencyKeyAsync(new IdempotencyClaim(account, "old", new string('d', 64), Ids.NewJobId(), Now.AddHours(-30)), Now.AddHours(-48), ct);
        await Records.ClaimIdempotencyKeyAsync(new IdempotencyClaim(account, "new", new string('d', 64), Ids.NewJobId(), Now), Now.AddHours(-48), ct);
        Assert.Equal(1, await Records.DeleteIdempotencyKeysAsync(account, Now.AddHours(-24), ct));
        Assert.Equal(0, await Records.DeleteIdempotencyKeysAsync(account, Now.AddHours(-24), ct));
        var refused = await Assert.ThrowsAsync<RecordRuleException>(() =>
            Records.ClaimIdempotencyKeyAsync(new IdempotencyClaim(Ids.NewAccountId(), "k", new string('e', 64), Ids.NewJobId(), Now), Now.AddHours(-24), ct));
        Assert.Equal("fk_radmah_idempotency_keys_account", refused.Rule);
    }
}

public sealed class InMemoryPlatformRecordsTests : PlatformRecordsTests
{
    protected override IPlatformRecords Records { get; } = InMemoryPlatformRecords.ForService("records-test-" + Guid.NewGuid().ToString("N"));
}

/// <summary>Against the real server ./test.sh starts; each test class instance is its own service id, so tests never see each other's rows.</summary>
public sealed class PostgresPlatformRecordsTests : PlatformRecordsTests, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("RADMAH_TEST_PG")
        ?? throw new InvalidOperationException("RADMAH_TEST_PG is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh."));

    public PostgresPlatformRecordsTests() => Records = new PostgresPlatformRecords(_dataSource, "records-test-" + Guid.NewGuid().ToString("N"));

    protected override IPlatformRecords Records { get; }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [Fact]
    public async Task A_database_whose_format_check_predates_json_uploads_takes_them_once_its_schema_is_applied_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RadMah.Orleans.sln"))) root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar))!;
        var schemaSql = await File.ReadAllTextAsync(Path.Combine(root, "deploy", "sql", "05-radmah-platform.sql"), ct);
        // A schema of its own, so the shared tables of the other tests never see the older check.
        var schema = "formats_" + Guid.NewGuid().ToString("N");
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        async Task RunAsync(string sql, params object[] values)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var value in values) command.Parameters.Add(new() { Value = value });
            await command.ExecuteNonQueryAsync(ct);
        }
        await RunAsync($"CREATE SCHEMA {schema}; SET search_path TO {schema}");
        try
        {
            await RunAsync(schemaSql);
            // As the release before JSON-array uploads left it: the check under our name, without 'json'.
            await RunAsync("ALTER TABLE radmah_datasets DROP CONSTRAINT ck_radmah_datasets_format; " +
                "ALTER TABLE radmah_datasets ADD CONSTRAINT ck_radmah_datasets_format CHECK (format IN ('csv', 'tsv', 'parquet', 'arrow', 'jsonl', 'arff'))");
            await RunAsync("INSERT INTO radmah_accounts VALUES ('s', 'acct', 'free', false, now())");
            await RunAsync("INSERT INTO radmah_artifacts VALUES ('s', 'art_u', 'ds_aaaaaaaaaaaaaaaaaaaa', 'acct', 'upload', $1, 3, 'application/json', 'cars.json', now())",
                "sha256:" + new string('e', 64));
            const string insert = "INSERT INTO radmah_datasets VALUES ('s', 'ds_aaaaaaaaaaaaaaaaaaaa', 'acct', 'cars.json', 'json', $1, 3, 'art_u', now())";
            var refused = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(insert, "sha256:" + new string('e', 64)));
            Assert.Equal("ck_radmah_datasets_format", refused.ConstraintName);

            await RunAsync(schemaSql);
            await RunAsync(insert, "sha256:" + new string('e', 64));
            // Applied once more, the script changes nothing: one check, with 'json', still refusing what the platform does not read.
            await RunAsync(schemaSql);
            var other = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(insert.Replace("'json'", "'xlsx'").Replace("ds_aaaa", "ds_bbbb"), "sha256:" + new string('e', 64)));
            Assert.Equal("ck_radmah_datasets_format", other.ConstraintName);
        }
        finally
        {
            await RunAsync($"SET search_path TO public; DROP SCHEMA {schema} CASCADE");
        }
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_debit_written_behind_the_platforms_back()
    {
        var account = Ids.NewAccountId();
        var job = Ids.NewJobId();
        var service = "raw-sql-" + Guid.NewGuid().ToString("N");
        var insert = "INSERT INTO radmah_ledger_entries (service_id, account_id, sequence, entry_kind, amount, job_id, reason, at_utc) VALUES ($1, $2, $3, $4, 1.0, $5, 'raw', now())";
        async Task RunAsync(long sequence, string kind)
        {
            await using var command = _dataSource.CreateCommand(insert);
            foreach (var value in new object[] { service, account, sequence, kind, job }) command.Parameters.Add(new() { Value = value });
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await RunAsync(1, "hold");
        await RunAsync(2, "debit");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(3, "debit"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
    }
}

/// <summary>Against a fresh SQLite file: the embedded node's durable store must refuse the same things, under the same names.</summary>
public sealed class SqlitePlatformRecordsTests : PlatformRecordsTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "radmah-records-" + Guid.NewGuid().ToString("N"), "radmah.db");

    public SqlitePlatformRecordsTests() => Records = SqlitePlatformRecords.Open(_path, "records-test");

    protected override IPlatformRecords Records { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task What_was_written_is_there_when_the_file_is_opened_again()
    {
        var account = Ids.NewAccountId();
        await Records.CreateAccountAsync(new AccountRow(account, "pro", false, new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc)),
            new LedgerEntry(1, LedgerEntryKind.Deposit, 7.123456m, null, "starting credits", new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc)), TestContext.Current.CancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var reopened = SqlitePlatformRecords.Open(_path, "records-test");
        Assert.Equal("pro", (await reopened.FindAccountAsync(account, TestContext.Current.CancellationToken))!.Plan);
        Assert.Equal(7.123456m, Assert.Single(await reopened.ReadLedgerAsync(account, TestContext.Current.CancellationToken)).Amount);
        Assert.Null(await SqlitePlatformRecords.Open(_path, "another-service").FindAccountAsync(account, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_file_itself_refuses_a_second_debit_or_an_unheld_one_written_behind_the_platforms_back()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path}");
        connection.Open();
        void Run(long sequence, string kind, long amount)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO radmah_ledger_entries (service_id, account_id, sequence, entry_kind, amount, job_id, reason, at_utc) VALUES ('raw', 'acct', $s, $k, $a, 'job_1', 'raw', 0)";
            command.Parameters.AddWithValue("$s", sequence);
            command.Parameters.AddWithValue("$k", kind);
            command.Parameters.AddWithValue("$a", amount);
            command.ExecuteNonQuery();
        }
        Assert.Contains("fk_radmah_ledger_settles_hold", Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => Run(1, "debit", 1_000_000)).Message);
        Run(2, "hold", 1_000_000);
        Run(3, "debit", 1_000_000);
        Assert.Equal(19, Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => Run(4, "debit", 1_000_000)).SqliteErrorCode);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>
/// The system of record in PostgreSQL: the radmah_* tables of deploy/sql/05-radmah-platform.sql,
/// one service id's rows. Constraint violations surface as <see cref="DuplicateRecordException"/>
/// (unique keys) and <see cref="RecordRuleException"/> (checks and foreign keys), named by constraint.
/// </summary>
public sealed class PostgresPlatformRecords(NpgsqlDataSource dataSource, string serviceId) : IPlatformRecords
{
    public async Task<AccountRow?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT plan, test_account, created_at FROM radmah_accounts WHERE service_id = $1 AND account_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new AccountRow(accountId, reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<DateTime>(2));
    }

    public Task CreateAccountAsync(AccountRow account, LedgerEntry? startingDeposit, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "INSERT INTO radmah_accounts (service_id, account_id, plan, test_account, created_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction))
            {
                command.Parameters.Add(new() { Value = serviceId });
                command.Parameters.Add(new() { Value = account.AccountId });
                command.Parameters.Add(new() { Value = account.Plan });
                command.Parameters.Add(new() { Value = account.TestAccount });
                command.Parameters.Add(new() { Value = Utc(account.CreatedAt) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (startingDeposit is not null)
            {
                await using var deposit = LedgerInsert(account.AccountId, startingDeposit);
                deposit.Connection = connection;
                deposit.Transaction = transaction;
                await deposit.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        });

    public Task AddApiKeyAsync(ApiKeyRow key, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO radmah_api_keys (service_id, key_hash, account_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)");
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = key.KeyHash });
            command.Parameters.Add(new() { Value = key.AccountId });
            command.Parameters.Add(new() { Value = Utc(key.CreatedAt) });
            command.Parameters.Add(new() { Value = key.RevokedAt is { } revoked ? Utc(revoked) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async Task<ApiKeyRow?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var rows = await ReadApiKeysAsync("key_hash", keyHash, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken = default) =>
        ReadApiKeysAsync("account_id", accountId, cancellationToken);

    public async Task<bool> RevokeApiKeyAsync(string keyHash, DateTime revokedAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE radmah_api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE service_id = $1 AND key_hash = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = keyHash });
        command.Parameters.Add(new() { Value = Utc(revokedAt) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, entry_kind, amount, job_id, reason, at_utc FROM radmah_ledger_entries WHERE service_id = $1 AND account_id = $2 ORDER BY sequence");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<LedgerEntry>();
        while (await reader.ReadAsync(cancellationToken))
            entries.Add(new LedgerEntry(reader.GetInt64(0), ParseKind(reader.GetString(1)), reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTime>(5)));
        return entries;
    }

    public Task AppendLedgerAsync(string accountId, LedgerEntry entry, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = LedgerInsert(accountId, entry);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            command.Connection = connection;
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async Task<IReadOnlyList<SealRecord>> ReadSealsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seal_index, job_id, kind, contract_digest, seed, artifacts::text, sealed_at, evidence_digest, entry, leaf_hash FROM radmah_seals WHERE service_id = $1 ORDER BY seal_index");
        command.Parameters.Add(new() { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var seals = new List<SealRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var artifacts = JsonSerializer.Deserialize<StoredSealArtifact[]>(reader.GetString(5)) ?? [];
            seals.Add(new SealRecord
            {
                Index = reader.GetInt64(0),
                JobId = reader.GetString(1),
                Kind = reader.GetString(2),
                ContractDigest = reader.GetString(3),
                Seed = reader.GetInt64(4),
                Artifacts = artifacts.Select(a => new SealedArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray(),
                SealedAt = reader.GetFieldValue<DateTime>(6),
                EvidenceDigest = reader.GetString(7),
                Entry = reader.GetFieldValue<byte[]>(8),
                LeafHash = reader.GetFieldValue<byte[]>(9),
            });
        }
        return seals;
    }

    public Task AppendSealAsync(SealRecord seal, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO radmah_seals (service_id, seal_index, job_id, kind, contract_digest, seed, artifacts, sealed_at, evidence_digest, entry, leaf_hash) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)");
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = seal.Index });
            command.Parameters.Add(new() { Value = seal.JobId });
            command.Parameters.Add(new() { Value = seal.Kind });
            command.Parameters.Add(new() { Value = seal.ContractDigest });
            command.Parameters.Add(new() { Value = seal.Seed });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(seal.Artifacts.Select(a => new StoredSealArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray()) });
            command.Parameters.Add(new() { Value = Utc(seal.SealedAt) });
            command.Parameters.Add(new() { Value = seal.EvidenceDigest });
            command.Parameters.Add(new() { Value = seal.Entry });
            command.Parameters.Add(new() { Value = seal.LeafHash });
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async Task<CheckpointView?> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT tree_size, root_hash, signed_note FROM radmah_seal_checkpoints WHERE service_id = $1 ORDER BY tree_size DESC LIMIT 1");
        command.Parameters.Add(new() { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new CheckpointView(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2));
    }

    public Task AddCheckpointAsync(CheckpointView checkpoint, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO radmah_seal_checkpoints (service_id, tree_size, root_hash, signed_note, created_at) VALUES ($1, $2, $3, $4, now())");
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = checkpoint.TreeSize });
            command.Parameters.Add(new() { Value = checkpoint.RootHash });
            command.Parameters.Add(new() { Value = checkpoint.SignedNote });
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async Task AddSigningKeyAsync(PublicKeyView key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO radmah_signing_keys (service_id, key_id, algorithm, public_key, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = key.KeyId });
        command.Parameters.Add(new() { Value = key.Algorithm });
        command.Parameters.Add(new() { Value = key.PublicKeyPem });
        command.Parameters.Add(new() { Value = Utc(key.CreatedAt) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PublicKeyView>> ListSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT key_id, algorithm, public_key, created_at FROM radmah_signing_keys WHERE service_id = $1 ORDER BY created_at, key_id");
        command.Parameters.Add(new() { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<PublicKeyView>();
        while (await reader.ReadAsync(cancellationToken))
            keys.Add(new PublicKeyView(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3)));
        return keys;
    }

    public async Task<ArtifactRecord?> FindArtifactAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at FROM radmah_artifacts WHERE service_id = $1 AND artifact_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = artifactId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ArtifactRecord
        {
            Id = artifactId,
            JobId = reader.GetString(0),
            AccountId = reader.GetString(1),
            ArtifactType = reader.GetString(2),
            ContentHash = reader.GetString(3),
            SizeBytes = reader.GetInt64(4),
            MediaType = reader.GetString(5),
            Name = reader.GetString(6),
            CreatedAt = reader.GetFieldValue<DateTime>(7),
        };
    }

    public Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = ArtifactInsert(artifact, connection, null);
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    private NpgsqlCommand ArtifactInsert(ArtifactRecord artifact, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var command = new NpgsqlCommand(
            "INSERT INTO radmah_artifacts (service_id, artifact_id, job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection, transaction);
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = artifact.Id });
        command.Parameters.Add(new() { Value = artifact.JobId });
        command.Parameters.Add(new() { Value = artifact.AccountId });
        command.Parameters.Add(new() { Value = artifact.ArtifactType });
        command.Parameters.Add(new() { Value = artifact.ContentHash });
        command.Parameters.Add(new() { Value = artifact.SizeBytes });
        command.Parameters.Add(new() { Value = artifact.MediaType });
        command.Parameters.Add(new() { Value = artifact.Name });
        command.Parameters.Add(new() { Value = Utc(artifact.CreatedAt) });
        return command;
    }

    public Task AddDatasetAsync(DatasetRecord dataset, ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = ArtifactInsert(artifact, connection, transaction)) await command.ExecuteNonQueryAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "INSERT INTO radmah_datasets (service_id, dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection, transaction))
            {
                command.Parameters.Add(new() { Value = serviceId });
                command.Parameters.Add(new() { Value = dataset.Id });
                command.Parameters.Add(new() { Value = dataset.AccountId });
                command.Parameters.Add(new() { Value = dataset.Name });
                command.Parameters.Add(new() { Value = dataset.Format });
                command.Parameters.Add(new() { Value = dataset.ContentHash });
                command.Parameters.Add(new() { Value = dataset.SizeBytes });
                command.Parameters.Add(new() { Value = dataset.ArtifactId });
                command.Parameters.Add(new() { Value = Utc(dataset.CreatedAt) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        });

    private const string DatasetColumns = "dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at";

    private static DatasetRecord ReadDataset(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        AccountId = reader.GetString(1),
        Name = reader.GetString(2),
        Format = reader.GetString(3),
        ContentHash = reader.GetString(4),
        SizeBytes = reader.GetInt64(5),
        ArtifactId = reader.GetString(6),
        CreatedAt = reader.GetFieldValue<DateTime>(7),
    };

    public async Task<DatasetRecord?> FindDatasetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND dataset_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = datasetId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDataset(reader) : null;
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND account_id = $2 ORDER BY created_at DESC, dataset_id");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<DatasetRecord>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(ReadDataset(reader));
        return result;
    }

    private NpgsqlCommand LedgerInsert(string accountId, LedgerEntry entry)
    {
        var command = new NpgsqlCommand(
            "INSERT INTO radmah_ledger_entries (service_id, account_id, sequence, entry_kind, amount, job_id, reason, at_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = entry.Sequence });
        command.Parameters.Add(new() { Value = KindName(entry.Kind) });
        command.Parameters.Add(new() { Value = entry.Amount });
        command.Parameters.Add(new() { Value = (object?)entry.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new() { Value = entry.Reason });
        command.Parameters.Add(new() { Value = Utc(entry.AtUtc) });
        return command;
    }

    private async Task<IReadOnlyList<ApiKeyRow>> ReadApiKeysAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT key_hash, account_id, created_at, revoked_at FROM radmah_api_keys WHERE service_id = $1 AND {column} = $2 ORDER BY created_at");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ApiKeyRow>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ApiKeyRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3)));
        return rows;
    }

    /// <summary>Runs a write and turns PostgreSQL's constraint errors into the store's exceptions.</summary>
    private static async Task Translated(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateRecordException(ex.ConstraintName ?? "a unique key", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation)
        {
            throw new RecordRuleException(ex.ConstraintName ?? ex.MessageText, ex);
        }
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);

    private static string KindName(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Deposit => "deposit",
        LedgerEntryKind.Hold => "hold",
        LedgerEntryKind.Debit => "debit",
        LedgerEntryKind.Release => "release",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown ledger entry kind"),
    };

    private static LedgerEntryKind ParseKind(string name) => name switch
    {
        "deposit" => LedgerEntryKind.Deposit,
        "hold" => LedgerEntryKind.Hold,
        "debit" => LedgerEntryKind.Debit,
        "release" => LedgerEntryKind.Release,
        _ => throw new InvalidDataException($"radmah_ledger_entries holds an unknown entry kind '{name}'."),
    };

    /// <summary>One sealed artifact as stored in the jsonb column (snake_case, like the API).</summary>
    private sealed record StoredSealArtifact(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("artifact_type")] string ArtifactType,
        [property: JsonPropertyName("content_hash")] string ContentHash);
}

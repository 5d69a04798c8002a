using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>The seal log, artifact and dataset records, and idempotency keys in the SQLite file.</summary>
public sealed partial class SqlitePlatformRecords
{
    private const string SealColumns = "seal_index, job_id, kind, contract_digest, seed, artifacts, sealed_at, evidence_digest, entry, leaf_hash";

    public Task<IReadOnlyList<SealRecord>> ReadSealsAsync(long fromIndex, int count, CancellationToken cancellationToken = default) => ReadAsync(connection =>
        ReadSeals(Command(connection, $"SELECT {SealColumns} FROM radmah_seals WHERE service_id = $1 AND seal_index >= $2 ORDER BY seal_index LIMIT $3", _serviceId, fromIndex, count)));

    public Task<SealRecord?> FindSealAsync(string jobId, CancellationToken cancellationToken = default) => ReadAsync(connection =>
        ReadSeals(Command(connection, $"SELECT {SealColumns} FROM radmah_seals WHERE service_id = $1 AND job_id = $2", _serviceId, jobId)).SingleOrDefault());

    private static IReadOnlyList<SealRecord> ReadSeals(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var owned = command;
        using var reader = command.ExecuteReader();
        var seals = new List<SealRecord>();
        while (reader.Read())
        {
            seals.Add(new SealRecord
            {
                Index = reader.GetInt64(0),
                JobId = reader.GetString(1),
                Kind = reader.GetString(2),
                ContractDigest = reader.GetString(3),
                Seed = reader.GetInt64(4),
                Artifacts = RecordEncoding.ParseSealArtifacts(reader.GetString(5)),
                SealedAt = Instant(reader.GetInt64(6)),
                EvidenceDigest = reader.GetString(7),
                Entry = (byte[])reader.GetValue(8),
                LeafHash = (byte[])reader.GetValue(9),
            });
        }
        return seals;
    }

    public Task AppendSealAsync(SealRecord seal, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection,
                "INSERT INTO radmah_seals (service_id, seal_index, job_id, kind, contract_digest, seed, artifacts, sealed_at, evidence_digest, entry, leaf_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                _serviceId, seal.Index, seal.JobId, seal.Kind, seal.ContractDigest, seal.Seed,
                RecordEncoding.SealArtifacts(seal.Artifacts),
                Ticks(seal.SealedAt), seal.EvidenceDigest, seal.Entry, seal.LeafHash);
            command.ExecuteNonQuery();
        });

    public Task<CheckpointView?> LatestCheckpointAsync(CancellationToken cancellationToken = default) => ReadAsync<CheckpointView?>(connection =>
    {
        using var command = Command(connection, "SELECT tree_size, root_hash, signed_note FROM radmah_seal_checkpoints WHERE service_id = $1 ORDER BY tree_size DESC LIMIT 1", _serviceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new CheckpointView(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetString(2)) : null;
    });

    public Task AddCheckpointAsync(CheckpointView checkpoint, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "INSERT INTO radmah_seal_checkpoints (service_id, tree_size, root_hash, signed_note, created_at) VALUES ($1, $2, $3, $4, $5)",
                _serviceId, checkpoint.TreeSize, checkpoint.RootHash, checkpoint.SignedNote, DateTime.UtcNow.Ticks);
            command.ExecuteNonQuery();
        });

    public Task AddSigningKeyAsync(PublicKeyView key, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "INSERT OR IGNORE INTO radmah_signing_keys (service_id, key_id, algorithm, public_key, created_at) VALUES ($1, $2, $3, $4, $5)",
                _serviceId, key.KeyId, key.Algorithm, key.PublicKeyPem, Ticks(key.CreatedAt));
            command.ExecuteNonQuery();
        });

    public Task<IReadOnlyList<PublicKeyView>> ListSigningKeysAsync(CancellationToken cancellationToken = default) => ReadAsync<IReadOnlyList<PublicKeyView>>(connection =>
    {
        using var command = Command(connection, "SELECT key_id, algorithm, public_key, created_at FROM radmah_signing_keys WHERE service_id = $1 ORDER BY created_at, key_id", _serviceId);
        using var reader = command.ExecuteReader();
        var keys = new List<PublicKeyView>();
        while (reader.Read()) keys.Add(new PublicKeyView(reader.GetString(0), reader.GetString(1), reader.GetString(2), Instant(reader.GetInt64(3))));
        return keys;
    });

    public Task<ArtifactRecord?> FindArtifactAsync(string artifactId, CancellationToken cancellationToken = default) => ReadAsync<ArtifactRecord?>(connection =>
    {
        using var command = Command(connection,
            "SELECT job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at FROM radmah_artifacts WHERE service_id = $1 AND artifact_id = $2", _serviceId, artifactId);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
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
            CreatedAt = Instant(reader.GetInt64(7)),
        };
    });

    public Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        WriteAsync(connection => InsertArtifact(connection, artifact), "fk_radmah_artifacts_account");

    public Task AddArtifactsAsync(IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            foreach (var artifact in artifacts) InsertArtifact(connection, artifact);
        }, "fk_radmah_artifacts_account");

    private void InsertArtifact(Microsoft.Data.Sqlite.SqliteConnection connection, ArtifactRecord artifact)
    {
        using var command = Command(connection,
            "INSERT INTO radmah_artifacts (service_id, artifact_id, job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            _serviceId, artifact.Id, artifact.JobId, artifact.AccountId, artifact.ArtifactType, artifact.ContentHash, artifact.SizeBytes, artifact.MediaType, artifact.Name, Ticks(artifact.CreatedAt));
        command.ExecuteNonQuery();
    }

    public Task AddDatasetAsync(DatasetRecord dataset, ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            InsertArtifact(connection, artifact);
            using (var command = Command(connection,
                       "INSERT INTO radmah_datasets (service_id, dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       _serviceId, dataset.Id, dataset.AccountId, dataset.Name, dataset.Format, dataset.ContentHash, dataset.SizeBytes, dataset.ArtifactId, Ticks(dataset.CreatedAt)))
            {
                command.ExecuteNonQuery();
            }
        }, "fk_radmah_datasets_account");

    private const string DatasetColumns = "dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at";

    private static DatasetRecord ReadDataset(Microsoft.Data.Sqlite.SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        AccountId = reader.GetString(1),
        Name = reader.GetString(2),
        Format = reader.GetString(3),
        ContentHash = reader.GetString(4),
        SizeBytes = reader.GetInt64(5),
        ArtifactId = reader.GetString(6),
        CreatedAt = Instant(reader.GetInt64(7)),
    };

    public Task<DatasetRecord?> FindDatasetAsync(string datasetId, CancellationToken cancellationToken = default) => ReadAsync<DatasetRecord?>(connection =>
    {
        using var command = Command(connection, $"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND dataset_id = $2", _serviceId, datasetId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadDataset(reader) : null;
    });

    public Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(string accountId, CancellationToken cancellationToken = default) => ReadAsync<IReadOnlyList<DatasetRecord>>(connection =>
    {
        using var command = Command(connection, $"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND account_id = $2 ORDER BY created_at DESC, dataset_id", _serviceId, accountId);
        using var reader = command.ExecuteReader();
        var result = new List<DatasetRecord>();
        while (reader.Read()) result.Add(ReadDataset(reader));
        return result;
    });

    /// <summary>Takes the key when it is free or its claim expired, or reads the live claim; one write of the file's single writer, so two claims never interleave.</summary>
    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyClaim claim, DateTime expiredBefore, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using (var read = Command(connection, "SELECT fingerprint, job_id, created_at FROM radmah_idempotency_keys WHERE service_id = $1 AND account_id = $2 AND idem_key = $3",
                       _serviceId, claim.AccountId, claim.Key))
            {
                using var reader = read.ExecuteReader();
                if (reader.Read() && reader.GetInt64(2) >= Ticks(expiredBefore))
                    return claim with { Fingerprint = reader.GetString(0), JobId = reader.GetString(1), CreatedAt = Instant(reader.GetInt64(2)) };
            }
            using (var write = Command(connection,
                       "INSERT OR REPLACE INTO radmah_idempotency_keys (service_id, account_id, idem_key, fingerprint, job_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                       _serviceId, claim.AccountId, claim.Key, claim.Fingerprint, claim.JobId, Ticks(claim.CreatedAt)))
            {
                write.ExecuteNonQuery();
            }
            return claim;
        }, "fk_radmah_idempotency_keys_account");

    public Task ReleaseIdempotencyKeyAsync(string accountId, string key, string jobId, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "DELETE FROM radmah_idempotency_keys WHERE service_id = $1 AND account_id = $2 AND idem_key = $3 AND job_id = $4", _serviceId, accountId, key, jobId);
            command.ExecuteNonQuery();
        });

    public Task<int> DeleteIdempotencyKeysAsync(string accountId, DateTime before, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "DELETE FROM radmah_idempotency_keys WHERE service_id = $1 AND account_id = $2 AND created_at < $3", _serviceId, accountId, Ticks(before));
            return command.ExecuteNonQuery();
        });
}

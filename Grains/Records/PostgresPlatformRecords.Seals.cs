using Npgsql;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>The seal log: its entries, signed checkpoints and the public keys that sign them.</summary>
public sealed partial class PostgresPlatformRecords
{
    private const string SealColumns = "seal_index, job_id, kind, contract_digest, seed, artifacts::text, sealed_at, evidence_digest, entry, leaf_hash";

    public async Task<IReadOnlyList<SealRecord>> ReadSealsAsync(long fromIndex, int count, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SealColumns} FROM radmah_seals WHERE service_id = $1 AND seal_index >= $2 ORDER BY seal_index LIMIT $3");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = fromIndex });
        command.Parameters.Add(new() { Value = (long)count });
        return await ReadSealsAsync(command, cancellationToken);
    }

    public async Task<SealRecord?> FindSealAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SealColumns} FROM radmah_seals WHERE service_id = $1 AND job_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = jobId });
        return (await ReadSealsAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<SealRecord>> ReadSealsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var seals = new List<SealRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            seals.Add(new SealRecord
            {
                Index = reader.GetInt64(0),
                JobId = reader.GetString(1),
                Kind = reader.GetString(2),
                ContractDigest = reader.GetString(3),
                Seed = reader.GetInt64(4),
                Artifacts = RecordEncoding.ParseSealArtifacts(reader.GetString(5)),
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
            command.Parameters.Add(new() { Value = RecordEncoding.SealArtifacts(seal.Artifacts) });
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
}

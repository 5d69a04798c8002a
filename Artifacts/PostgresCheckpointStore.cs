using System.Security.Cryptography;
using Npgsql;

namespace RadMah.Artifacts;

/// <summary>
/// Checkpoints in PostgreSQL (deploy/sql/07-radmah-checkpoints.sql), for nodes on different machines:
/// one row per key, replaced in one statement; its SHA-256 is checked on load.
/// </summary>
public sealed class PostgresCheckpointStore(NpgsqlDataSource dataSource) : ICheckpointStore
{
    public async Task SaveAsync(string key, byte[] state, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO radmah_checkpoints (checkpoint_key, size_bytes, sha256, bytes, saved_at) VALUES ($1, $2, $3, $4, now()) " +
            "ON CONFLICT (checkpoint_key) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, saved_at = EXCLUDED.saved_at");
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = (long)state.Length });
        command.Parameters.Add(new() { Value = SHA256.HashData(state) });
        command.Parameters.Add(new() { Value = state });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT sha256, bytes FROM radmah_checkpoints WHERE checkpoint_key = $1");
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var digest = (byte[])reader[0];
        var bytes = (byte[])reader[1];
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(digest)) throw new InvalidDataException($"checkpoint '{key}' does not match its digest.");
        return bytes;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM radmah_checkpoints WHERE checkpoint_key = $1");
        command.Parameters.Add(new() { Value = key });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

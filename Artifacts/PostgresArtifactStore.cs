using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace RadMah.Artifacts;

/// <summary>
/// The cluster artifact store: bytes in PostgreSQL (deploy/sql/06-radmah-artifact-store.sql), in
/// 1 MiB chunks that every silo and gateway on any machine can read. Work still stages on the
/// silo it runs on (small outputs in its memory, larger ones on its local disk); promotion copies
/// a staged output into the database in one transaction, checking its digest on the way, so a
/// blob is either whole or absent. Every chunk
/// read is checked against the chunk's own SHA-256, and a whole read against the blob's digest.
/// </summary>
public sealed class PostgresArtifactStore : IArtifactStore, IDisposable
{
    public const int ChunkSize = 1 << 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly LocalDiskArtifactStore _staging;

    public PostgresArtifactStore(NpgsqlDataSource dataSource, string dataDirectory)
    {
        _dataSource = dataSource;
        // Staged files are only read back into the database, whose commit is what makes them durable.
        _staging = new LocalDiskArtifactStore(dataDirectory, durable: false);
    }

    /// <summary>Outputs staged on this node and not yet promoted or discarded.</summary>
    public StagingArea Staging => _staging.Staging;

    public StagingStream OpenStaging(string stagingKey, string name) => _staging.OpenStaging(stagingKey, name);

    public void Dispose() => _staging.Dispose();

    public Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default) =>
        _staging.DiscardStagingAsync(stagingKey, cancellationToken);

    public async Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default)
    {
        LocalDiskArtifactStore.RequireDigest(artifact.ContentHash);
        var staging = _staging.Staging;
        if (await ContainsAsync(artifact.ContentHash, cancellationToken).ConfigureAwait(false))
        {
            // Same digest, same bytes: stored already (a rerun, or a retried promotion).
            staging.Remove(artifact.StagingKey, artifact.Name);
            return;
        }
        await using var file = staging.OpenRead(artifact.StagingKey, artifact.Name)
            ?? throw new FileNotFoundException($"Staged artifact '{artifact.Name}' of '{artifact.StagingKey}' is gone and {artifact.ContentHash} is not stored.");
        var size = file.Length;
        var chunkCount = (int)((size + ChunkSize - 1) / ChunkSize);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var blob = new NpgsqlCommand(
            "INSERT INTO radmah_blobs (content_hash, size_bytes, chunk_size, chunk_count, stored_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (content_hash) DO NOTHING",
            connection, transaction))
        {
            blob.Parameters.Add(new() { Value = artifact.ContentHash });
            blob.Parameters.Add(new() { Value = size });
            blob.Parameters.Add(new() { Value = ChunkSize });
            blob.Parameters.Add(new() { Value = chunkCount });
            // A concurrent promotion of the same bytes makes this wait for it, then insert nothing.
            if (await blob.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                await file.DisposeAsync().ConfigureAwait(false);
                staging.Remove(artifact.StagingKey, artifact.Name);
                return;
            }
        }

        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY radmah_blob_chunks (content_hash, chunk_index, chunk_sha256, bytes) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var index = 0; index < chunkCount; index++)
            {
                var length = (int)Math.Min(ChunkSize, size - (long)index * ChunkSize);
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                var chunk = new ArraySegment<byte>(buffer, 0, length);
                whole.AppendData(chunk);
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(artifact.ContentHash, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(index, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(SHA256.HashData(chunk), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(chunk, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }
            var actual = "sha256:" + Convert.ToHexStringLower(whole.GetHashAndReset());
            // Leaving without Complete cancels the COPY; the transaction then rolls back with it.
            artifact.RequireDigest(actual);
            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await file.DisposeAsync().ConfigureAwait(false);
        staging.Remove(artifact.StagingKey, artifact.Name);
    }

    public bool Contains(string contentHash) => ContainsAsync(contentHash, CancellationToken.None).GetAwaiter().GetResult();

    public Stream OpenRead(string contentHash)
    {
        LocalDiskArtifactStore.RequireDigest(contentHash);
        using var command = _dataSource.CreateCommand("SELECT size_bytes, chunk_size, chunk_count FROM radmah_blobs WHERE content_hash = $1");
        command.Parameters.Add(new() { Value = contentHash });
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw new FileNotFoundException($"Artifact {contentHash} is not stored.");
        var blob = new PostgresBlobStream(_dataSource, contentHash, reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2));
        return new DigestCheckingStream(blob, contentHash);
    }

    private async Task<bool> ContainsAsync(string contentHash, CancellationToken cancellationToken)
    {
        LocalDiskArtifactStore.RequireDigest(contentHash);
        await using var command = _dataSource.CreateCommand("SELECT 1 FROM radmah_blobs WHERE content_hash = $1");
        command.Parameters.Add(new() { Value = contentHash });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}

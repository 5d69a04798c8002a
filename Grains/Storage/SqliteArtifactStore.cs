using RadMah.Artifacts;

namespace RadMah.Grains.Storage;

/// <summary>
/// The embedded node's artifact store: an artifact up to <see cref="InlineLimit"/> bytes is a row of
/// the node's SQLite file (radmah_blobs), written in the same group commit as the records that name
/// it; a larger one is a file under DATA/artifacts (<see cref="LocalDiskArtifactStore"/>). A tiny
/// job's four outputs cost four rows instead of four new files, four renames and eight fsyncs. Both
/// are content-addressed, and a read is checked against the digest either way.
/// </summary>
public sealed class SqliteArtifactStore(SqliteFile file, LocalDiskArtifactStore files) : IArtifactStore, IDisposable
{
    /// <summary>Above this, a file: SQLite reads and writes small blobs faster than the file system, large ones not.</summary>
    public const int InlineLimit = 256 * 1024;

    public StagingStream OpenStaging(string stagingKey, string name) => files.OpenStaging(stagingKey, name);

    public Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default) => files.DiscardStagingAsync(stagingKey, cancellationToken);

    public Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default) => PromoteAsync([artifact], cancellationToken);

    /// <summary>The small outputs staged in memory in one write (one savepoint of the group commit); the rest one by one.</summary>
    public async Task PromoteAsync(IReadOnlyList<StagedArtifact> artifacts, CancellationToken cancellationToken = default)
    {
        var inline = new List<(StagedArtifact Artifact, byte[] Bytes)>();
        var others = new List<StagedArtifact>();
        foreach (var artifact in artifacts)
        {
            LocalDiskArtifactStore.RequireDigest(artifact.ContentHash);
            if (files.Staging.TryGetInMemory(artifact.StagingKey, artifact.Name, out var bytes) && bytes.Length <= InlineLimit)
            {
                artifact.RequireContent(bytes);
                inline.Add((artifact, bytes));
            }
            else others.Add(artifact);
        }
        if (inline.Count > 0)
        {
            await file.WriteAsync(connection =>
            {
                foreach (var (artifact, bytes) in inline)
                {
                    using var insert = SqliteFile.Command(connection, "INSERT INTO radmah_blobs (content_hash, bytes) VALUES ($1, $2) ON CONFLICT DO NOTHING", artifact.ContentHash, bytes);
                    insert.ExecuteNonQuery();
                }
            });
            foreach (var (artifact, _) in inline) files.Staging.Remove(artifact.StagingKey, artifact.Name);
        }
        foreach (var artifact in others)
        {
            if (IsInline(artifact.ContentHash))
            {
                // Same digest, same bytes: stored already (a rerun, or the runner's promotion before the commit's).
                files.Staging.Remove(artifact.StagingKey, artifact.Name);
                continue;
            }
            await files.PromoteAsync(artifact, cancellationToken);
        }
    }

    public bool Contains(string contentHash) => IsInline(contentHash) || files.Contains(contentHash);

    public Stream OpenRead(string contentHash)
    {
        LocalDiskArtifactStore.RequireDigest(contentHash);
        var bytes = file.Read(connection =>
        {
            using var select = SqliteFile.Command(connection, "SELECT bytes FROM radmah_blobs WHERE content_hash = $1", contentHash);
            return select.ExecuteScalar() as byte[];
        });
        return bytes is null ? files.OpenRead(contentHash) : new DigestCheckingStream(new MemoryStream(bytes, writable: false), contentHash);
    }

    public void Dispose() => files.Dispose();

    private bool IsInline(string contentHash) => file.Read(connection =>
    {
        using var select = SqliteFile.Command(connection, "SELECT 1 FROM radmah_blobs WHERE content_hash = $1", contentHash);
        return select.ExecuteScalar() is not null;
    });
}

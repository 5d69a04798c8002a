using System.Security.Cryptography;
using Npgsql;
using RadMah.Artifacts;

namespace RadMah.Artifacts.Tests;

/// <summary>The cluster artifact store against the real PostgreSQL server ./test.sh starts (deploy/sql applied).</summary>
public sealed class PostgresArtifactStoreTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-pgstore-").FullName;
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("RADMAH_TEST_PG")
        ?? throw new InvalidOperationException("RADMAH_TEST_PG is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh."));

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private PostgresArtifactStore NewStore(string? dataDirectory = null) => new(_dataSource, dataDirectory ?? _dir);

    private static async Task<StagedArtifact> StageAsync(IArtifactStore store, string key, byte[] bytes)
    {
        await using var stream = store.OpenStaging(key, "file.bin");
        await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
        return await stream.CompleteAsync("application/octet-stream", TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> ReadAllAsync(IArtifactStore store, string contentHash)
    {
        await using var read = store.OpenRead(contentHash);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    private async Task<int> ExecuteAsync(string sql, string contentHash)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = contentHash });
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Bytes_promoted_on_one_node_are_read_whole_by_another_across_chunk_boundaries()
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * PostgresArtifactStore.ChunkSize + 12_345);
        var writer = NewStore(Path.Combine(_dir, "silo-a"));
        var staged = await StageAsync(writer, "job_a", bytes);
        Assert.False(writer.Contains(staged.ContentHash));
        await writer.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.False(File.Exists(Path.Combine(writer.Staging.Directory, "job_a", "file.bin")));

        // Another machine: its own (empty) data directory, the same database.
        var reader = NewStore(Path.Combine(_dir, "gateway"));
        Assert.True(reader.Contains(staged.ContentHash));
        Assert.Equal(bytes, await ReadAllAsync(reader, staged.ContentHash));

        // A range read, as the gateway serves one: seek into the second chunk and read across into the third.
        await using var ranged = reader.OpenRead(staged.ContentHash);
        Assert.Equal(bytes.Length, ranged.Length);
        ranged.Seek(PostgresArtifactStore.ChunkSize * 2 - 100, SeekOrigin.Begin);
        var part = new byte[300];
        await ranged.ReadExactlyAsync(part, TestContext.Current.CancellationToken);
        Assert.Equal(bytes.AsSpan(PostgresArtifactStore.ChunkSize * 2 - 100, 300).ToArray(), part);
    }

    [Fact]
    public async Task The_same_content_is_stored_once_and_promoting_again_is_a_no_op()
    {
        var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes(5_000);
        var first = await StageAsync(store, "job_b", bytes);
        await store.PromoteAsync(first, TestContext.Current.CancellationToken);
        await store.PromoteAsync(first, TestContext.Current.CancellationToken);
        var second = await StageAsync(store, "job_c", bytes);
        await store.PromoteAsync(second, TestContext.Current.CancellationToken);
        Assert.Equal(1, await ExecuteAsync("UPDATE radmah_blobs SET stored_at = stored_at WHERE content_hash = $1", first.ContentHash));
        Assert.Equal(1, await ExecuteAsync("UPDATE radmah_blob_chunks SET chunk_index = chunk_index WHERE content_hash = $1", first.ContentHash));
        Assert.Equal(bytes, await ReadAllAsync(store, first.ContentHash));
    }

    [Fact]
    public async Task A_small_output_goes_from_memory_to_the_database_without_a_staging_file()
    {
        var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes(2_000);
        var staged = await StageAsync(store, "job_m", bytes);
        Assert.False(Directory.Exists(Path.Combine(store.Staging.Directory, "job_m")));
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.Equal(bytes, await ReadAllAsync(store, staged.ContentHash));
        // Promoted: no longer held, so promoting it again relies on the database having it.
        await store.DiscardStagingAsync("job_m", TestContext.Current.CancellationToken);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.Equal(bytes, await ReadAllAsync(store, staged.ContentHash));
    }

    [Fact]
    public async Task An_empty_artifact_is_stored_and_read_back()
    {
        var store = NewStore();
        var staged = await StageAsync(store, "job_e", []);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.Empty(await ReadAllAsync(store, staged.ContentHash));
    }

    [Fact]
    public async Task A_staged_file_that_does_not_match_its_digest_is_refused_and_nothing_is_stored()
    {
        var store = NewStore();
        // Larger than a staging buffer, so it is staged as a file that can be changed behind the store's back.
        var bytes = RandomNumberGenerator.GetBytes(StagingStream.BufferSize + 3_000);
        var staged = await StageAsync(store, "job_d", bytes);
        var path = Path.Combine(store.Staging.Directory, "job_d", "file.bin");
        Assert.True(File.Exists(path));
        bytes[1_000] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => store.PromoteAsync(staged, TestContext.Current.CancellationToken));
        Assert.Contains(staged.ContentHash, refused.Message);
        Assert.False(store.Contains(staged.ContentHash));
        Assert.Equal(0, await ExecuteAsync("DELETE FROM radmah_blob_chunks WHERE content_hash = $1", staged.ContentHash));
    }

    [Fact]
    public async Task A_flipped_byte_in_a_stored_chunk_is_caught_on_read_naming_the_chunk()
    {
        var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes(PostgresArtifactStore.ChunkSize + 10);
        var staged = await StageAsync(store, "job_f", bytes);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        // XOR, so the byte always changes (writing a constant leaves it alone when it already had that value).
        Assert.Equal(1, await ExecuteAsync("UPDATE radmah_blob_chunks SET bytes = set_byte(bytes, 4, get_byte(bytes, 4) # 1) WHERE content_hash = $1 AND chunk_index = 1", staged.ContentHash));
        var caught = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(store, staged.ContentHash));
        Assert.Contains("chunk 1 does not match its SHA-256", caught.Message);
    }

    [Fact]
    public async Task A_chunk_replaced_together_with_its_own_hash_still_fails_the_whole_digest()
    {
        var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes(4_000);
        var staged = await StageAsync(store, "job_g", bytes);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.Equal(1, await ExecuteAsync("UPDATE radmah_blob_chunks SET bytes = set_byte(bytes, 0, get_byte(bytes, 0) # 1) WHERE content_hash = $1", staged.ContentHash));
        await ExecuteAsync("UPDATE radmah_blob_chunks SET chunk_sha256 = sha256(bytes) WHERE content_hash = $1", staged.ContentHash);
        var caught = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(store, staged.ContentHash));
        Assert.Contains("is corrupt: its bytes hash to", caught.Message);
    }

    [Fact]
    public async Task A_missing_chunk_or_unknown_digest_is_reported_not_read_short()
    {
        var store = NewStore();
        var staged = await StageAsync(store, "job_h", RandomNumberGenerator.GetBytes(PostgresArtifactStore.ChunkSize + 1));
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        await ExecuteAsync("DELETE FROM radmah_blob_chunks WHERE content_hash = $1 AND chunk_index = 1", staged.ContentHash);
        Assert.Contains("chunk 1 of 2 is missing", (await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(store, staged.ContentHash))).Message);
        Assert.Throws<FileNotFoundException>(() => store.OpenRead("sha256:" + new string('0', 64)));
        Assert.Throws<ArgumentException>(() => store.OpenRead("sha256:not-a-digest"));
    }
}

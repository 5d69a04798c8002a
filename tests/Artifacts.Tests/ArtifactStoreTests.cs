using System.Security.Cryptography;
using RadMah.Artifacts;

namespace RadMah.Artifacts.Tests;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "radmah-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<StagedArtifact> StageAsync(LocalDiskArtifactStore store, string key, byte[] bytes)
    {
        await using var stream = store.OpenStaging(key, "file.bin");
        await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
        return await stream.CompleteAsync("application/octet-stream", TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Staged_bytes_are_promoted_under_their_digest_idempotently(bool durable)
    {
        var store = new LocalDiskArtifactStore(_dir, durable);
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var staged = await StageAsync(store, "job_a", bytes);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), staged.ContentHash);
        Assert.Equal(10_000, staged.SizeBytes);
        Assert.False(store.Contains(staged.ContentHash));
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.True(store.Contains(staged.ContentHash));
        await using var read = store.OpenRead(staged.ContentHash);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        Assert.Equal(bytes, copy.ToArray());

        // The same content from another job is already there.
        var again = await StageAsync(store, "job_b", bytes);
        await store.PromoteAsync(again, TestContext.Current.CancellationToken);
        Assert.False(File.Exists(Path.Combine(store.Staging.Directory, "job_b", "file.bin")));
    }

    [Fact]
    public async Task Discarding_a_staging_area_leaves_nothing()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var staged = await StageAsync(store, "job_c", [1, 2, 3]);
        await store.DiscardStagingAsync("job_c", TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(Path.Combine(store.Staging.Directory, "job_c")));
        Assert.False(store.Contains(staged.ContentHash));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.PromoteAsync(staged, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_stored_file_changed_on_disk_fails_its_digest_when_read()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var staged = await StageAsync(store, "job_t", bytes);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        bytes[150_000] ^= 0x80;
        await File.WriteAllBytesAsync(store.ObjectPath(staged.ContentHash), bytes, TestContext.Current.CancellationToken);
        await using var read = store.OpenRead(staged.ContentHash);
        var caught = await Assert.ThrowsAsync<InvalidDataException>(() => read.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
        Assert.Contains(staged.ContentHash + " is corrupt", caught.Message);
    }

    [Theory]
    [InlineData("md5:abc")]
    [InlineData("sha256:XYZ")]
    [InlineData("sha256:../../../../etc/passwd000000000000000000000000000000000000000000")]
    public void Malformed_digests_are_refused(string digest) =>
        Assert.Throws<ArgumentException>(() => new LocalDiskArtifactStore(_dir).OpenRead(digest));

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Malformed_staging_keys_are_refused(string key) =>
        Assert.Throws<ArgumentException>(() => new LocalDiskArtifactStore(_dir).OpenStaging(key, "x"));

    [Fact]
    public void Unknown_digests_are_not_found() =>
        Assert.Throws<FileNotFoundException>(() => new LocalDiskArtifactStore(_dir).OpenRead("sha256:" + new string('0', 64)));
}

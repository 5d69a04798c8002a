using System.Security.Cryptography;
using RadMah.Artifacts;

namespace RadMah.Artifacts.Tests;

/// <summary>Small outputs are staged in memory, large ones in files; either way promotion stores exactly what was written.</summary>
public sealed class StagingAreaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-staging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<StagedArtifact> StageAsync(IArtifactStore store, string key, string name, byte[] bytes, int writeSize = 1_000)
    {
        await using var stream = store.OpenStaging(key, name);
        for (var offset = 0; offset < bytes.Length; offset += writeSize)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(writeSize, bytes.Length - offset)), TestContext.Current.CancellationToken);
        return await stream.CompleteAsync("application/octet-stream", TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> ReadAllAsync(IArtifactStore store, string contentHash)
    {
        await using var read = store.OpenRead(contentHash);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_small_output_never_touches_the_staging_directory_and_is_stored_whole()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var bytes = RandomNumberGenerator.GetBytes(StagingStream.BufferSize);
        var staged = await StageAsync(store, "job_small", "out.bin", bytes);
        Assert.Equal(StagingArea.DigestOf(bytes), staged.ContentHash);
        Assert.False(Directory.Exists(Path.Combine(store.Staging.Directory, "job_small")));
        Assert.Equal(bytes.Length, store.Staging.MemoryBytes);

        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.Equal(0, store.Staging.MemoryBytes);
        Assert.Equal(bytes, await ReadAllAsync(store, staged.ContentHash));
        // Only the object itself is left: no temporary file beside it.
        Assert.Equal([store.ObjectPath(staged.ContentHash)], Directory.GetFiles(Path.GetDirectoryName(store.ObjectPath(staged.ContentHash))!));
    }

    [Fact]
    public async Task An_output_larger_than_the_buffer_spills_to_a_file_and_is_stored_whole()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var bytes = RandomNumberGenerator.GetBytes(StagingStream.BufferSize + 1);
        var staged = await StageAsync(store, "job_large", "out.bin", bytes, writeSize: 7_001);
        Assert.True(File.Exists(Path.Combine(store.Staging.Directory, "job_large", "out.bin")));
        Assert.Equal(0, store.Staging.MemoryBytes);
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        Assert.False(File.Exists(Path.Combine(store.Staging.Directory, "job_large", "out.bin")));
        Assert.Equal(bytes, await ReadAllAsync(store, staged.ContentHash));
    }

    [Fact]
    public async Task Past_the_memory_limit_small_outputs_are_staged_as_files()
    {
        var area = new StagingArea(Path.Combine(_dir, "staging"), memoryLimitBytes: 1_500);
        await using (var first = area.Open("job_a", "a.bin"))
        {
            first.Write(new byte[1_000]);
            await first.CompleteAsync("m", TestContext.Current.CancellationToken);
        }
        await using (var second = area.Open("job_a", "b.bin"))
        {
            second.Write(new byte[1_000]);
            await second.CompleteAsync("m", TestContext.Current.CancellationToken);
        }
        Assert.Equal(1_000, area.MemoryBytes);
        Assert.False(File.Exists(area.FilePath("job_a", "a.bin")));
        Assert.True(File.Exists(area.FilePath("job_a", "b.bin")));
        area.Discard("job_a");
        Assert.Equal(0, area.MemoryBytes);
        Assert.False(Directory.Exists(Path.Combine(area.Directory, "job_a")));
        Assert.Null(area.OpenRead("job_a", "a.bin"));
        Assert.Null(area.OpenRead("job_a", "b.bin"));
    }

    [Fact]
    public async Task A_name_staged_again_replaces_the_earlier_bytes_and_the_earlier_digest_is_refused()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var before = await StageAsync(store, "job_r", "out.bin", [1, 2, 3]);
        var after = await StageAsync(store, "job_r", "out.bin", [4, 5, 6, 7]);
        Assert.Equal(4, store.Staging.MemoryBytes);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => store.PromoteAsync(before, TestContext.Current.CancellationToken));
        Assert.Contains(before.ContentHash, refused.Message);
        Assert.False(store.Contains(before.ContentHash));

        await store.PromoteAsync(after, TestContext.Current.CancellationToken);
        Assert.Equal([4, 5, 6, 7], await ReadAllAsync(store, after.ContentHash));
    }

    [Fact]
    public async Task A_spilled_name_staged_again_small_is_read_from_memory_and_a_small_one_staged_again_large_from_its_file()
    {
        var store = new LocalDiskArtifactStore(_dir);
        var large = RandomNumberGenerator.GetBytes(StagingStream.BufferSize * 2);
        await StageAsync(store, "job_s", "out.bin", large);
        var small = await StageAsync(store, "job_s", "out.bin", [9, 9]);
        await using (var read = store.Staging.OpenRead("job_s", "out.bin"))
            Assert.Equal(2, read!.Length);
        await store.PromoteAsync(small, TestContext.Current.CancellationToken);
        Assert.Equal([9, 9], await ReadAllAsync(store, small.ContentHash));

        await StageAsync(store, "job_t", "out.bin", [1]);
        var larger = await StageAsync(store, "job_t", "out.bin", large);
        Assert.Equal(0, store.Staging.MemoryBytes);
        await store.PromoteAsync(larger, TestContext.Current.CancellationToken);
        Assert.Equal(large, await ReadAllAsync(store, larger.ContentHash));
    }

    [Fact]
    public async Task An_output_abandoned_before_completion_is_not_staged()
    {
        var store = new LocalDiskArtifactStore(_dir);
        await using (var stream = store.OpenStaging("job_x", "out.bin"))
            await stream.WriteAsync(new byte[100], TestContext.Current.CancellationToken);
        Assert.Equal(0, store.Staging.MemoryBytes);
        Assert.Null(store.Staging.OpenRead("job_x", "out.bin"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void Malformed_output_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new StagingArea(Path.Combine(_dir, "staging")).Open("job_n", name));
}

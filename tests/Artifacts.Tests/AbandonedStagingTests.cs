using System.Diagnostics;

namespace RadMah.Artifacts.Tests;

/// <summary>What a process staged is removed once that process is gone, however it went; what live processes stage is left alone.</summary>
public sealed class AbandonedStagingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("radmah-abandoned-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task SpillAsync(StagingArea area, string key)
    {
        await using var stream = area.Open(key, "out.bin");
        await stream.WriteAsync(new byte[StagingStream.BufferSize * 2], TestContext.Current.CancellationToken);
        await stream.CompleteAsync("application/octet-stream", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_new_area_removes_the_directory_of_a_killed_process_and_keeps_those_of_live_areas()
    {
        // A process that stages a large output and is then killed with SIGKILL, mid-job.
        var killed = Path.Combine(_root, "12345-deadbeef");
        Directory.CreateDirectory(Path.Combine(killed, "job_lost"));
        await File.WriteAllBytesAsync(Path.Combine(killed, "job_lost", "dataset.csv"), new byte[100_000], TestContext.Current.CancellationToken);
        // flock -o: the lock is held by flock itself (not passed on to sleep), so killing it is killing the holder.
        var start = new ProcessStartInfo("flock", ["-o", Path.Combine(killed, StagingArea.OwnerFileName), "sleep", "60"]);
        using (var holder = Process.Start(start)!)
        {
            // Its lock is held while it lives: a new area leaves its directory alone.
            await WaitUntilLockedAsync(Path.Combine(killed, StagingArea.OwnerFileName));
            using (var early = new StagingArea(_root))
                Assert.True(Directory.Exists(killed));
            holder.Kill();
            await holder.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var live = new StagingArea(_root);
        await SpillAsync(live, "job_running");
        using var starting = new StagingArea(_root);
        Assert.False(Directory.Exists(killed), "a dead process's staging must go");
        Assert.True(File.Exists(Path.Combine(live.Directory, "job_running", "out.bin")), "a live area's staging must stay");
        Assert.Equal(0, starting.SweepAbandoned());
    }

    [Fact]
    public async Task A_disposed_area_leaves_nothing_and_an_old_unowned_directory_is_swept()
    {
        using (var area = new StagingArea(_root))
            await SpillAsync(area, "job_done");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));

        var legacy = Path.Combine(_root, "job_from_an_older_layout");
        Directory.CreateDirectory(legacy);
        var recent = Path.Combine(_root, "being_created");
        Directory.CreateDirectory(recent);
        Directory.SetLastWriteTimeUtc(legacy, DateTime.UtcNow.AddHours(-2));
        using var sweeper = new StagingArea(_root);
        Assert.False(Directory.Exists(legacy));
        Assert.True(Directory.Exists(recent));
    }

    /// <summary>Waits until another process holds the lock (the file cannot be opened exclusively).</summary>
    private static async Task WaitUntilLockedAsync(string path)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)) { }
            }
            catch (IOException)
            {
                return;
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"nothing locked {path}");
    }
}

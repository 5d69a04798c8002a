using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RadMah.Artifacts;

/// <summary>
/// fsync(2) of files and directories, run on two dedicated threads. A sync blocks for as long as
/// the disk takes (milliseconds on a virtual disk); done on a thread-pool thread or inside an
/// Orleans turn, it would stall every request and grain call queued behind that thread.
/// </summary>
public static class DiskSync
{
    private static readonly BlockingCollection<(string Path, bool IsDirectory, TaskCompletionSource Done)> Requests = [];

    static DiskSync()
    {
        for (var i = 0; i < 2; i++)
            new Thread(Serve) { IsBackground = true, Name = $"radmah-fsync-{i}" }.Start();
    }

    /// <summary>Completes once the file's bytes and size are on the disk.</summary>
    public static Task FileAsync(string path) => Enqueue(path, isDirectory: false);

    /// <summary>Completes once the directory's entries (a rename or create in it) are on the disk.</summary>
    public static Task DirectoryAsync(string path) => Enqueue(path, isDirectory: true);

    private static Task Enqueue(string path, bool isDirectory)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((path, isDirectory, done));
        return done.Task;
    }

    private static void Serve()
    {
        foreach (var (path, isDirectory, done) in Requests.GetConsumingEnumerable())
        {
            try
            {
                if (isDirectory) SyncDirectory(path);
                else SyncFile(path);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }

    private static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        file.Flush(flushToDisk: true);
    }

    private static void SyncDirectory(string path)
    {
        // .NET opens no directory handles, and Windows has no directory sync (its renames are journaled).
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which Engine does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}

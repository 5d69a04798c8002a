using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RadMah.Artifacts;

/// <summary>
/// Where work stages its outputs until promotion. An output that fits in a staging stream's buffer
/// (64 KiB: a small job's rows, a contract, an evidence bundle) stays in this process's memory and
/// never touches the file system; a larger one spills to DIRECTORY/KEY/NAME. Creating and deleting a
/// staging directory and a file per output was about 29% of the all-in-one node's CPU on ten-row jobs,
/// most of it ext4 looking for free inodes among recently deleted ones (docs/BENCHMARKS.md).
/// Memory held here is bounded by <see cref="MemoryLimitBytes"/>; past it, outputs go to files again.
/// <para>
/// Each area (one per process, normally) spills into a directory of its own under the staging root,
/// and holds an exclusive lock on the file .owner in it for as long as it lives. The kernel drops the
/// lock when the process dies, however it dies, so what a killed process staged is found by the lock
/// that is no longer held: every area removes such directories when it starts and every few minutes
/// (<see cref="SweepAbandoned"/>). Several processes may share one staging root (a data directory
/// every node mounts); each sees the others' directories as locked, and leaves them alone.
/// </para>
/// </summary>
public sealed class StagingArea : IDisposable
{
    public const string OwnerFileName = ".owner";

    /// <summary>How often the area looks for the directories of areas that died.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(5);

    /// <summary>A directory without an owner file (from a layout before owners, or one being created) is left alone until it is this old.</summary>
    private static readonly TimeSpan UnownedGrace = TimeSpan.FromHours(1);

    /// <summary>Per staging key, its outputs held in memory by name.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _inMemory = new(StringComparer.Ordinal);
    private readonly FileStream _owner;
    private readonly Timer _sweeper;
    private long _memoryBytes;

    public StagingArea(string directory, long memoryLimitBytes = 64L << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryLimitBytes);
        Root = Path.GetFullPath(directory);
        Directory = Path.Combine(Root, $"{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        MemoryLimitBytes = memoryLimitBytes;
        System.IO.Directory.CreateDirectory(Directory);
        _owner = new FileStream(Path.Combine(Directory, OwnerFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        SweepAbandoned();
        _sweeper = new Timer(_ => SweepAbandoned(), null, SweepPeriod, SweepPeriod);
    }

    /// <summary>Where every area of this data directory keeps its own directory.</summary>
    public string Root { get; }

    /// <summary>This area's own directory: DIRECTORY/KEY/NAME is where an output spills.</summary>
    public string Directory { get; }

    public long MemoryLimitBytes { get; }

    /// <summary>Bytes of staged outputs held in memory now.</summary>
    public long MemoryBytes => Interlocked.Read(ref _memoryBytes);

    /// <summary>A stream that hashes what is written and stages it as <paramref name="name"/> of <paramref name="stagingKey"/>.</summary>
    public StagingStream Open(string stagingKey, string name)
    {
        FilePath(stagingKey, name);
        return new StagingStream(this, stagingKey, name);
    }

    /// <summary>Where <paramref name="name"/> of <paramref name="stagingKey"/> is (or would be) once spilled to disk.</summary>
    public string FilePath(string stagingKey, string name)
    {
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a valid artifact file name.", nameof(name));
        return Path.Combine(KeyDirectory(stagingKey), name);
    }

    /// <summary>The staged bytes as they were completed, or null when nothing is staged under that name.</summary>
    public Stream? OpenRead(string stagingKey, string name)
    {
        if (TryGetInMemory(stagingKey, name, out var bytes)) return new MemoryStream(bytes, writable: false);
        var path = FilePath(stagingKey, name);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The bytes of an output held in memory (promotion checks them against their digest).</summary>
    public bool TryGetInMemory(string stagingKey, string name, out byte[] bytes)
    {
        bytes = [];
        if (!_inMemory.TryGetValue(stagingKey, out var outputs) || !outputs.TryGetValue(name, out var held)) return false;
        bytes = held;
        return true;
    }

    /// <summary>Forgets one staged output (promoted, or stored already), in memory or on disk.</summary>
    public void Remove(string stagingKey, string name)
    {
        if (_inMemory.TryGetValue(stagingKey, out var outputs) && outputs.TryRemove(name, out var held))
        {
            Interlocked.Add(ref _memoryBytes, -held.Length);
            return;
        }
        DeleteFile(FilePath(stagingKey, name));
    }

    /// <summary>Forgets everything staged under <paramref name="stagingKey"/>.</summary>
    public void Discard(string stagingKey)
    {
        var directory = KeyDirectory(stagingKey);
        if (_inMemory.TryRemove(stagingKey, out var outputs))
            foreach (var held in outputs.Values) Interlocked.Add(ref _memoryBytes, -held.Length);
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
    }

    /// <summary>Keeps a completed output in memory; false when that would pass the memory limit (it is then written to a file).</summary>
    internal bool TryKeep(string stagingKey, string name, ReadOnlySpan<byte> bytes)
    {
        if (Interlocked.Add(ref _memoryBytes, bytes.Length) > MemoryLimitBytes)
        {
            Interlocked.Add(ref _memoryBytes, -bytes.Length);
            return false;
        }
        var outputs = _inMemory.GetOrAdd(stagingKey, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        var copy = bytes.ToArray();
        // The same name staged again (a new attempt, a resumed commit) replaces what was there.
        outputs.AddOrUpdate(name, copy, (_, previous) =>
        {
            Interlocked.Add(ref _memoryBytes, -previous.Length);
            return copy;
        });
        // An older spilled file of the same name may remain until the key is discarded: readers look in memory first.
        return true;
    }

    /// <summary>Creates the file an output spills to; a copy of the same name in memory is older and goes.</summary>
    internal FileStream CreateFile(string stagingKey, string name)
    {
        var path = FilePath(stagingKey, name);
        if (_inMemory.TryGetValue(stagingKey, out var outputs) && outputs.TryRemove(name, out var held))
            Interlocked.Add(ref _memoryBytes, -held.Length);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
    }

    /// <summary>
    /// Removes the directories of areas whose process has died (their owner file can be locked) and
    /// old directories that no area owns; returns how many it removed. Never throws: a directory
    /// another process is removing at the same moment is simply skipped.
    /// </summary>
    public int SweepAbandoned()
    {
        var removed = 0;
        try
        {
            foreach (var candidate in System.IO.Directory.EnumerateDirectories(Root))
            {
                if (candidate == Directory) continue;
                try
                {
                    if (!Abandoned(candidate)) continue;
                    System.IO.Directory.Delete(candidate, recursive: true);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // In use, or removed meanwhile.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The root itself is unreadable for now; the next sweep tries again.
        }
        return removed;
    }

    private static bool Abandoned(string directory)
    {
        var owner = Path.Combine(directory, OwnerFileName);
        if (!File.Exists(owner)) return DateTime.UtcNow - System.IO.Directory.GetLastWriteTimeUtc(directory) > UnownedGrace;
        try
        {
            // Held while its area lives (FileShare.None locks the file); gone with its process.
            using (new FileStream(owner, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _owner.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A later sweep removes it.
        }
    }

    /// <summary>The SHA-256 digest of bytes, as artifacts are named.</summary>
    public static string DigestOf(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private string KeyDirectory(string stagingKey)
    {
        if (string.IsNullOrWhiteSpace(stagingKey) || stagingKey.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || stagingKey is "." or "..")
            throw new ArgumentException($"'{stagingKey}' is not a valid staging key.", nameof(stagingKey));
        return Path.Combine(Directory, stagingKey);
    }

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever spilled under this key.
        }
    }
}

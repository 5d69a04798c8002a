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
/// </summary>
public sealed class StagingArea
{
    /// <summary>Per staging key, its outputs held in memory by name.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _inMemory = new(StringComparer.Ordinal);
    private long _memoryBytes;

    public StagingArea(string directory, long memoryLimitBytes = 64L << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryLimitBytes);
        Directory = Path.GetFullPath(directory);
        MemoryLimitBytes = memoryLimitBytes;
        System.IO.Directory.CreateDirectory(Directory);
    }

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

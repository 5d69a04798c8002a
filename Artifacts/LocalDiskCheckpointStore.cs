using System.Security.Cryptography;

namespace RadMah.Artifacts;

/// <summary>
/// Checkpoints as files under DATA/checkpoints, for nodes that share a data directory (one machine,
/// or a shared volume). A save writes a temporary file, syncs it and renames it over the previous
/// one, so a crash mid-save leaves the previous checkpoint; a SHA-256 trailer is checked on load.
/// </summary>
public sealed class LocalDiskCheckpointStore : ICheckpointStore
{
    private readonly string _directory;

    public LocalDiskCheckpointStore(string dataDirectory)
    {
        _directory = Path.Combine(Path.GetFullPath(dataDirectory), "checkpoints");
        Directory.CreateDirectory(_directory);
    }

    private string PathOf(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200 || key.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || key is "." or "..")
            throw new ArgumentException($"'{key}' is not a valid checkpoint key.", nameof(key));
        return Path.Combine(_directory, key + ".ckpt");
    }

    public async Task SaveAsync(string key, byte[] state, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(state, cancellationToken);
                await file.WriteAsync(SHA256.HashData(state), cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public async Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        if (bytes.Length < 32 || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException($"checkpoint '{key}' does not match its digest.");
        return bytes[..^32];
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}

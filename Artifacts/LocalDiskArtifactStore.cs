namespace RadMah.Artifacts;

/// <summary>
/// The embedded default: artifacts as files under DATA/artifacts/sha256/ab/abcdef…, staging in
/// memory for small outputs and under DATA/staging/OWNER/KEY/ for larger ones (<see cref="StagingArea"/>).
/// A file appears under its digest only by a rename within one file system, so a reader never sees half a file.
/// (Staging in one flat directory instead was measured slower on ext4 without a journal: creating
/// files among many recently deleted ones made inode allocation scan; see docs/BENCHMARKS.md.)
/// </summary>
public sealed class LocalDiskArtifactStore : IArtifactStore, IDisposable
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private readonly string _objects;
    private readonly bool _durable;

    /// <param name="dataDirectory">Where artifacts/ and staging/ live.</param>
    /// <param name="durable">
    /// Whether a promoted file must survive a power loss before promotion completes (fsync of the file,
    /// then of its directory after the rename). Off where nothing durable points at the files: with
    /// job records held in process memory, or for staging whose promotion copies into a database.
    /// </param>
    public LocalDiskArtifactStore(string dataDirectory, bool durable = true)
    {
        _durable = durable;
        Root = Path.GetFullPath(dataDirectory);
        _objects = Path.Combine(Root, "artifacts", "sha256");
        Directory.CreateDirectory(_objects);
        Staging = new StagingArea(Path.Combine(Root, "staging"));
    }

    public string Root { get; }

    /// <summary>Outputs staged and not yet promoted or discarded.</summary>
    public StagingArea Staging { get; }

    public StagingStream OpenStaging(string stagingKey, string name) => Staging.Open(stagingKey, name);

    public void Dispose() => Staging.Dispose();

    public async Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default)
    {
        var target = ObjectPath(artifact.ContentHash);
        if (File.Exists(target))
        {
            // Same digest, same bytes: the store already has them (a rerun, or a retried promotion).
            Staging.Remove(artifact.StagingKey, artifact.Name);
            return;
        }
        if (Staging.TryGetInMemory(artifact.StagingKey, artifact.Name, out var bytes))
        {
            await StoreNewAsync(artifact, bytes, target).ConfigureAwait(false);
            Staging.Remove(artifact.StagingKey, artifact.Name);
            return;
        }
        var staged = Staging.FilePath(artifact.StagingKey, artifact.Name);
        if (!File.Exists(staged))
            throw new FileNotFoundException($"Staged artifact '{artifact.Name}' of '{artifact.StagingKey}' is gone and {artifact.ContentHash} is not stored.");
        await PublishAsync(staged, target).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes an output staged in memory under its digest: to a new file beside the target, then
    /// renamed into place. The bytes are checked first: what is published must be what was sealed.
    /// </summary>
    private async Task StoreNewAsync(StagedArtifact artifact, byte[] bytes, string target)
    {
        artifact.RequireContent(bytes);
        var directory = Path.GetDirectoryName(target)!;
        var newDirectory = !Directory.Exists(directory);
        if (newDirectory) Directory.CreateDirectory(directory);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        var published = false;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None))
                file.Write(bytes);
            await PublishAsync(temporary, target, newDirectory).ConfigureAwait(false);
            published = true;
        }
        finally
        {
            if (!published) File.Delete(temporary);
        }
    }

    /// <summary>Renames a complete file to its digest's name (after syncing it, with durable records).</summary>
    private async Task PublishAsync(string staged, string target, bool? newDirectory = null)
    {
        var directory = Path.GetDirectoryName(target)!;
        newDirectory ??= !Directory.Exists(directory);
        if (newDirectory.Value) Directory.CreateDirectory(directory);
        // The bytes reach the disk before the name that publishes them does.
        if (_durable) await DiskSync.FileAsync(staged).ConfigureAwait(false);
        try
        {
            File.Move(staged, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another job promoted the same content at the same moment.
            File.Delete(staged);
            return;
        }
        if (_durable)
        {
            await DiskSync.DirectoryAsync(directory).ConfigureAwait(false);
            if (newDirectory.Value) await DiskSync.DirectoryAsync(_objects).ConfigureAwait(false);
        }
    }

    public Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default)
    {
        Staging.Discard(stagingKey);
        return Task.CompletedTask;
    }

    public bool Contains(string contentHash) => File.Exists(ObjectPath(contentHash));

    public Stream OpenRead(string contentHash)
    {
        var path = ObjectPath(contentHash);
        if (!File.Exists(path)) throw new FileNotFoundException($"Artifact {contentHash} is not stored.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return new DigestCheckingStream(file, contentHash);
    }

    public string ObjectPath(string contentHash)
    {
        RequireDigest(contentHash);
        var hex = contentHash[7..];
        return Path.Combine(_objects, hex[..2], hex);
    }

    /// <summary>Refuses anything but sha256: followed by 64 lower-case hex digits.</summary>
    public static void RequireDigest(string contentHash)
    {
        if (contentHash is null || !contentHash.StartsWith("sha256:", StringComparison.Ordinal) || contentHash.Length != 71 || contentHash.AsSpan(7).ContainsAnyExcept(HexDigits))
            throw new ArgumentException($"'{contentHash}' is not a sha256:<64 hex> digest.", nameof(contentHash));
    }
}

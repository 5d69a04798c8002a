namespace RadMah.Engine.Artifacts;

/// <summary>
/// The embedded default: artifacts as files under DATA/artifacts/sha256/ab/abcdef…, staging under
/// DATA/staging/KEY/. Promotion is a rename within one file system, so a reader never sees half a file.
/// (Staging in one flat directory instead was measured slower on ext4 without a journal: creating
/// files among many recently deleted ones made inode allocation scan; see docs/BENCHMARKS.md.)
/// </summary>
public sealed class LocalDiskArtifactStore : IArtifactStore
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private readonly string _objects;
    private readonly string _staging;
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
        _staging = Path.Combine(Root, "staging");
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_staging);
    }

    public string Root { get; }

    public StagingStream OpenStaging(string stagingKey, string name)
    {
        var directory = StagingDirectory(stagingKey);
        Directory.CreateDirectory(directory);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a valid artifact file name.", nameof(name));
        return new StagingStream(stagingKey, name, Path.Combine(directory, name));
    }

    public async Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default)
    {
        var target = ObjectPath(artifact.ContentHash);
        var staged = Path.Combine(StagingDirectory(artifact.StagingKey), artifact.Name);
        if (File.Exists(target))
        {
            // Same digest, same bytes: the store already has them (a rerun, or a retried promotion).
            if (File.Exists(staged)) File.Delete(staged);
            return;
        }
        if (!File.Exists(staged))
            throw new FileNotFoundException($"Staged artifact '{artifact.Name}' of '{artifact.StagingKey}' is gone and {artifact.ContentHash} is not stored.");
        var directory = Path.GetDirectoryName(target)!;
        var newDirectory = !Directory.Exists(directory);
        if (newDirectory) Directory.CreateDirectory(directory);
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
            if (newDirectory) await DiskSync.DirectoryAsync(_objects).ConfigureAwait(false);
        }
    }

    public Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default)
    {
        var directory = StagingDirectory(stagingKey);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
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

    /// <summary>Where <paramref name="name"/> of staging area <paramref name="stagingKey"/> is (or would be) on disk.</summary>
    public string StagedPath(string stagingKey, string name)
    {
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a valid artifact file name.", nameof(name));
        return Path.Combine(StagingDirectory(stagingKey), name);
    }

    /// <summary>Refuses anything but sha256: followed by 64 lower-case hex digits.</summary>
    public static void RequireDigest(string contentHash)
    {
        if (contentHash is null || !contentHash.StartsWith("sha256:", StringComparison.Ordinal) || contentHash.Length != 71 || contentHash.AsSpan(7).ContainsAnyExcept(HexDigits))
            throw new ArgumentException($"'{contentHash}' is not a sha256:<64 hex> digest.", nameof(contentHash));
    }

    private string StagingDirectory(string stagingKey)
    {
        if (string.IsNullOrWhiteSpace(stagingKey) || stagingKey.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || stagingKey is "." or "..")
            throw new ArgumentException($"'{stagingKey}' is not a valid staging key.", nameof(stagingKey));
        return Path.Combine(_staging, stagingKey);
    }
}

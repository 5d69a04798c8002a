using System.Security.Cryptography;

namespace RadMah.Engine.Artifacts;

/// <summary>
/// A write-only, append-only file stream that computes the SHA-256 of everything written through it.
/// It reports CanSeek because Arrow's file writer insists on it to learn block offsets from Position;
/// actually moving the position is refused, so the digest always covers the bytes in order.
/// </summary>
public sealed class StagingStream(string stagingKey, string name, string path) : Stream
{
    // 64 KiB keeps the buffer off the large-object heap; chunk writes are bigger and bypass it anyway.
    private readonly FileStream _file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public string StagingKey { get; } = stagingKey;
    public string Name { get; } = name;
    public string Path { get; } = path;

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _file.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _length + offset, _ => _length + offset };
        if (target != _length) throw new NotSupportedException("A staging stream only appends.");
        return _length;
    }
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Flushes to disk and describes the staged file.</summary>
    public async Task<StagedArtifact> CompleteAsync(string artifactType, string mediaType, CancellationToken cancellationToken = default)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
        var digest = "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
        return new StagedArtifact(StagingKey, Name, artifactType, mediaType, digest, _length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}

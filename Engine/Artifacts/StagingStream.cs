using System.Buffers;
using System.Security.Cryptography;

namespace RadMah.Engine.Artifacts;

/// <summary>
/// A write-only, append-only file stream that computes the SHA-256 of everything written through it.
/// It reports CanSeek because Arrow's file writer insists on it to learn block offsets from Position;
/// actually moving the position is refused, so the digest always covers the bytes in order.
/// </summary>
public sealed class StagingStream : Stream
{
    /// <summary>
    /// Small writes (Arrow's metadata, a contract, an evidence bundle) gather here; the buffer is
    /// rented, not owned: a FileStream's own 64 KiB buffer per staged file was most of the bytes a
    /// small job allocated, and each one lived long enough to be promoted by the collector.
    /// </summary>
    private const int BufferSize = 1 << 16;

    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _buffered;
    private long _length;

    public StagingStream(string stagingKey, string name, string path)
    {
        StagingKey = stagingKey;
        Name = name;
        Path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
    }

    public string StagingKey { get; }
    public string Name { get; }
    public string Path { get; }

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        if (TryBuffer(buffer)) return;
        FlushBuffer();
        if (!TryBuffer(buffer)) _file.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        if (TryBuffer(buffer.Span)) return;
        if (_buffered > 0)
        {
            await _file.WriteAsync(Buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            _buffered = 0;
        }
        if (!TryBuffer(buffer.Span)) await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => FlushBuffer();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        FlushBuffer();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _length + offset, _ => _length + offset };
        if (target != _length) throw new NotSupportedException("A staging stream only appends.");
        return _length;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Hands the written bytes to the operating system and describes the staged file. Making them
    /// durable is the store's part of promotion, where it matters (see <see cref="LocalDiskArtifactStore"/>).
    /// </summary>
    public Task<StagedArtifact> CompleteAsync(string artifactType, string mediaType, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // At most one buffer's worth, into the page cache: cheaper written here than handed to the thread pool.
        FlushBuffer();
        var digest = "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
        return Task.FromResult(new StagedArtifact(StagingKey, Name, artifactType, mediaType, digest, _length));
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(StagingStream));

    /// <summary>Copies small writes into the buffer; false when they do not fit, or are as big as the buffer and better written directly.</summary>
    private bool TryBuffer(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= BufferSize || _buffered + bytes.Length > BufferSize) return false;
        bytes.CopyTo(Buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        return true;
    }

    private void FlushBuffer()
    {
        if (_buffered == 0) return;
        _file.Write(Buffer, 0, _buffered);
        _buffered = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
            if (_buffer is { } rented)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        base.Dispose(disposing);
    }
}

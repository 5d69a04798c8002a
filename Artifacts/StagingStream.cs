using System.Buffers;
using System.Security.Cryptography;

namespace RadMah.Artifacts;

/// <summary>
/// A write-only, append-only stream that stages an output and computes the SHA-256 of everything
/// written through it. Bytes gather in a buffer; an output that never outgrows it is kept in memory
/// by its <see cref="StagingArea"/> when completed, and only a larger one is written to a file.
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
    public const int BufferSize = 1 << 16;

    private readonly StagingArea _area;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private FileStream? _file;
    private int _buffered;
    private long _length;

    internal StagingStream(StagingArea area, string stagingKey, string name)
    {
        _area = area;
        StagingKey = stagingKey;
        Name = name;
    }

    public string StagingKey { get; }
    public string Name { get; }

    /// <summary>Whether the output outgrew the buffer and is being written to a file.</summary>
    public bool Spilled => _file is not null;

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
        if (!TryBuffer(buffer)) File.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        if (TryBuffer(buffer.Span)) return;
        if (_buffered > 0)
        {
            await File.WriteAsync(Buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            _buffered = 0;
        }
        if (!TryBuffer(buffer.Span)) await File.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Nothing to do: bytes stay buffered until they outgrow the buffer or the output is completed.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _length + offset, _ => _length + offset };
        if (target != _length) throw new NotSupportedException("A staging stream only appends.");
        return _length;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Stages what was written (in memory when it fits the buffer and the area has room, else the rest of
    /// the file) and describes it. Making the bytes durable is the store's part of promotion, where it
    /// matters (see <see cref="LocalDiskArtifactStore"/>).
    /// </summary>
    public Task<StagedArtifact> CompleteAsync(string mediaType, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // At most one buffer's worth, into the page cache: cheaper written here than handed to the thread pool.
        if (_file is not null || !_area.TryKeep(StagingKey, Name, Buffer.AsSpan(0, _buffered))) FlushBuffer(evenIfEmpty: true);
        var digest = "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
        return Task.FromResult(new StagedArtifact(StagingKey, Name, mediaType, digest, _length));
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(StagingStream));

    /// <summary>The file the output spills to, created on first need.</summary>
    private FileStream File => _file ??= _area.CreateFile(StagingKey, Name);

    /// <summary>Copies small writes into the buffer; false when they do not fit, or are as big as the buffer and better written directly.</summary>
    private bool TryBuffer(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= BufferSize || _buffered + bytes.Length > BufferSize) return false;
        bytes.CopyTo(Buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        return true;
    }

    private void FlushBuffer(bool evenIfEmpty = false)
    {
        if (_buffered == 0 && !evenIfEmpty) return;
        File.Write(Buffer, 0, _buffered);
        _buffered = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
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

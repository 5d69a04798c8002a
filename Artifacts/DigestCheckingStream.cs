using System.Security.Cryptography;

namespace RadMah.Artifacts;

/// <summary>
/// Reads a stored artifact and checks it against its digest: when the bytes have been read in
/// order from the first to the last, their SHA-256 must be the digest the store was asked for,
/// or the final read throws <see cref="InvalidDataException"/> instead of reporting the end. A
/// reader that seeks (a range request) gets the bytes unchecked by this stream; stores that can
/// check pieces (the PostgreSQL store checks every chunk) do so underneath.
/// </summary>
public sealed class DigestCheckingStream : Stream
{
    private readonly Stream _inner;
    private readonly string _contentHash;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashedUpTo;
    private bool _contiguous = true;
    private readonly long _length;
    private bool _checked;

    public DigestCheckingStream(Stream inner, string contentHash)
    {
        _inner = inner;
        _contentHash = contentHash;
        // Stored content does not change size, so the end is known up front: the read that
        // delivers the last byte is the one checked (copy loops that stop at Length never read past it).
        _length = inner.CanSeek ? inner.Length : -1;
    }

    public override bool CanRead => true;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => _length >= 0 ? _length : _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var position = _inner.Seek(offset, origin);
        if (position != _hashedUpTo) _contiguous = false;
        return position;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        return Account(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Account(ReadOnlySpan<byte> read)
    {
        if (!_contiguous) return read.Length;
        if (read.Length > 0)
        {
            _hash.AppendData(read);
            _hashedUpTo += read.Length;
            if (_hashedUpTo == _length) Check();
            return read.Length;
        }
        Check();
        return 0;
    }

    private void Check()
    {
        if (_checked) return;
        _checked = true;
        var actual = "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (actual != _contentHash)
            throw new InvalidDataException($"stored artifact {_contentHash} is corrupt: its bytes hash to {actual}.");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _hash.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

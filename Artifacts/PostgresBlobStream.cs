using System.Security.Cryptography;
using Npgsql;

namespace RadMah.Artifacts;

/// <summary>
/// A seekable read of one blob of <see cref="PostgresArtifactStore"/>, a chunk at a time. Each
/// chunk is checked against its stored SHA-256 and its expected length before any of it is returned.
/// </summary>
internal sealed class PostgresBlobStream(NpgsqlDataSource dataSource, string contentHash, long size, int chunkSize, int chunkCount) : Stream
{
    private const string ChunkQuery = "SELECT bytes, chunk_sha256 FROM radmah_blob_chunks WHERE content_hash = $1 AND chunk_index = $2";

    private long _position;
    private int _chunkIndex = -1;
    private byte[] _chunk = [];

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => size;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => size + offset };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= size || buffer.IsEmpty) return 0;
        var index = (int)(_position / chunkSize);
        if (index != _chunkIndex)
        {
            using var command = ChunkCommand(index);
            using var reader = command.ExecuteReader();
            Accept(index, reader.Read() ? (reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)) : null);
        }
        return CopyOut(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= size || buffer.IsEmpty) return 0;
        var index = (int)(_position / chunkSize);
        if (index != _chunkIndex)
        {
            await using var command = ChunkCommand(index);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            Accept(index, await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (await reader.GetFieldValueAsync<byte[]>(0, cancellationToken).ConfigureAwait(false), await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false))
                : null);
        }
        return CopyOut(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private NpgsqlCommand ChunkCommand(int index)
    {
        var command = dataSource.CreateCommand(ChunkQuery);
        command.Parameters.Add(new() { Value = contentHash });
        command.Parameters.Add(new() { Value = index });
        return command;
    }

    private void Accept(int index, (byte[] Bytes, byte[] Sha256)? row)
    {
        var expectedLength = index == chunkCount - 1 ? (int)(size - (long)index * chunkSize) : chunkSize;
        if (row is not { } chunk)
            throw new InvalidDataException($"stored artifact {contentHash} is corrupt: chunk {index} of {chunkCount} is missing.");
        if (chunk.Bytes.Length != expectedLength)
            throw new InvalidDataException($"stored artifact {contentHash} is corrupt: chunk {index} has {chunk.Bytes.Length} bytes, expected {expectedLength}.");
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(chunk.Bytes), chunk.Sha256))
            throw new InvalidDataException($"stored artifact {contentHash} is corrupt: chunk {index} does not match its SHA-256.");
        _chunkIndex = index;
        _chunk = chunk.Bytes;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var within = (int)(_position - (long)_chunkIndex * chunkSize);
        var count = Math.Min(buffer.Length, _chunk.Length - within);
        _chunk.AsSpan(within, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

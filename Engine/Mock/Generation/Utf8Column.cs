using System.Runtime.CompilerServices;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// Text values of one chunk in Arrow's own layout: UTF-8 bytes back to back plus int32 offsets.
/// The CSV encoder copies from it and the Arrow writer wraps it without re-encoding.
/// </summary>
public sealed class Utf8Column
{
    public byte[] Data = [];
    public int[] Offsets = [];
    public int Count;
    public int ByteLength;

    public void Reset(int capacity)
    {
        if (Offsets.Length < capacity + 1) BufferPool.Replace(ref Offsets, capacity + 1);
        if (Data.Length == 0) BufferPool.Replace(ref Data, 16 * capacity);
        Offsets[0] = 0;
        Count = 0;
        ByteLength = 0;
    }

    /// <summary>Gives the arrays back to the shared pool; the column is empty afterwards.</summary>
    public void Release()
    {
        BufferPool.Return(ref Data);
        BufferPool.Return(ref Offsets);
        Count = 0;
        ByteLength = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        Commit(value.Length);
    }

    /// <summary>Space for up to <paramref name="maxBytes"/> bytes of the next value; finish with <see cref="Commit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int maxBytes)
    {
        if (ByteLength + maxBytes > Data.Length) Grow(ByteLength + maxBytes);
        return Data.AsSpan(ByteLength, maxBytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit(int written)
    {
        ByteLength += written;
        Offsets[++Count] = ByteLength;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Get(int index) => Data.AsSpan(Offsets[index], Offsets[index + 1] - Offsets[index]);

    private void Grow(int needed)
    {
        var bigger = BufferPool.Rent<byte>(Math.Max(needed, Data.Length * 2));
        Data.AsSpan(0, ByteLength).CopyTo(bigger);
        BufferPool.Return(ref Data);
        Data = bigger;
    }
}

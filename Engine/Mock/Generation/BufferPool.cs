using System.Buffers;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// Chunk-sized arrays come from <see cref="ArrayPool{T}.Shared"/>: they are large-object-heap
/// sized, and allocating fresh ones for every job costs full garbage collections.
/// </summary>
public static class BufferPool
{
    public static T[] Rent<T>(int minimumLength) => ArrayPool<T>.Shared.Rent(minimumLength);

    /// <summary>Returns <paramref name="array"/> (unless empty) and rents one of at least <paramref name="minimumLength"/>.</summary>
    public static void Replace<T>(ref T[] array, int minimumLength)
    {
        Return(ref array);
        array = ArrayPool<T>.Shared.Rent(minimumLength);
    }

    public static void Return<T>(ref T[] array)
    {
        if (array.Length > 0) ArrayPool<T>.Shared.Return(array);
        array = [];
    }
}

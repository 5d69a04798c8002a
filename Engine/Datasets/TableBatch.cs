using System.Buffers;
using Apache.Arrow;

namespace RadMah.Engine.Datasets;

/// <summary>One Arrow record batch of a dataset and the pooled arrays behind it.</summary>
public sealed class TableBatch(RecordBatch data, long firstRow, List<byte[]>? rented = null) : IDisposable
{
    private List<byte[]>? _rented = rented;

    public RecordBatch Data { get; } = data;

    /// <summary>Zero-based index of the batch's first row in the dataset.</summary>
    public long FirstRow { get; } = firstRow;

    public int RowCount => Data.Length;

    public void Dispose()
    {
        Data.Dispose();
        if (_rented is null) return;
        foreach (var array in _rented) ArrayPool<byte>.Shared.Return(array);
        _rented = null;
    }
}

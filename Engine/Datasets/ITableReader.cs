namespace RadMah.Engine.Datasets;

/// <summary>
/// Reads a dataset as a sequence of Arrow record batches, streaming: memory holds a batch or a
/// Parquet row group at a time, never the file. Text formats give utf8 columns (their types are
/// inferred later, by analysis); Parquet and Arrow give their own types.
/// </summary>
public interface ITableReader : IAsyncDisposable
{
    DatasetFormat Format { get; }

    /// <summary>How the file was read (delimiter, encoding, header, row groups…), for profiles and reports.</summary>
    IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>Things the reader repaired or assumed (a renamed duplicate header); grows while reading.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>The batches in file order. Each batch must be disposed once used; its memory is pooled.</summary>
    IAsyncEnumerable<TableBatch> ReadAsync(CancellationToken cancellationToken = default);
}

using RadMah.Engine.Datasets.Arff;
using RadMah.Engine.Datasets.ArrowIpc;
using RadMah.Engine.Datasets.Csv;
using RadMah.Engine.Datasets.Json;
using RadMah.Engine.Datasets.Parquet;

namespace RadMah.Engine.Datasets;

/// <summary>Choices a job can make about how its dataset is read; null leaves them to detection.</summary>
public sealed record TableReadOptions
{
    public char? Delimiter { get; init; }
    public bool? Header { get; init; }

    /// <summary>
    /// Whether numbers in a CSV's first record that their columns show to be names (years above rates) count for a header
    /// (<see cref="CsvDialectSniffer.Sniff"/>); contracts sealed before synthesis revision 9 read without it, as they did.
    /// </summary>
    public bool HeaderNamesByValues { get; init; } = true;
    public int BatchRows { get; init; } = CsvTableReader.DefaultBatchRows;
}

/// <summary>Opens the reader for a dataset's format.</summary>
public static class TableReaders
{
    /// <summary>
    /// A reader over <paramref name="stream"/>, which it owns from here on. Parquet needs a seekable
    /// stream; the other formats read front to back.
    /// </summary>
    public static async Task<ITableReader> OpenAsync(Stream stream, DatasetFormat format, string? fileName = null, TableReadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new TableReadOptions();
        try
        {
            return format switch
            {
                DatasetFormat.Csv => await CsvTableReader.OpenAsync(stream, fileName, options.Delimiter, options.Header, options.BatchRows, cancellationToken,
                    options.HeaderNamesByValues).ConfigureAwait(false),
                DatasetFormat.Tsv => await CsvTableReader.OpenAsync(stream, fileName, options.Delimiter ?? '\t', options.Header, options.BatchRows, cancellationToken,
                    options.HeaderNamesByValues).ConfigureAwait(false),
                DatasetFormat.JsonLines => new JsonLinesTableReader(stream, options.BatchRows),
                DatasetFormat.Json => new JsonArrayTableReader(stream, options.BatchRows),
                DatasetFormat.Arff => await ArffTableReader.OpenAsync(stream, options.BatchRows, cancellationToken).ConfigureAwait(false),
                DatasetFormat.Parquet => await ParquetTableReader.OpenAsync(stream, cancellationToken).ConfigureAwait(false),
                DatasetFormat.Arrow => await ArrowIpcTableReader.OpenAsync(stream, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

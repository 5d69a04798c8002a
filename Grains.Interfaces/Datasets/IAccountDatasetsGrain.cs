namespace RadMah.Grains.Interfaces.Datasets;

/// <summary>An account's uploaded datasets, keyed by account id.</summary>
public interface IAccountDatasetsGrain : IGrainWithStringKey
{
    /// <summary>How much of an upload's beginning <see cref="DetectFormatAsync"/> reads.</summary>
    public const int FormatHeadBytes = 64 * 1024;

    /// <summary>
    /// The format an upload is read as, from its first bytes (up to <see cref="FormatHeadBytes"/>) and its name; a declared
    /// format wins where the bytes allow it (CSV, TSV and JSON Lines for each other). invalid_argument
    /// when the bytes are no supported format or contradict the declared one.
    /// </summary>
    Task<string> DetectFormatAsync(byte[] head, string name, string? declaredFormat);

    /// <summary>
    /// Records an upload whose bytes the store already holds under its digest: the dataset and its
    /// artifact, in one write. Repeating the same record changes nothing.
    /// </summary>
    Task<DatasetRecord> AddAsync(DatasetRecord dataset);

    /// <summary>The account's datasets, newest first.</summary>
    Task<IReadOnlyList<DatasetRecord>> ListAsync();

    /// <summary>One of the account's datasets; not_found for another account's, exactly as for none.</summary>
    Task<DatasetRecord> GetAsync(string datasetId);
}

using RadMah.Artifacts;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Kinds;

namespace RadMah.Grains.Work;

/// <summary>What the kinds that read a table share: opening an input, by digest, as a table, and profiling it.</summary>
public static class DataJobWork
{
    /// <summary>Opens the input, by digest, as a table. The store checks the bytes against the digest as they are read.</summary>
    public static Task<ITableReader> OpenInputAsync(DataJobContract contract, IArtifactStore store, CancellationToken cancellationToken) =>
        OpenAsync(contract.Input, contract.ReadOptions(), store, cancellationToken);

    /// <summary>Opens one input, by digest, as a table read with <paramref name="options"/>.</summary>
    public static Task<ITableReader> OpenAsync(DataInput input, TableReadOptions options, IArtifactStore store, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = store.OpenRead(input.ContentHash);
        }
        catch (FileNotFoundException)
        {
            throw new ContractException($"the input {input.Name} ({input.ContentHash}) is not in the artifact store.");
        }
        if (!DatasetFormatNames.TryParse(input.Format, out var format)) throw new ContractException($"unknown input format '{input.Format}'.");
        return TableReaders.OpenAsync(stream, format, input.Name, options, cancellationToken);
    }

    /// <summary>What a profile says of the input it read.</summary>
    public static DatasetInfo InfoOf(DataInput input) => new()
    {
        Id = input.DatasetId,
        Name = input.Name,
        ContentHash = input.ContentHash,
        Format = input.Format,
        SizeBytes = input.SizeBytes,
    };

    public static async Task<DatasetProfile> ProfileAsync(DataJobContract contract, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken) =>
        (await ProfileInputAsync(contract.Input, contract.ReadOptions(), contract.Seed, keySignatures: false, store, settings, cancellationToken)).Profile;

    /// <summary>
    /// Profiles one input; with <paramref name="keySignatures"/> the columns keep the samples and
    /// filters the foreign-key search needs. Reading options (delimiter, header) apply to the job's
    /// own input only: compared datasets are read as detected.
    /// </summary>
    public static async Task<ProfileResult> ProfileInputAsync(DataInput input, TableReadOptions options, long seed, bool keySignatures, IArtifactStore store,
        WorkSettings settings, CancellationToken cancellationToken)
    {
        await using var reader = await OpenAsync(input, options, store, cancellationToken);
        return await TableProfiler.ProfileWithColumnsAsync(reader, InfoOf(input),
            new ProfileOptions { Seed = seed, Parallelism = settings.Parallelism, Progress = settings.Progress, KeySignatures = keySignatures }, cancellationToken);
    }
}

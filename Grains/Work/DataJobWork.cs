using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>What the data kinds (analyze, fit, lift) share: the checked contract, the input reader, staging an output.</summary>
public static class DataJobWork
{
    public static DataJobContract OpenContract(JobDefinition definition)
    {
        var contract = DataJobContract.Parse(definition.ContractJson);
        if (contract.Seal().Digest != definition.ContractDigest)
            throw new ContractException($"the stored contract does not match its digest {definition.ContractDigest}.");
        return contract;
    }

    /// <summary>Opens the input, by digest, as a table. The store checks the bytes against the digest as they are read.</summary>
    public static Task<ITableReader> OpenInputAsync(DataJobContract contract, IArtifactStore store, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = store.OpenRead(contract.Input.ContentHash);
        }
        catch (FileNotFoundException)
        {
            throw new ContractException($"the input {contract.Input.Name} ({contract.Input.ContentHash}) is not in the artifact store.");
        }
        return TableReaders.OpenAsync(stream, contract.Format, contract.Input.Name, contract.ReadOptions(), cancellationToken);
    }

    public static async Task<DatasetProfile> ProfileAsync(DataJobContract contract, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        await using var reader = await OpenInputAsync(contract, store, cancellationToken);
        var info = new DatasetInfo
        {
            Id = contract.Input.DatasetId,
            Name = contract.Input.Name,
            ContentHash = contract.Input.ContentHash,
            Format = contract.Input.Format,
            SizeBytes = contract.Input.SizeBytes,
        };
        return await TableProfiler.ProfileAsync(reader, info, new ProfileOptions { Seed = contract.Seed, Parallelism = settings.Parallelism, Progress = settings.Progress },
            cancellationToken);
    }

    public static async Task<StagedOutput> StageAsync(IArtifactStore store, string jobId, string name, string artifactType, string mediaType, byte[] bytes,
        CancellationToken cancellationToken)
    {
        await using var stream = store.OpenStaging(jobId, name);
        await stream.WriteAsync(bytes, cancellationToken);
        var staged = await stream.CompleteAsync(artifactType, mediaType, cancellationToken);
        return new StagedOutput(staged.StagingKey, staged.Name, staged.ArtifactType, staged.MediaType, staged.ContentHash, staged.SizeBytes);
    }
}

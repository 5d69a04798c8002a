using System.Text;
using RadMah.Engine.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Output;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>mock: generates the sealed contract's rows as CSV and Arrow, and stores the contract itself.</summary>
public sealed class MockWork : IJobWork
{
    public string Kind => JobKinds.Mock;

    /// <summary>The rows as CSV and as Arrow: artifact names and types alike.</summary>
    public const string CsvType = "dataset.csv";
    public const string ArrowType = "dataset.arrow";

    public async Task<IReadOnlyList<StagedOutput>> RunAsync(JobDefinition definition, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        // The stored canonical text is what was sealed: its digest proves it intact without re-sealing it.
        var contractBytes = Encoding.UTF8.GetBytes(definition.ContractJson);
        if (MockContract.Digest(contractBytes) != definition.ContractDigest)
            throw new ContractException($"the stored contract does not match its digest {definition.ContractDigest}.");
        var contract = MockContract.Parse(definition.ContractJson);

        var staging = definition.JobId;
        await using var csv = store.OpenStaging(staging, CsvType);
        await using var arrow = store.OpenStaging(staging, ArrowType);
        await using var contractFile = store.OpenStaging(staging, "contract.json");
        await contractFile.WriteAsync(contractBytes, cancellationToken);

        await MockDatasetWriter.WriteAsync(contract, csv, arrow, new DatasetWriteOptions
        {
            Parallelism = settings.Parallelism,
            Progress = settings.Progress,
            ArrowMetadata = new Dictionary<string, string> { ["radmah.contract_digest"] = definition.ContractDigest },
        }, cancellationToken);

        return
        [
            ToOutput(await csv.CompleteAsync(CsvType, "text/csv; charset=utf-8", cancellationToken)),
            ToOutput(await arrow.CompleteAsync(ArrowType, "application/vnd.apache.arrow.file", cancellationToken)),
            ToOutput(await contractFile.CompleteAsync("contract.json", "application/json", cancellationToken)),
        ];
    }

    private static StagedOutput ToOutput(StagedArtifact a) => new(a.StagingKey, a.Name, a.ArtifactType, a.MediaType, a.ContentHash, a.SizeBytes);
}

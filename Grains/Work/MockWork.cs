using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>mock: generates the sealed contract's rows as CSV and Arrow, and stores the contract itself.</summary>
public sealed class MockWork(MockKind kind) : JobWork<MockContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, MockContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var staging = definition.JobId;
        await using var csv = store.OpenStaging(staging, ArtifactNames.DatasetCsv);
        await using var arrow = store.OpenStaging(staging, ArtifactNames.DatasetArrow);
        await using var contractFile = store.OpenStaging(staging, ArtifactNames.Contract);
        // The stored canonical text is what was sealed (its digest is the job's contract digest).
        await contractFile.WriteAsync(Encoding.UTF8.GetBytes(definition.ContractJson), cancellationToken);

        await MockDatasetWriter.WriteAsync(contract, csv, arrow, new DatasetWriteOptions
        {
            Parallelism = settings.Parallelism,
            Progress = settings.Progress,
            ArrowMetadata = new Dictionary<string, string> { ["radmah.contract_digest"] = definition.ContractDigest },
        }, cancellationToken);

        return
        [
            await csv.CompleteAsync("text/csv; charset=utf-8", cancellationToken),
            await arrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken),
            await contractFile.CompleteAsync("application/json", cancellationToken),
        ];
    }
}

using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// mock: generates the sealed contract's rows as CSV and Arrow, and stores the contract itself. A
/// contract with child tables writes its own table as dataset.csv/.arrow and each child as
/// NAME.csv/.arrow, whose keys are the parent rows' keys.
/// </summary>
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

        DatasetWriteOptions Options(long before) => new()
        {
            Parallelism = settings.Parallelism,
            Progress = rows => settings.Progress(before + rows),
            ArrowMetadata = new Dictionary<string, string> { ["radmah.contract_digest"] = definition.ContractDigest },
        };
        await MockDatasetWriter.WriteAsync(contract, csv, arrow, Options(0), cancellationToken);

        List<StagedArtifact> outputs =
        [
            await csv.CompleteAsync("text/csv; charset=utf-8", cancellationToken),
            await arrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken),
            await contractFile.CompleteAsync("application/json", cancellationToken),
        ];
        var written = contract.Rows;
        for (var i = 0; i < contract.Tables.Count; i++)
        {
            var child = contract.ChildContract(i);
            var name = contract.Tables[i].Name;
            await using var childCsv = store.OpenStaging(staging, name + ".csv");
            await using var childArrow = store.OpenStaging(staging, name + ".arrow");
            await MockDatasetWriter.WriteAsync(child, childCsv, childArrow, Options(written), cancellationToken);
            outputs.Add(await childCsv.CompleteAsync("text/csv; charset=utf-8", cancellationToken));
            outputs.Add(await childArrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken));
            written += child.Rows;
        }
        return outputs;
    }
}

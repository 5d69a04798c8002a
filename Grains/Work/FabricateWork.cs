using System.Text;
using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>fabricate: compiles the sealed description into a mock contract, previews its first rows, and records how it was made.</summary>
public sealed class FabricateWork(FabricateKind kind) : JobWork<FabricationContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, FabricationContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var (mock, warnings) = ColumnLanguage.Compile(contract.Description, contract.Rows, contract.Seed);
        var sealedContract = mock.Seal();
        // The preview is the first rows of what mock writes from the contract: every row depends only on the seed and its index.
        using var preview = new MemoryStream();
        await MockDatasetWriter.WriteAsync(mock.With(Math.Min(FabricateKind.PreviewRows, mock.Rows), mock.Seed), preview, null,
            new DatasetWriteOptions { Parallelism = 1 }, cancellationToken);
        var made = new JsonObject
        {
            ["contract_digest"] = sealedContract.Digest,
            ["domain"] = mock.Domain,
            ["rows"] = mock.Rows,
            ["columns"] = new JsonArray([.. mock.Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["type"] = RadMah.Engine.Contracts.ColumnTypeNames.ToWire(c.Type), ["generator"] = c.Generator })]),
        };
        return
        [
            await StageAsync(store, definition.JobId, ArtifactNames.Contract, "application/json", Encoding.UTF8.GetBytes(sealedContract.CanonicalJson), cancellationToken),
            await StageAsync(store, definition.JobId, FabricateKind.PreviewCsv, "text/csv; charset=utf-8", preview.ToArray(), cancellationToken),
            await StageAsync(store, definition.JobId, ScenarioFabricateKind.FabricationJson, "application/json",
                FabricationRecord.Build(contract.Kind, contract.Description, contract.Compiler, warnings, made), cancellationToken),
        ];
    }
}

using System.Text;
using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Fabrication.Llm;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>fabricate: compiles the sealed description into a mock contract, previews its first rows, and records how it was made.</summary>
public sealed class FabricateWork(FabricateKind kind, ICheckpointStore recordings, LlmBackend? llm = null) : JobWork<FabricationContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, FabricationContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var (mock, warnings, transcript) = await LlmFabrication.MakeAsync(definition, contract,
            () => ColumnLanguage.Compile(contract.Description, contract.Rows, contract.Seed),
            new LlmFabrication.Request<MockContract>(LlmAnswers.ContractPrompt, LlmAnswers.ContractSchema, "table_contract", LlmAnswers.ContractValidator,
                answer => LlmAnswers.Contract(answer, contract.Description, contract.Rows == 0 ? ColumnLanguage.DefaultRows : contract.Rows, contract.Seed)),
            llm, recordings, cancellationToken);
        var sealedContract = mock.Seal();
        // The preview is the first rows of what mock writes from the contract: a fabricated contract has no copula, so every row depends only on the seed and its index.
        using var preview = new MemoryStream();
        await MockDatasetWriter.WriteAsync(mock.With(Math.Min(FabricateKind.PreviewRows, mock.Rows), mock.Seed), preview, null,
            new DatasetWriteOptions { Parallelism = 1 }, cancellationToken);
        var made = new JsonObject
        {
            ["contract_digest"] = sealedContract.Digest,
            ["domain"] = mock.Domain,
            ["rows"] = mock.Rows,
            ["tables"] = new JsonArray([.. mock.Tables.Select(t => (JsonNode?)new JsonObject { ["name"] = t.Name, ["per_parent"] = new JsonArray(t.MinPerParent, t.MaxPerParent) })]),
            ["columns"] = new JsonArray([.. mock.Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["type"] = c.Type.ToWire(), ["generator"] = c.Generator })]),
        };
        List<StagedArtifact> outputs =
        [
            await StageAsync(store, definition.JobId, ArtifactNames.Contract, "application/json", Encoding.UTF8.GetBytes(sealedContract.CanonicalJson), cancellationToken),
            await StageAsync(store, definition.JobId, FabricateKind.PreviewCsv, "text/csv; charset=utf-8", preview.ToArray(), cancellationToken),
        ];
        // A child table's preview: its first rows, which belong to the first parents and do not depend on how many rows mock writes.
        for (var i = 0; i < mock.Tables.Count; i++)
        {
            var child = mock.ChildContract(i);
            using var childPreview = new MemoryStream();
            await MockDatasetWriter.WriteAsync(child.With(Math.Min(FabricateKind.PreviewRows, child.Rows), child.Seed), childPreview, null,
                new DatasetWriteOptions { Parallelism = 1 }, cancellationToken);
            outputs.Add(await StageAsync(store, definition.JobId, $"preview-{mock.Tables[i].Name}.csv", "text/csv; charset=utf-8", childPreview.ToArray(), cancellationToken));
        }
        outputs.AddRange(await LlmFabrication.RecordAsync(store, definition, contract, warnings, made, transcript, cancellationToken));
        return outputs;
    }
}

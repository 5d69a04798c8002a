using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Fabrication.Llm;
using RadMah.Engine.Kinds;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>scenario_fabricate: compiles the sealed description into its pack of scenarios and records how.</summary>
public sealed class ScenarioFabricateWork(ScenarioFabricateKind kind, ICheckpointStore recordings, LlmBackend? llm = null) : JobWork<FabricationContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, FabricationContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var (pack, warnings, transcript) = await LlmFabrication.MakeAsync(definition, contract,
            () => ScenarioCompiler.Compile(contract.Description, contract.Variants, contract.Seed),
            new LlmFabrication.Request<ScenarioPack>(LlmAnswers.ScenarioPrompt(contract.Variants), LlmAnswers.ScenarioSchema, "scenario_pack", LlmAnswers.ScenarioValidator,
                answer => LlmAnswers.Scenarios(answer, contract.Description, contract.Variants)),
            llm, recordings, cancellationToken);
        settings.Progress(0);
        var made = new JsonObject
        {
            ["scenarios"] = pack.Scenarios.Count,
            ["events"] = new JsonArray([.. pack.Scenarios.Select(s => (JsonNode?)s.Events.Count)]),
        };
        return
        [
            await StageAsync(store, definition.JobId, ScenarioPack.FileName, "application/json", pack.ToJsonBytes(), cancellationToken),
            .. await LlmFabrication.RecordAsync(store, definition, contract, warnings, made, transcript, cancellationToken),
        ];
    }
}

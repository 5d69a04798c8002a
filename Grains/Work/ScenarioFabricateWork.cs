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
        ScenarioPack pack;
        IReadOnlyList<string> warnings = [];
        LlmTranscript? transcript = null;
        if (contract.Backend == FabricationContract.CompilerBackend)
        {
            (pack, warnings) = ScenarioCompiler.Compile(contract.Description, contract.Variants, contract.Seed);
        }
        else
        {
            ScenarioPack Validate(string answer) => LlmAnswers.Scenarios(answer, contract.Description, contract.Variants);
            (pack, transcript) = await LlmFabrication.RunAsync(definition, llm, recordings,
                (backend, ct) => LlmFabricator.FabricateAsync(backend, LlmAnswers.ScenarioPrompt(contract.Variants), LlmAnswers.ScenarioSchema, "scenario_pack",
                    contract.Description, LlmAnswers.ScenarioValidator, Validate, ct),
                Validate, cancellationToken);
        }
        settings.Progress(0);
        var made = new JsonObject
        {
            ["scenarios"] = pack.Scenarios.Count,
            ["events"] = new JsonArray([.. pack.Scenarios.Select(s => (JsonNode?)s.Events.Count)]),
        };
        List<StagedArtifact> outputs =
        [
            await StageAsync(store, definition.JobId, ScenarioPack.FileName, "application/json", pack.ToJsonBytes(), cancellationToken),
            await StageAsync(store, definition.JobId, ScenarioFabricateKind.FabricationJson, "application/json",
                FabricationRecord.Build(contract.Kind, contract.Description, contract.Compiler, warnings, made, transcript?.Provenance()), cancellationToken),
        ];
        if (transcript is not null)
            outputs.Add(await StageAsync(store, definition.JobId, LlmTranscript.FileName, "application/json", transcript.ToJsonBytes(), cancellationToken));
        return outputs;
    }
}

using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Fabrication.Llm;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// The LLM is consulted once per fabrication: its answers are kept (checkpoint store, by job id)
/// before the outputs are written, so an attempt run again after a crash, or a rerun of the job,
/// replays the recorded answer instead of asking again, and writes the same bytes.
/// </summary>
internal static class LlmFabrication
{
    /// <summary>What the LLM is asked for, for one kind: its prompt, the answer's schema and validator, and the check itself.</summary>
    public sealed record Request<T>(string Prompt, System.Text.Json.JsonElement Schema, string SchemaName, string Validator, Func<string, T> Validate);

    /// <summary>A fabrication by its sealed path: the compiler's output and warnings, or the LLM's validated answer and its transcript.</summary>
    public static async Task<(T Result, IReadOnlyList<string> Warnings, LlmTranscript? Transcript)> MakeAsync<T>(JobDefinition definition,
        Engine.Kinds.FabricationContract contract, Func<(T, IReadOnlyList<string>)> compile, Request<T> request, LlmBackend? llm, ICheckpointStore recordings,
        CancellationToken cancellationToken)
    {
        if (contract.Backend == Engine.Kinds.FabricationContract.CompilerBackend)
        {
            var (compiled, warnings) = compile();
            return (compiled, warnings, null);
        }
        var (result, transcript) = await RunAsync(definition, llm, recordings,
            (backend, ct) => LlmFabricator.FabricateAsync(backend, request.Prompt, request.Schema, request.SchemaName, contract.Description, request.Validator, request.Validate, ct),
            request.Validate, cancellationToken);
        return (result, [], transcript);
    }

    /// <summary>The record and, with an LLM, the raw answers: the outputs every fabrication ends with.</summary>
    public static async Task<IReadOnlyList<StagedArtifact>> RecordAsync(IArtifactStore store, JobDefinition definition, Engine.Kinds.FabricationContract contract,
        IReadOnlyList<string> warnings, System.Text.Json.Nodes.JsonObject made, LlmTranscript? transcript, CancellationToken cancellationToken)
    {
        List<StagedArtifact> outputs =
        [
            await StagedFiles.StageAsync(store, definition.JobId, Engine.Kinds.ScenarioFabricateKind.FabricationJson, "application/json",
                FabricationRecord.Build(contract.Kind, contract.Description, contract.Compiler, warnings, made, transcript?.Provenance()), cancellationToken),
        ];
        if (transcript is not null)
            outputs.Add(await StagedFiles.StageAsync(store, definition.JobId, LlmTranscript.FileName, "application/json", transcript.ToJsonBytes(), cancellationToken));
        return outputs;
    }

    public static async Task<(T Result, LlmTranscript Transcript)> RunAsync<T>(JobDefinition definition, LlmBackend? llm, ICheckpointStore recordings,
        Func<LlmBackend, CancellationToken, Task<(T, LlmTranscript)>> ask, Func<string, T> validate, CancellationToken cancellationToken)
    {
        var recorded = await recordings.LoadAsync(Fabricators.RecordingKey(definition.JobId), cancellationToken);
        if (recorded is null && definition.RerunOf is { } original)
        {
            recorded = await recordings.LoadAsync(Fabricators.RecordingKey(original), cancellationToken)
                ?? throw new ContractException($"the LLM answers job {original} recorded are not available; a rerun replays them and does not ask the LLM again.");
        }
        if (recorded is not null)
        {
            var transcript = LlmTranscript.Parse(recorded);
            var result = LlmFabricator.Replay(transcript, validate);
            await recordings.SaveAsync(Fabricators.RecordingKey(definition.JobId), recorded, cancellationToken);
            return (result, transcript);
        }
        if (llm is null) throw new ContractException("this silo has no LLM backend configured (serve --llm-endpoint); the job was sealed for one.");
        var (made, asked) = await ask(llm, cancellationToken);
        await recordings.SaveAsync(Fabricators.RecordingKey(definition.JobId), asked.ToJsonBytes(), cancellationToken);
        return (made, asked);
    }
}

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

using RadMah.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// A kind's work: it gets the job's contract opened and checked by the kind (intact, valid under
/// this build), and its outputs are checked to lead with the kind's main result.
/// </summary>
public abstract class JobWork<TContract>(JobKind<TContract> kind) : IJobWork where TContract : IJobContract<TContract>
{
    public string Kind => kind.Name;

    public async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        var contract = kind.Open(definition.ContractJson, definition.ContractDigest);
        var outputs = await RunAsync(definition, contract, store, settings, cancellationToken);
        // A job of several runs names each run's outputs by index; the first run's main result comes first.
        if (outputs.Count == 0 || outputs[0].Name != kind.MainResult && outputs[0].Name != ArtifactNames.Indexed(kind.MainResult, 0))
            throw new InvalidOperationException($"{Kind} work must return its main result {kind.MainResult} first; it returned {string.Join(", ", outputs.Select(o => o.Name))}.");
        return outputs;
    }

    /// <summary>Writes the outputs of <paramref name="contract"/> to the job's staging area; the main result first.</summary>
    protected abstract Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, TContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken);

    /// <summary>Stages one output held in memory.</summary>
    protected static Task<StagedArtifact> StageAsync(IArtifactStore store, string jobId, string name, string mediaType, byte[] bytes, CancellationToken cancellationToken) =>
        StagedFiles.StageAsync(store, jobId, name, mediaType, bytes, cancellationToken);
}

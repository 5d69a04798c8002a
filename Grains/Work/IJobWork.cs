using RadMah.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// The computing part of one job kind: reads the sealed definition, writes its outputs to the job's
/// staging area and returns them, the kind's main result first.
/// </summary>
public interface IJobWork
{
    string Kind { get; }

    Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken);
}

/// <summary>How the silo lets work run: thread budget, where to report rows done, and where a training reports its epochs.</summary>
public sealed record WorkSettings(int Parallelism, Action<long> Progress)
{
    public Action<Engine.Synthesis.Models.TrainingProgress>? Training { get; init; }
}

using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Jobs;

/// <summary>
/// A job's persisted state. The commit flags record which success steps are done, so a job that
/// is reactivated mid-commit resumes at the first step not yet done instead of repeating one.
/// </summary>
[GenerateSerializer]
public sealed class JobState
{
    [Id(0)] public JobDefinition? Definition { get; set; }
    [Id(1)] public JobStatus Status { get; set; }
    [Id(2)] public List<JobTransition> History { get; set; } = [];
    [Id(3)] public int Attempts { get; set; }
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public decimal CreditsCharged { get; set; }
    [Id(6)] public List<StagedOutput> StagedOutputs { get; set; } = [];
    [Id(7)] public List<ArtifactRecord> Artifacts { get; set; } = [];
    [Id(8)] public bool CommitPending { get; set; }
    [Id(9)] public bool OutputsStored { get; set; }
    [Id(10)] public bool Sealed { get; set; }
    [Id(11)] public bool Captured { get; set; }
    [Id(12)] public long Version { get; set; }
    [Id(13)] public string? WorkerSilo { get; set; }
    [Id(14)] public bool HoldReleased { get; set; }

    /// <summary>The signed evidence bundle (DSSE JSON), kept once signed so a resumed commit stores the same bytes; dropped at success (it is then the job's evidence artifact).</summary>
    [Id(15)] public byte[]? Evidence { get; set; }
}

namespace RadMah.Grains.Submission;

/// <summary>The open end of an account's job index, kept in the state of the account's jobs grain.</summary>
[GenerateSerializer]
public sealed class JobIndexState
{
    /// <summary>
    /// The newest jobs in creation order, after the closed chunks (listing reads backwards: newest
    /// first). Once it holds a chunk's worth, they move to a chunk grain before the next job is added.
    /// </summary>
    [Id(0)] public List<string> JobIds { get; set; } = [];

    /// <summary>How many closed chunks (<see cref="Interfaces.Submission.IAccountJobChunkGrain"/>) precede <see cref="JobIds"/>.</summary>
    [Id(1)] public int ClosedChunks { get; set; }
}

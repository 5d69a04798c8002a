namespace RadMah.Grains.Accounts;

/// <summary>
/// The account grain's own state: the open end of the index of its jobs. The account itself
/// (plan, creation, test flag) and its key hashes are rows in the platform records.
/// </summary>
[GenerateSerializer]
public sealed class AccountState
{
    /// <summary>
    /// The newest jobs in creation order, after the closed chunks (listing reads backwards: newest
    /// first). Once it holds a chunk's worth, they move to a chunk grain before the next job is added.
    /// (A state from before chunks holds every job here; the first job created moves them out.)
    /// </summary>
    [Id(3)] public List<string> JobIds { get; set; } = [];

    /// <summary>How many closed chunks (<see cref="Interfaces.Accounts.IAccountJobChunkGrain"/>) precede <see cref="JobIds"/>.</summary>
    [Id(4)] public int ClosedChunks { get; set; }
}

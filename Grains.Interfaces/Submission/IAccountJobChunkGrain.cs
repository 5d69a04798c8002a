namespace RadMah.Grains.Interfaces.Submission;

/// <summary>
/// One full, closed stretch of an account's job index: <see cref="ChunkSize"/> job ids in creation
/// order, keyed "ACCOUNT_ID/N" (N from 0, oldest first). The account grain keeps only the newest,
/// still-open stretch in its own state, so creating a job writes a bounded amount however many
/// jobs the account has run; a closed chunk is written once and then only read by listings.
/// </summary>
public interface IAccountJobChunkGrain : IGrainWithStringKey
{
    /// <summary>Job ids per closed chunk. A listing page (at most 100 jobs) spans at most two chunks; an account writes at most this many ids per create.</summary>
    public const int ChunkSize = 100;

    /// <summary>The grain key of chunk <paramref name="number"/> of <paramref name="accountId"/>.</summary>
    public static string KeyOf(string accountId, int number) => $"{accountId}/{number}";

    /// <summary>
    /// Stores the chunk's ids; storing the same ids again changes nothing (a close retried after a
    /// crash), other ids for a chunk already stored are refused.
    /// </summary>
    Task StoreAsync(IReadOnlyList<string> jobIds);

    /// <summary>The chunk's ids in creation order; not_found when it was never stored.</summary>
    Task<IReadOnlyList<string>> GetAsync();
}

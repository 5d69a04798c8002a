namespace RadMah.Grains.Accounts;

/// <summary>
/// The account grain's own state: the index of its jobs. The account itself (plan, creation, test
/// flag) and its key hashes are rows in the platform records.
/// </summary>
[GenerateSerializer]
public sealed class AccountState
{
    /// <summary>The account's jobs in creation order (listing reads it backwards: newest first).</summary>
    [Id(3)] public List<string> JobIds { get; set; } = [];
}

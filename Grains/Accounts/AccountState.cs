namespace RadMah.Grains.Accounts;

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Plan { get; set; } = "";
    [Id(2)] public DateTime CreatedAt { get; set; }

    /// <summary>The account's jobs in creation order (listing reads it backwards: newest first).</summary>
    [Id(3)] public List<string> JobIds { get; set; } = [];

    [Id(4)] public bool TestAccount { get; set; }

    /// <summary>Hashes of the account's API keys, by key id.</summary>
    [Id(5)] public Dictionary<string, string> KeyHashes { get; set; } = [];
}

namespace RadMah.Grains.Accounts;

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Plan { get; set; } = "";
    [Id(2)] public DateTime CreatedAt { get; set; }

    /// <summary>The account's jobs in creation order (listing reads it backwards: newest first).</summary>
    [Id(3)] public List<string> JobIds { get; set; } = [];
}

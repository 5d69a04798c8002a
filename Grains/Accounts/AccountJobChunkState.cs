namespace RadMah.Grains.Accounts;

/// <summary>A closed chunk of an account's job index (<see cref="Interfaces.Accounts.IAccountJobChunkGrain"/>).</summary>
[GenerateSerializer]
public sealed class AccountJobChunkState
{
    [Id(0)] public List<string> JobIds { get; set; } = [];
}

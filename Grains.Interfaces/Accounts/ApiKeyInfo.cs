namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>What a key opens: its account, and whether it was revoked.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] bool Revoked,
    [property: Id(3)] DateTime CreatedAt);

/// <summary>A freshly created key: <see cref="Key"/> is shown this once and never stored.</summary>
[GenerateSerializer, Immutable]
public sealed record CreatedApiKey([property: Id(0)] string KeyId, [property: Id(1)] string Key);

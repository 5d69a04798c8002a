namespace RadMah.Grains.Records;

/// <summary>An account as the system of record holds it.</summary>
public sealed record AccountRow(string AccountId, string Plan, bool TestAccount, DateTime CreatedAt);

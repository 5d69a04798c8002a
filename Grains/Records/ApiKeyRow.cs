namespace RadMah.Grains.Records;

/// <summary>An API key as stored: only the SHA-256 hex of the key, never the key.</summary>
public sealed record ApiKeyRow(string KeyHash, string AccountId, DateTime CreatedAt, DateTime? RevokedAt);

namespace RadMah.Grains.Records;

/// <summary>
/// An account's idempotency key, claimed for one job: <see cref="Fingerprint"/> is the SHA-256 of
/// the request it was first sent with, so a different request under the same key can be told apart.
/// </summary>
public sealed record IdempotencyClaim(string AccountId, string Key, string Fingerprint, string JobId, DateTime CreatedAt);

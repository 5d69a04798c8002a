namespace RadMah.Engine.Contracts;

/// <summary>A contract in canonical JSON together with the SHA-256 digest of those exact bytes.</summary>
public sealed record SealedContract(string CanonicalJson, string Digest);

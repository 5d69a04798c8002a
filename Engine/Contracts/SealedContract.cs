using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace RadMah.Engine.Contracts;

/// <summary>A contract in canonical JSON together with the SHA-256 digest of those exact bytes.</summary>
public sealed record SealedContract(string CanonicalJson, string Digest)
{
    /// <summary>Seals canonical JSON bytes: the text and the digest of exactly those bytes.</summary>
    public static SealedContract Of(ReadOnlySpan<byte> canonicalBytes) => new(Encoding.UTF8.GetString(canonicalBytes), DigestOf(canonicalBytes));

    public static string DigestOf(ReadOnlySpan<byte> canonicalBytes) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonicalBytes));

    /// <summary>The digest of canonical JSON held as text: SHA-256 of its UTF-8 bytes.</summary>
    public static string DigestOf(string canonicalJson)
    {
        var length = Encoding.UTF8.GetByteCount(canonicalJson);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(canonicalJson, rented);
            return DigestOf(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Checks that stored contract text is what was sealed: its bytes hash to the digest. That is
    /// the whole check a job needs before it runs or is rerun; parsing then validates the content.
    /// </summary>
    public static void EnsureIntact(string canonicalJson, string digest)
    {
        if (DigestOf(canonicalJson) != digest)
            throw new ContractException($"the stored contract does not match its digest {digest}.", fault: ContractFault.FailedPrecondition);
    }
}

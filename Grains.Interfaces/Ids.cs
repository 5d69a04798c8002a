using System.Security.Cryptography;
using System.Text;

namespace RadMah.Grains.Interfaces;

/// <summary>Readable, unique identifiers: a type prefix and 100 random bits in lower-case base32 (job_…, acct_…).</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string NewJobId() => "job_" + RandomPart();

    public static string NewAccountId() => "acct_" + RandomPart();

    public static string NewDatasetId() => "ds_" + RandomPart();

    /// <summary>Deterministic, so a retried commit registers the same artifact id.</summary>
    public static string ArtifactId(string jobId, string name) =>
        "art_" + Base32(SHA256.HashData(Encoding.UTF8.GetBytes(jobId + "/" + name)));

    public static bool LooksLikeJobId(string? id) => HasShape(id, "job_");

    public static bool LooksLikeArtifactId(string? id) => HasShape(id, "art_");

    public static bool LooksLikeDatasetId(string? id) => HasShape(id, "ds_");

    private static bool HasShape(string? id, string prefix) =>
        id is { Length: > 3 } && id.Length == prefix.Length + 20 && id.StartsWith(prefix, StringComparison.Ordinal) && id.AsSpan(prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    private static string RandomPart() => Base32(RandomNumberGenerator.GetBytes(13));

    /// <summary>The first 100 bits of <paramref name="bytes"/> as 20 base32 characters.</summary>
    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(20);
        var buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && sb.Length < 20)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
            if (sb.Length == 20) break;
        }
        return sb.ToString();
    }
}

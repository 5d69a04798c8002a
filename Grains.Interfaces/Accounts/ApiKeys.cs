using System.Security.Cryptography;
using System.Text;

namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>
/// API keys look like the product page's: sl_live_… (sl_test_… for test accounts), then 22
/// base62 characters (131 random bits) and a 6-character checksum, so a mistyped key is refused
/// before any lookup. Only the SHA-256 of a key is ever stored.
/// </summary>
public static class ApiKeys
{
    public const string LivePrefix = "sl_live_";
    public const string TestPrefix = "sl_test_";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int BodyLength = 22;
    private const int ChecksumLength = 6;

    public static int Length => LivePrefix.Length + BodyLength + ChecksumLength;

    public static string Generate(bool test)
    {
        var prefix = test ? TestPrefix : LivePrefix;
        var body = new char[BodyLength];
        for (var i = 0; i < BodyLength; i++) body[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var head = prefix + new string(body);
        return head + Checksum(head);
    }

    /// <summary>True when the key has the right prefix, length, characters and checksum.</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || key.Length != Length) return false;
        if (!key.StartsWith(LivePrefix, StringComparison.Ordinal) && !key.StartsWith(TestPrefix, StringComparison.Ordinal)) return false;
        var rest = key.AsSpan(LivePrefix.Length);
        foreach (var c in rest) if (!char.IsAsciiLetterOrDigit(c)) return false;
        var head = key[..^ChecksumLength];
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Checksum(head)), Encoding.ASCII.GetBytes(key[^ChecksumLength..]));
    }

    /// <summary>Lower-case hex SHA-256 of the key: the only form a key is stored in.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A short public name for a key (key_ + 8 hex of its hash), safe to show and log.</summary>
    public static string KeyIdOf(string hash) => "key_" + hash[..8];

    private static string Checksum(string head)
    {
        var value = BitConverter.ToUInt32(SHA256.HashData(Encoding.ASCII.GetBytes(head)), 0);
        var chars = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
        return new string(chars);
    }
}

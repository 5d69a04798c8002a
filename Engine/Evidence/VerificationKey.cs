using System.Security.Cryptography;

namespace RadMah.Engine.Evidence;

/// <summary>A published ECDSA P-256 public key: what verifiers need, and nothing secret.</summary>
public sealed class VerificationKey
{
    private readonly byte[] _spki;

    private VerificationKey(byte[] spki)
    {
        _spki = spki;
        KeyId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>sha256:hex of the SubjectPublicKeyInfo (DER).</summary>
    public string KeyId { get; }

    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _spki;

    public string Pem => PemEncoding.WriteString("PUBLIC KEY", _spki);

    public static VerificationKey FromPublicKey(byte[] subjectPublicKeyInfo)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"not an EC public key: {ex.Message}", ex);
        }
        if (key.KeySize != 256) throw new InvalidDataException("the public key must be an ECDSA P-256 key.");
        return new VerificationKey(subjectPublicKeyInfo.ToArray());
    }

    public static VerificationKey FromPem(string pem)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"not a PEM-encoded EC public key: {ex.Message}", ex);
        }
        return FromPublicKey(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Every "PUBLIC KEY" block of a PEM text (a keys.pem may hold the current and retired keys).</summary>
    public static IReadOnlyList<VerificationKey> ReadAll(string pemText)
    {
        var keys = new List<VerificationKey>();
        var rest = pemText.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("PUBLIC KEY"))
                keys.Add(FromPublicKey(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
            rest = rest[fields.Location.End..];
        }
        if (keys.Count == 0) throw new InvalidDataException("no PEM 'PUBLIC KEY' block found.");
        return keys;
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        try
        {
            return key.VerifyData(data, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

using System.Security.Cryptography;

namespace RadMah.Engine.Evidence;

/// <summary>
/// The deployment's ECDSA P-256 signing key (SHA-256, DER signatures). Its id is the SHA-256 of
/// the public key's SubjectPublicKeyInfo, so anyone holding the public key can recompute it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    public const string Algorithm = "ecdsa-p256-sha256";

    private readonly ECDsa _key;

    private SigningKey(ECDsa key)
    {
        _key = key;
        Public = VerificationKey.FromPublicKey(key.ExportSubjectPublicKeyInfo());
    }

    public VerificationKey Public { get; }

    public string KeyId => Public.KeyId;

    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static SigningKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"not a PEM-encoded EC private key: {ex.Message}", ex);
        }
        if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new InvalidDataException("the signing key must be an ECDSA P-256 key.");
        }
        return new SigningKey(key);
    }

    /// <summary>
    /// Loads the key at <paramref name="path"/>, creating it first if there is none. A new key is
    /// written to a private temporary file (owner-only) and renamed into place without overwriting,
    /// so processes starting together agree on one key and none ever reads half a file.
    /// </summary>
    public static SigningKey LoadOrCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            using var fresh = Generate();
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (var file = new FileStream(temporary, options))
                using (var writer = new StreamWriter(file))
                    writer.Write(fresh._key.ExportPkcs8PrivateKeyPem());
                // False when another process created it first: theirs is used.
                _ = NoReplaceRename.TryMove(temporary, path);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        return FromPem(File.ReadAllText(path));
    }

    /// <summary>A DER-encoded ECDSA signature over SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _key.Dispose();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RadMah.Engine.Evidence;

namespace RadMah.Engine.Transparency;

/// <summary>
/// A signed checkpoint of the seal log in the signed-note format of C2SP (tlog-checkpoint and
/// signed-note): the note text is the origin, the tree size and the base64 root hash, one per
/// line; after a blank line come signature lines "— NAME BASE64(key hash ‖ signature)". The
/// signature covers the note text. Signed notes name Ed25519 as algorithm 0x01; this log signs
/// with ECDSA P-256, so its key hash is the first 4 bytes of SHA-256(NAME ‖ "\n" ‖ 0x02 ‖ SPKI DER).
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    private const byte EcdsaAlgorithm = 0x02;
    private const string SignaturePrefix = "\u2014 ";

    public string NoteText => $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    /// <summary>The signed note: text, blank line, one signature line by <paramref name="key"/> under the name <see cref="Origin"/>.</summary>
    public string Sign(SigningKey key)
    {
        var text = NoteText;
        var signature = key.Sign(Encoding.UTF8.GetBytes(text));
        var blob = new byte[4 + signature.Length];
        KeyHash(Origin, key.Public).CopyTo(blob, 0);
        signature.CopyTo(blob, 4);
        return $"{text}\n{SignaturePrefix}{Origin} {Convert.ToBase64String(blob)}\n";
    }

    public static byte[] KeyHash(string name, VerificationKey key)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\n");
        var input = new byte[nameBytes.Length + 1 + key.SubjectPublicKeyInfo.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = EcdsaAlgorithm;
        key.SubjectPublicKeyInfo.CopyTo(input.AsSpan(nameBytes.Length + 1));
        return SHA256.HashData(input)[..4];
    }

    /// <summary>
    /// Parses a signed checkpoint and checks that one of <paramref name="keys"/> signed it. Throws
    /// <see cref="InvalidDataException"/> saying what is wrong: the layout, the numbers, or the signature.
    /// </summary>
    public static Checkpoint ParseVerified(string signedNote, IReadOnlyCollection<VerificationKey> keys)
    {
        var split = signedNote.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new InvalidDataException("the checkpoint has no blank line between its text and its signatures.");
        var text = signedNote[..(split + 1)];
        var lines = text.Split('\n');
        if (lines.Length < 4) throw new InvalidDataException("the checkpoint text needs an origin, a tree size and a root hash.");
        var origin = lines[0];
        if (origin.Length == 0) throw new InvalidDataException("the checkpoint has no origin.");
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new InvalidDataException($"the checkpoint's tree size '{lines[1]}' is not a number.");
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new InvalidDataException("the checkpoint's root hash is not base64.");
        }
        if (root.Length != MerkleTree.HashSize) throw new InvalidDataException($"the checkpoint's root hash has {root.Length} bytes, not 32.");

        var signed = Encoding.UTF8.GetBytes(text);
        var sawSignature = false;
        foreach (var line in signedNote[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal)) throw new InvalidDataException($"'{line}' is not a signature line.");
            var space = line.LastIndexOf(' ');
            var name = line[SignaturePrefix.Length..space];
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(line[(space + 1)..]);
            }
            catch (FormatException)
            {
                throw new InvalidDataException("a checkpoint signature is not base64.");
            }
            if (blob.Length < 5) throw new InvalidDataException("a checkpoint signature is too short.");
            sawSignature = true;
            foreach (var key in keys)
                if (blob.AsSpan(0, 4).SequenceEqual(KeyHash(name, key)) && key.Verify(signed, blob.AsSpan(4)))
                    return new Checkpoint(origin, size, root);
        }
        throw new InvalidDataException(sawSignature
            ? "no checkpoint signature verifies with the given public keys."
            : "the checkpoint carries no signature.");
    }
}

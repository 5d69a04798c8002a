using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Evidence;

/// <summary>
/// Dead Simple Signing Envelope v1 (github.com/secure-systems-lab/dsse): the signature covers the
/// pre-authentication encoding of payload type and payload, never the JSON around them.
/// </summary>
public static class Dsse
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        var pae = new byte[header.Length + type.Length + middle.Length + payload.Length];
        header.CopyTo(pae, 0);
        type.CopyTo(pae, header.Length);
        middle.CopyTo(pae, header.Length + type.Length);
        payload.CopyTo(pae.AsSpan(header.Length + type.Length + middle.Length));
        return pae;
    }

    /// <summary>The envelope, as canonical JSON bytes, with one signature by <paramref name="key"/>.</summary>
    public static byte[] Sign(string payloadType, byte[] payload, SigningKey key)
    {
        var signature = key.Sign(PreAuthenticationEncoding(payloadType, payload));
        var envelope = new JsonObject
        {
            ["payloadType"] = payloadType,
            ["payload"] = Convert.ToBase64String(payload),
            ["signatures"] = new JsonArray(new JsonObject { ["keyid"] = key.KeyId, ["sig"] = Convert.ToBase64String(signature) }),
        };
        return CanonicalJson.Serialize(envelope);
    }
}

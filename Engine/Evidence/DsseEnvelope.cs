using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Engine.Evidence;

/// <summary>A parsed DSSE envelope. <see cref="Parse"/> explains exactly what is wrong with a malformed one.</summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the envelope is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the envelope is not valid JSON: {ex.Message}", ex);
        }
        var type = Text(root, "payloadType");
        var payload = Base64(Text(root, "payload"), "payload");
        if (root["signatures"] is not JsonArray signatures || signatures.Count == 0)
            throw new InvalidDataException("the envelope has no signatures.");
        var parsed = new List<DsseSignature>();
        foreach (var item in signatures)
        {
            if (item is not JsonObject signature) throw new InvalidDataException("a signature is not a JSON object.");
            parsed.Add(new DsseSignature(Text(signature, "keyid"), Base64(Text(signature, "sig"), "sig")));
        }
        return new DsseEnvelope(type, payload, parsed);
    }

    private static string Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw new InvalidDataException($"the envelope's '{name}' is missing or not a string.");

    private static byte[] Base64(string text, string name)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"the envelope's '{name}' is not base64.");
        }
    }
}

public sealed record DsseSignature(string KeyId, byte[] Signature);

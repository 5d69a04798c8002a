using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Engine.Transparency;

/// <summary>
/// A seal's place in the log, as GET /v1/seals/{job_id} serves it and `radmah verify --proof` reads
/// it: the entry (canonical JSON, hashed as UTF-8), its leaf index, the inclusion proof for the
/// tree of <see cref="TreeSize"/> leaves, and the signed checkpoint of that tree. Hashes are base64.
/// </summary>
public sealed record SealProof(string JobId, long LeafIndex, long TreeSize, string Entry, byte[] LeafHash, IReadOnlyList<byte[]> InclusionProof, string Checkpoint)
{
    public JsonObject ToJson() => new()
    {
        ["job_id"] = JobId,
        ["leaf_index"] = LeafIndex,
        ["tree_size"] = TreeSize,
        ["entry"] = Entry,
        ["leaf_hash"] = Convert.ToBase64String(LeafHash),
        ["inclusion_proof"] = new JsonArray(InclusionProof.Select(h => (JsonNode)Convert.ToBase64String(h)).ToArray()),
        ["checkpoint"] = Checkpoint,
    };

    public static SealProof Parse(ReadOnlySpan<byte> json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the proof is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the proof is not valid JSON: {ex.Message}", ex);
        }
        try
        {
            return new SealProof(
                root["job_id"]!.GetValue<string>(),
                root["leaf_index"]!.GetValue<long>(),
                root["tree_size"]!.GetValue<long>(),
                root["entry"]!.GetValue<string>(),
                Convert.FromBase64String(root["leaf_hash"]!.GetValue<string>()),
                root["inclusion_proof"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToArray(),
                root["checkpoint"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("the proof lacks job_id, leaf_index, tree_size, entry, leaf_hash, inclusion_proof or checkpoint, or one of them has the wrong type.", ex);
        }
    }

    public byte[] EntryBytes => Encoding.UTF8.GetBytes(Entry);
}

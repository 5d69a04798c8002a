using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Transparency;

/// <summary>An output named in a seal.</summary>
public sealed record SealEntryArtifact(string Name, string ArtifactType, string ContentHash);

/// <summary>
/// The bytes a seal contributes to the log: its canonical JSON. The leaf hash covers exactly
/// these bytes, which the log keeps as written, so proofs never depend on re-serialising.
/// </summary>
public static class SealEntry
{
    public static byte[] Build(string jobId, string kind, string contractDigest, long seed, IReadOnlyList<SealEntryArtifact> artifacts, string evidenceDigest, DateTime sealedAt)
    {
        var entry = new JsonObject
        {
            ["job_id"] = jobId,
            ["kind"] = kind,
            ["contract_digest"] = contractDigest,
            ["seed"] = seed,
            ["artifacts"] = new JsonArray(artifacts.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["artifact_type"] = a.ArtifactType,
                ["content_hash"] = a.ContentHash,
            }).ToArray()),
            ["evidence_digest"] = evidenceDigest,
            ["sealed_at"] = UtcTimestamp.Format(sealedAt),
        };
        return CanonicalJson.Serialize(entry);
    }

    /// <summary>The fields a verifier compares: job id, evidence digest and the artifacts' digests by name.</summary>
    public static (string JobId, string EvidenceDigest, IReadOnlyDictionary<string, string> Artifacts) Read(ReadOnlySpan<byte> entry)
    {
        var root = JsonNode.Parse(entry) as JsonObject ?? throw new InvalidDataException("the seal entry is not a JSON object.");
        var artifacts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in root["artifacts"] as JsonArray ?? throw new InvalidDataException("the seal entry lists no artifacts."))
            artifacts[a?["name"]?.GetValue<string>() ?? throw new InvalidDataException("a sealed artifact has no name.")] =
                a["content_hash"]?.GetValue<string>() ?? throw new InvalidDataException("a sealed artifact has no content hash.");
        return (root["job_id"]?.GetValue<string>() ?? throw new InvalidDataException("the seal entry has no job_id."),
            root["evidence_digest"]?.GetValue<string>() ?? throw new InvalidDataException("the seal entry has no evidence_digest."),
            artifacts);
    }
}

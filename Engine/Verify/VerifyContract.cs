using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Verify;

/// <summary>An artifact a verify job checks, as it was catalogued when the job was submitted.</summary>
public sealed record VerifyTarget(string ArtifactId, string Name, string ArtifactType, string ContentHash, long SizeBytes);

/// <summary>
/// The sealed contract of a verify job: which artifacts to check (and, when a whole job is
/// verified, which job, so its evidence bundle and seal are checked too). Canonical JSON, digested
/// like every contract; the bytes to check decide the price.
/// </summary>
public sealed record VerifyContract(string? TargetJobId, IReadOnlyList<VerifyTarget> Targets) : IJobContract<VerifyContract>
{
    public const string Version = "radmah.verify/1";

    /// <summary>At most this many artifacts per verify job, so a request stays a reasonable size.</summary>
    public const int MaxTargets = 1000;

    public long TotalBytes => Targets.Sum(t => t.SizeBytes);

    public SealedContract Seal()
    {
        Validate();
        var json = new JsonObject
        {
            ["contract_version"] = Version,
            ["target_job_id"] = TargetJobId,
            ["targets"] = new JsonArray(Targets.Select(t => (JsonNode)new JsonObject
            {
                ["artifact_id"] = t.ArtifactId,
                ["name"] = t.Name,
                ["artifact_type"] = t.ArtifactType,
                ["content_hash"] = t.ContentHash,
                ["size_bytes"] = t.SizeBytes,
            }).ToArray()),
        };
        return SealedContract.Of(CanonicalJson.Serialize(json));
    }

    public static VerifyContract Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A verify contract must be a JSON object.");
            if (root["contract_version"]?.GetValue<string>() != Version)
                throw new ContractException($"Unsupported contract_version '{root["contract_version"]}'; expected '{Version}'.");
            var targets = (root["targets"] as JsonArray ?? throw new ContractException("A verify contract needs targets.")).Select(t => new VerifyTarget(
                t!["artifact_id"]!.GetValue<string>(), t["name"]!.GetValue<string>(), t["artifact_type"]!.GetValue<string>(),
                t["content_hash"]!.GetValue<string>(), t["size_bytes"]!.GetValue<long>())).ToArray();
            var contract = new VerifyContract(root["target_job_id"]?.GetValue<string>(), targets);
            contract.Validate();
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new ContractException($"Not a verify contract: {ex.Message}");
        }
    }

    private void Validate()
    {
        if (Targets.Count == 0) throw new ContractException("params: a verify job needs something to check: job_id or artifact_ids.");
        if (Targets.Count > MaxTargets) throw new ContractException($"params: a verify job checks at most {MaxTargets} artifacts; got {Targets.Count}.");
        foreach (var target in Targets)
        {
            if (target.SizeBytes < 0) throw new ContractException($"artifact {target.ArtifactId} has a negative size.");
            if (!target.ContentHash.StartsWith("sha256:", StringComparison.Ordinal) || target.ContentHash.Length != 71)
                throw new ContractException($"artifact {target.ArtifactId} has no sha256 digest.");
        }
        if (Targets.Select(t => t.ArtifactId).Distinct(StringComparer.Ordinal).Count() != Targets.Count)
            throw new ContractException("params: artifact_ids names an artifact twice.");
    }
}

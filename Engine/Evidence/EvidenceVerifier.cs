using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RadMah.Engine.Transparency;

namespace RadMah.Engine.Evidence;

/// <summary>One thing a verification looked at, and what it found.</summary>
public sealed record VerificationCheck(string Name, bool Passed, string Detail);

/// <summary>Everything a verification checked; it passes only if every check did.</summary>
public sealed record VerificationReport(IReadOnlyList<VerificationCheck> Checks)
{
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);

    public IEnumerable<VerificationCheck> Failures => Checks.Where(c => !c.Passed);

    public JsonObject ToJson() => new()
    {
        ["passed"] = Passed,
        ["checks"] = new JsonArray(Checks.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["passed"] = c.Passed, ["detail"] = c.Detail }).ToArray()),
    };
}

/// <summary>What a verification is given: the bundle, the published keys, and optionally the artifacts, the seal proof and a checkpoint.</summary>
public sealed record EvidenceInputs
{
    public required byte[] Bundle { get; init; }
    public required IReadOnlyList<VerificationKey> Keys { get; init; }

    /// <summary>Opens an artifact by name (null when it is not there); null skips the artifact checks.</summary>
    public Func<string, Stream?>? OpenArtifact { get; init; }

    /// <summary>Digests the caller already recomputed from the bytes, by artifact name; used instead of <see cref="OpenArtifact"/>.</summary>
    public IReadOnlyDictionary<string, string>? RecomputedDigests { get; init; }

    public SealProof? Proof { get; init; }

    /// <summary>A signed checkpoint to check the proof against; by default the one inside the proof.</summary>
    public string? Checkpoint { get; init; }
}

/// <summary>
/// Verifies a job's evidence with no server: the DSSE signature against a published key, each
/// artifact's digest recomputed from its bytes, the statement's subjects against the artifacts and
/// the seal, and the seal's inclusion in a signed checkpoint of the log. Used by `radmah verify`
/// (offline) and by verify jobs (against stored bytes). Each check says exactly what it found.
/// </summary>
public static class EvidenceVerifier
{
    public static VerificationReport Verify(EvidenceInputs inputs)
    {
        var checks = new List<VerificationCheck>();
        void Add(string name, bool passed, string detail) => checks.Add(new VerificationCheck(name, passed, detail));

        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(inputs.Bundle);
            Add("envelope", true, "a DSSE envelope");
        }
        catch (InvalidDataException ex)
        {
            Add("envelope", false, ex.Message);
            return new VerificationReport(checks);
        }
        Add("payload_type", envelope.PayloadType == Dsse.InTotoPayloadType,
            envelope.PayloadType == Dsse.InTotoPayloadType ? envelope.PayloadType : $"payloadType is '{envelope.PayloadType}', expected {Dsse.InTotoPayloadType}");

        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
        if (inputs.Keys.Count == 0) Add("signature", false, "no public key was given to check the signature with");
        else
        {
            var byId = inputs.Keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
            var known = envelope.Signatures.Where(s => byId.ContainsKey(s.KeyId)).ToList();
            var good = known.FirstOrDefault(s => byId[s.KeyId].Verify(pae, s.Signature));
            Add("signature", good is not null,
                good is not null ? $"signed by {good.KeyId}"
                : known.Count == 0 ? $"signed by {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}, none of the given keys ({string.Join(", ", byId.Keys)})"
                : $"the signature by {known[0].KeyId} does not verify: the payload, its type or the signature was changed");
        }

        IReadOnlyList<EvidenceSubject> subjects;
        string? invocationId;
        try
        {
            subjects = ProvenanceStatement.SubjectsOf(envelope.Payload);
            invocationId = (JsonNode.Parse(envelope.Payload)?["predicate"]?["runDetails"]?["metadata"]?["invocationId"])?.GetValue<string>();
            Add("statement", true, $"in-toto statement with {subjects.Count} subjects, invocation {invocationId}");
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            Add("statement", false, $"the payload is not an in-toto statement: {ex.Message}");
            return new VerificationReport(checks);
        }

        if (inputs.RecomputedDigests is { } recomputed)
            foreach (var subject in subjects)
            {
                if (!recomputed.TryGetValue(subject.Name, out var actual)) Add($"artifact {subject.Name}", false, "not among the artifacts checked");
                else Add($"artifact {subject.Name}", actual == subject.ContentHash,
                    actual == subject.ContentHash ? actual : $"the bytes hash to {actual}; the statement says {subject.ContentHash}");
            }
        else if (inputs.OpenArtifact is { } open)
            foreach (var subject in subjects)
            {
                using var stream = open(subject.Name);
                if (stream is null)
                {
                    Add($"artifact {subject.Name}", false, "not found");
                    continue;
                }
                var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
                Add($"artifact {subject.Name}", actual == subject.ContentHash,
                    actual == subject.ContentHash ? actual : $"the bytes hash to {actual}; the statement says {subject.ContentHash}");
            }

        if (inputs.Proof is { } proof) CheckSeal(inputs, proof, subjects, invocationId, Add);
        return new VerificationReport(checks);
    }

    private static void CheckSeal(EvidenceInputs inputs, SealProof proof, IReadOnlyList<EvidenceSubject> subjects, string? invocationId, Action<string, bool, string> add)
    {
        var bundleDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(inputs.Bundle));
        try
        {
            var (jobId, evidenceDigest, sealedArtifacts) = SealEntry.Read(proof.EntryBytes);
            var problems = new List<string>();
            if (evidenceDigest != bundleDigest) problems.Add($"the seal names bundle {evidenceDigest}, this bundle is {bundleDigest}");
            if (jobId != invocationId) problems.Add($"the seal is for {jobId}, the statement for {invocationId}");
            if (jobId != proof.JobId) problems.Add($"the proof is labelled {proof.JobId} but its entry is for {jobId}");
            foreach (var subject in subjects)
                if (!sealedArtifacts.TryGetValue(subject.Name, out var digest) || digest != subject.ContentHash)
                    problems.Add($"subject {subject.Name} ({subject.ContentHash}) is sealed as {digest ?? "nothing"}");
            if (sealedArtifacts.Count != subjects.Count) problems.Add($"the seal names {sealedArtifacts.Count} artifacts, the statement {subjects.Count}");
            add("seal entry", problems.Count == 0, problems.Count == 0 ? $"seal of {jobId} names this bundle and these artifacts" : string.Join("; ", problems));
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            add("seal entry", false, $"the seal entry is unreadable: {ex.Message}");
        }

        var leafHash = MerkleTree.LeafHash(proof.EntryBytes);
        add("leaf hash", leafHash.AsSpan().SequenceEqual(proof.LeafHash),
            leafHash.AsSpan().SequenceEqual(proof.LeafHash) ? Convert.ToBase64String(leafHash) : "the entry does not hash to the proof's leaf hash");

        Checkpoint checkpoint;
        try
        {
            checkpoint = Transparency.Checkpoint.ParseVerified(inputs.Checkpoint ?? proof.Checkpoint, inputs.Keys);
            add("checkpoint", true, $"{checkpoint.Origin}, tree size {checkpoint.Size}, signed");
        }
        catch (InvalidDataException ex)
        {
            add("checkpoint", false, ex.Message);
            return;
        }
        if (proof.TreeSize != checkpoint.Size)
        {
            add("inclusion", false, $"the proof is for a tree of {proof.TreeSize} seals, the checkpoint for {checkpoint.Size}: fetch the proof for that checkpoint");
            return;
        }
        var included = MerkleTree.VerifyInclusion(leafHash, proof.LeafIndex, proof.TreeSize, proof.InclusionProof, checkpoint.RootHash);
        add("inclusion", included, included
            ? $"seal {proof.LeafIndex} is in the log of {checkpoint.Size} seals"
            : $"the inclusion proof for seal {proof.LeafIndex} does not lead to the checkpoint's root");
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Evidence;
using RadMah.Engine.Transparency;

namespace RadMah.Engine.Tests;

/// <summary>
/// Tampering: one flipped byte anywhere (an artifact, the payload, the signature, a proof hash,
/// the checkpoint) fails verification with the precise reason, and the untouched set verifies.
/// </summary>
public sealed class EvidenceVerifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-evidence-").FullName;
    private readonly SigningKey _key = SigningKey.Generate();
    private readonly byte[] _bundle;
    private readonly SealProof _proof;

    public EvidenceVerifierTests()
    {
        var subjects = new List<EvidenceSubject>();
        foreach (var (name, size) in new[] { ("dataset.csv", 5000), ("dataset.arrow", 7000), ("contract.json", 300) })
        {
            var bytes = RandomNumberGenerator.GetBytes(size);
            File.WriteAllBytes(Path.Combine(_dir, name), bytes);
            subjects.Add(new EvidenceSubject(name, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
        var statement = ProvenanceStatement.Build(new ProvenanceFacts
        {
            JobId = "job_aaaaaaaaaaaaaaaaaaaa", Kind = "mock", ContractDigest = subjects[2].ContentHash, Seed = 1, Rows = 10,
            Parameters = new Dictionary<string, string> { ["description"] = "orders" }, Subjects = subjects,
            ClusterId = "test", Silo = "silo-1", StartedOn = DateTime.UtcNow.AddSeconds(-1), FinishedOn = DateTime.UtcNow,
        });
        _bundle = Dsse.Sign(Dsse.InTotoPayloadType, statement, _key);
        var entry = SealEntry.Build("job_aaaaaaaaaaaaaaaaaaaa", "mock", subjects[2].ContentHash, 1,
            subjects.Select(s => new SealEntryArtifact(s.Name, s.Name, s.ContentHash)).ToArray(),
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_bundle)), DateTime.UtcNow);
        // A log of seven seals; ours is the third.
        var leaves = Enumerable.Range(0, 7).Select(i => i == 2 ? MerkleTree.LeafHash(entry) : MerkleTree.LeafHash(Encoding.UTF8.GetBytes($"other {i}"))).ToList();
        var checkpoint = new Checkpoint("radmah.dev/seals/test", 7, MerkleTree.Root(leaves, 7)).Sign(_key);
        _proof = new SealProof("job_aaaaaaaaaaaaaaaaaaaa", 2, 7, Encoding.UTF8.GetString(entry), leaves[2], MerkleTree.InclusionProof(leaves, 2, 7), checkpoint);
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private VerificationReport Verify(byte[]? bundle = null, SealProof? proof = null, string? checkpoint = null) => EvidenceVerifier.Verify(new EvidenceInputs
    {
        Bundle = bundle ?? _bundle,
        Keys = [_key.Public],
        OpenArtifact = name => File.Exists(Path.Combine(_dir, name)) ? File.OpenRead(Path.Combine(_dir, name)) : null,
        Proof = proof ?? _proof,
        Checkpoint = checkpoint,
    });

    private static void FailsOnly(VerificationReport report, string check, string reason)
    {
        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(check, failure.Name);
        Assert.Contains(reason, failure.Detail);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }

    /// <summary>Re-encodes the envelope with one field changed, so the JSON stays well-formed.</summary>
    private byte[] Envelope(Func<JsonObject, JsonObject> change)
    {
        var envelope = JsonNode.Parse(_bundle)!.AsObject();
        return Encoding.UTF8.GetBytes(change(envelope).ToJsonString());
    }

    [Fact]
    public void The_untouched_set_verifies_every_check()
    {
        var report = Verify();
        Assert.True(report.Passed, string.Join("; ", report.Failures.Select(f => $"{f.Name}: {f.Detail}")));
        Assert.Equal(11, report.Checks.Count);
    }

    [Fact]
    public void A_flipped_byte_in_an_artifact_fails_that_artifact()
    {
        var path = Path.Combine(_dir, "dataset.arrow");
        File.WriteAllBytes(path, Flip(File.ReadAllBytes(path), 3000));
        FailsOnly(Verify(), "artifact dataset.arrow", "the bytes hash to");
    }

    [Fact]
    public void A_flipped_byte_in_the_payload_fails_the_signature_and_the_seal()
    {
        var tampered = Envelope(e =>
        {
            var payload = Convert.FromBase64String(e["payload"]!.GetValue<string>());
            // Inside a digest of the first subject, so the statement still parses.
            var text = Encoding.UTF8.GetString(payload);
            var at = text.IndexOf("\"sha256\":\"", StringComparison.Ordinal) + 12;
            payload[at] = (byte)(payload[at] == (byte)'0' ? '1' : '0');
            e["payload"] = Convert.ToBase64String(payload);
            return e;
        });
        var report = Verify(tampered);
        Assert.Contains(report.Failures, f => f.Name == "signature" && f.Detail.Contains("does not verify"));
        Assert.Contains(report.Failures, f => f.Name == "seal entry" && f.Detail.Contains("the seal names bundle"));
    }

    [Fact]
    public void A_flipped_byte_in_the_signature_fails_the_signature()
    {
        var tampered = Envelope(e =>
        {
            var signature = e["signatures"]![0]!.AsObject();
            signature["sig"] = Convert.ToBase64String(Flip(Convert.FromBase64String(signature["sig"]!.GetValue<string>()), 20));
            return e;
        });
        var report = Verify(tampered);
        Assert.Contains(report.Failures, f => f.Name == "signature" && f.Detail.Contains("does not verify"));
    }

    [Fact]
    public void A_flipped_byte_in_a_proof_hash_fails_the_inclusion()
    {
        var bent = _proof.InclusionProof.Select(h => h.ToArray()).ToArray();
        bent[1] = Flip(bent[1], 7);
        FailsOnly(Verify(proof: _proof with { InclusionProof = bent }), "inclusion", "does not lead to the checkpoint's root");
        FailsOnly(Verify(proof: _proof with { LeafHash = Flip(_proof.LeafHash, 0) }), "leaf hash", "does not hash to");
    }

    [Fact]
    public void A_flipped_byte_in_the_checkpoint_fails_the_checkpoint()
    {
        var note = _proof.Checkpoint;
        var rootLine = note.Split('\n')[2];
        var root = Convert.FromBase64String(rootLine);
        var tamperedRoot = note.Replace(rootLine, Convert.ToBase64String(Flip(root, 5)));
        FailsOnly(Verify(checkpoint: tamperedRoot), "checkpoint", "no checkpoint signature verifies");
        var signatureLine = note.Split('\n')[4];
        var signature = signatureLine[(signatureLine.LastIndexOf(' ') + 1)..];
        var tamperedSignature = note.Replace(signature, Convert.ToBase64String(Flip(Convert.FromBase64String(signature), 30)));
        FailsOnly(Verify(checkpoint: tamperedSignature), "checkpoint", "no checkpoint signature verifies");
    }

    [Fact]
    public void A_proof_for_another_tree_size_or_a_missing_artifact_is_named()
    {
        FailsOnly(Verify(proof: _proof with { TreeSize = 6 }), "inclusion", "the proof is for a tree of 6 seals, the checkpoint for 7");
        File.Delete(Path.Combine(_dir, "contract.json"));
        FailsOnly(Verify(), "artifact contract.json", "not found");
    }

    [Fact]
    public void Without_keys_nothing_is_trusted()
    {
        var report = EvidenceVerifier.Verify(new EvidenceInputs { Bundle = _bundle, Keys = [] });
        FailsOnly(report, "signature", "no public key");
        Assert.False(EvidenceVerifier.Verify(new EvidenceInputs { Bundle = "not json"u8.ToArray(), Keys = [_key.Public] }).Passed);
    }
}

using System.Text;
using RadMah.Engine.Evidence;
using RadMah.Engine.Transparency;

namespace RadMah.Engine.Tests;

public sealed class EvidenceSigningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_pre_authentication_encoding_matches_the_published_DSSE_example()
    {
        // github.com/secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world").
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void A_signed_envelope_verifies_and_any_change_to_payload_type_payload_or_signature_does_not()
    {
        using var key = SigningKey.Generate();
        var payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}"u8.ToArray();
        var envelope = DsseEnvelope.Parse(Dsse.Sign(Dsse.InTotoPayloadType, payload, key));
        Assert.Equal(key.KeyId, envelope.Signatures.Single().KeyId);
        bool Verifies(DsseEnvelope e) => key.Public.Verify(Dsse.PreAuthenticationEncoding(e.PayloadType, e.Payload), e.Signatures[0].Signature);
        Assert.True(Verifies(envelope));
        Assert.False(Verifies(envelope with { PayloadType = "application/json" }));
        var payloadFlipped = envelope.Payload.ToArray();
        payloadFlipped[3] ^= 1;
        Assert.False(Verifies(envelope with { Payload = payloadFlipped }));
        var signatureFlipped = envelope.Signatures[0].Signature.ToArray();
        signatureFlipped[^1] ^= 1;
        Assert.False(Verifies(envelope with { Signatures = [envelope.Signatures[0] with { Signature = signatureFlipped }] }));
        using var other = SigningKey.Generate();
        Assert.False(other.Public.Verify(Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload), envelope.Signatures[0].Signature));
    }

    [Fact]
    public void Malformed_envelopes_are_refused_with_the_reason()
    {
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => DsseEnvelope.Parse("{"u8)).Message);
        Assert.Contains("'payload'", Assert.Throws<InvalidDataException>(() => DsseEnvelope.Parse("""{"payloadType":"x","payload":"%%%","signatures":[]}"""u8)).Message);
        Assert.Contains("no signatures", Assert.Throws<InvalidDataException>(() => DsseEnvelope.Parse("""{"payloadType":"x","payload":"","signatures":[]}"""u8)).Message);
    }

    [Fact]
    public void The_key_file_is_created_once_owner_only_and_loads_to_the_same_key_id()
    {
        var path = Path.Combine(_dir, "keys", "signing-key.pem");
        string id;
        using (var first = SigningKey.LoadOrCreate(path)) id = first.KeyId;
        using (var again = SigningKey.LoadOrCreate(path)) Assert.Equal(id, again.KeyId);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var key = SigningKey.LoadOrCreate(path);
        Assert.Equal(id, VerificationKey.FromPem(key.Public.Pem).KeyId);
        Assert.StartsWith("sha256:", id);
        File.WriteAllText(Path.Combine(_dir, "bad.pem"), "not a key");
        Assert.Throws<InvalidDataException>(() => SigningKey.LoadOrCreate(Path.Combine(_dir, "bad.pem")));
    }

    [Fact]
    public void Processes_creating_the_key_at_once_all_get_the_same_whole_key()
    {
        // The window between "no key yet" and publishing one is short: race in many fresh directories,
        // on threads of their own released together.
        for (var round = 0; round < 300; round++)
        {
            var path = Path.Combine(_dir, $"race-{round}", "signing-key.pem");
            var ids = new string[16];
            using var start = new Barrier(ids.Length);
            var racers = Enumerable.Range(0, ids.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                using var key = SigningKey.LoadOrCreate(path);
                ids[i] = key.KeyId;
            })).ToList();
            racers.ForEach(r => r.Start());
            racers.ForEach(r => r.Join());
            Assert.Single(ids.Distinct());
            Assert.Equal(["signing-key.pem"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void A_checkpoint_verifies_with_its_key_only_and_every_field_is_covered()
    {
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var root = MerkleTree.Root([MerkleTree.LeafHash("a"u8)], 1);
        var note = new Checkpoint("radmah.dev/seals/test", 1, root).Sign(key);
        var parsed = Checkpoint.ParseVerified(note, [other.Public, key.Public]);
        Assert.Equal(("radmah.dev/seals/test", 1L), (parsed.Origin, parsed.Size));
        Assert.Equal(root, parsed.RootHash);
        Assert.Contains("no checkpoint signature verifies", Assert.Throws<InvalidDataException>(() => Checkpoint.ParseVerified(note, [other.Public])).Message);
        // Change the size, the root or the origin: the signature no longer covers the text.
        Assert.Throws<InvalidDataException>(() => Checkpoint.ParseVerified(note.Replace("\n1\n", "\n2\n"), [key.Public]));
        var otherRoot = Convert.ToBase64String(MerkleTree.LeafHash("b"u8));
        Assert.Throws<InvalidDataException>(() => Checkpoint.ParseVerified(note.Replace(Convert.ToBase64String(root), otherRoot), [key.Public]));
        Assert.Throws<InvalidDataException>(() => Checkpoint.ParseVerified(note.Replace("radmah.dev/seals/test\n1", "radmah.dev/seals/tesT\n1"), [key.Public]));
        Assert.Contains("no blank line", Assert.Throws<InvalidDataException>(() => Checkpoint.ParseVerified("origin\n1\n", [key.Public])).Message);
    }

    [Fact]
    public void A_statement_names_every_output_and_the_job_and_is_canonical()
    {
        var facts = new ProvenanceFacts
        {
            JobId = "job_abc", Kind = "mock", ContractDigest = "sha256:" + new string('1', 64), Seed = 7, Rows = 10,
            Parameters = new Dictionary<string, string> { ["description"] = "orders" },
            Subjects = [new("dataset.csv", "sha256:" + new string('a', 64)), new("dataset.arrow", "sha256:" + new string('b', 64))],
            ClusterId = "radmah", Silo = "127.0.0.1:11111@1",
            StartedOn = new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc), FinishedOn = new DateTime(2026, 11, 28, 1, 2, 4, DateTimeKind.Utc),
        };
        var statement = ProvenanceStatement.Build(facts);
        Assert.Equal(statement, ProvenanceStatement.Build(facts));
        Assert.Equal(facts.Subjects, ProvenanceStatement.SubjectsOf(statement));
        var text = Encoding.UTF8.GetString(statement);
        Assert.Contains("\"predicateType\":\"https://slsa.dev/provenance/v1\"", text);
        Assert.Contains("\"buildType\":\"https://radmah.dev/job-kinds/mock/v1\"", text);
        Assert.Contains("\"invocationId\":\"job_abc\"", text);
        Assert.Contains("\"startedOn\":\"2026-11-28T01:02:03.000000Z\"", text);
    }
}

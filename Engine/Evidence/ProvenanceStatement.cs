using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Evidence;

/// <summary>An output named in a statement: its artifact name and sha256:hex digest.</summary>
public sealed record EvidenceSubject(string Name, string ContentHash);

/// <summary>What a job's provenance says: the facts the statement is built from.</summary>
public sealed record ProvenanceFacts
{
    public required string JobId { get; init; }
    public required string Kind { get; init; }
    public required string ContractDigest { get; init; }
    public required long Seed { get; init; }
    public required long Rows { get; init; }
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required IReadOnlyList<EvidenceSubject> Subjects { get; init; }

    /// <summary>Input artifacts (uploaded data, models, scenario packs) by name and digest.</summary>
    public IReadOnlyList<EvidenceSubject> Inputs { get; init; } = [];
    public required string ClusterId { get; init; }
    public required string Silo { get; init; }
    public required DateTime StartedOn { get; init; }
    public required DateTime FinishedOn { get; init; }

    /// <summary>The work's record of how it made its outputs (<see cref="Jobs.ArtifactNames.WorkRecord"/>), when it wrote one.</summary>
    public JsonObject? WorkRecord { get; init; }
}

/// <summary>
/// An in-toto Statement v1 whose predicate is SLSA provenance v1, in canonical JSON: the payload
/// of a job's evidence bundle.
/// </summary>
public static class ProvenanceStatement
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string EngineVersion = "radmah-engine/1";
    public const string Prng = "splitmix64-counter (one stream per seed, row and column)";

    public static string BuildTypeOf(string kind) => $"https://radmah.dev/job-kinds/{kind}/v1";

    public static byte[] Build(ProvenanceFacts facts)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in facts.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters[name] = value;
        var statement = new JsonObject
        {
            ["_type"] = StatementType,
            ["subject"] = new JsonArray(facts.Subjects.Select(Descriptor).ToArray<JsonNode?>()),
            ["predicateType"] = PredicateType,
            ["predicate"] = new JsonObject
            {
                ["buildDefinition"] = new JsonObject
                {
                    ["buildType"] = BuildTypeOf(facts.Kind),
                    ["externalParameters"] = new JsonObject
                    {
                        ["contract_digest"] = facts.ContractDigest,
                        ["seed"] = facts.Seed,
                        ["rows"] = facts.Rows,
                        ["kind"] = facts.Kind,
                        ["parameters"] = parameters,
                    },
                    ["internalParameters"] = InternalParameters(facts),
                    ["resolvedDependencies"] = new JsonArray(facts.Inputs.Select(Descriptor).ToArray<JsonNode?>()),
                },
                ["runDetails"] = new JsonObject
                {
                    ["builder"] = new JsonObject { ["id"] = $"https://radmah.dev/clusters/{facts.ClusterId}/silos/{facts.Silo}" },
                    ["metadata"] = new JsonObject
                    {
                        ["invocationId"] = facts.JobId,
                        ["startedOn"] = UtcTimestamp.Format(facts.StartedOn),
                        ["finishedOn"] = UtcTimestamp.Format(facts.FinishedOn),
                    },
                },
            },
        };
        return CanonicalJson.Serialize(statement);
    }

    private static JsonObject InternalParameters(ProvenanceFacts facts)
    {
        var parameters = new JsonObject
        {
            ["engine_version"] = EngineVersion,
            ["prng"] = Prng,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
        // Only a job whose work wrote a record gets the field: every other statement keeps its shape.
        if (facts.WorkRecord is not null) parameters["work_record"] = facts.WorkRecord.DeepClone();
        return parameters;
    }

    /// <summary>The subjects of a statement, by name, with sha256:hex digests.</summary>
    public static IReadOnlyList<EvidenceSubject> SubjectsOf(ReadOnlySpan<byte> statementJson)
    {
        var root = JsonNode.Parse(statementJson) as JsonObject ?? throw new InvalidDataException("the statement is not a JSON object.");
        if (root["_type"]?.GetValue<string>() != StatementType) throw new InvalidDataException($"the statement's _type is not {StatementType}.");
        if (root["subject"] is not JsonArray subjects) throw new InvalidDataException("the statement has no subject list.");
        return subjects.Select(s => new EvidenceSubject(
            s?["name"]?.GetValue<string>() ?? throw new InvalidDataException("a subject has no name."),
            "sha256:" + (s["digest"]?["sha256"]?.GetValue<string>() ?? throw new InvalidDataException("a subject has no sha256 digest.")))).ToArray();
    }

    private static JsonObject Descriptor(EvidenceSubject subject) => new()
    {
        ["name"] = subject.Name,
        ["digest"] = new JsonObject { ["sha256"] = subject.ContentHash.StartsWith("sha256:", StringComparison.Ordinal) ? subject.ContentHash[7..] : subject.ContentHash },
    };
}

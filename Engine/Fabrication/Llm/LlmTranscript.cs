using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Fabrication.Llm;

/// <summary>
/// What an LLM fabrication asked and got: the backend and model, the system prompt's and the
/// description's digests, every raw answer in order (the last one is the one used), and the repair
/// rounds. Stored with the job (llm-answers.json), kept for reruns, summarised in fabrication.json.
/// </summary>
public sealed record LlmTranscript(string Backend, string Model, string SystemPromptDigest, string DescriptionDigest, IReadOnlyList<string> Answers, string Validator)
{
    public const string FileName = "llm-answers.json";
    public const string Version = "radmah.llm-transcript/1";

    public int RepairRounds => Answers.Count - 1;

    public static string Digest(string text) => SealedContract.DigestOf(text);

    public byte[] ToJsonBytes() => CanonicalJson.Serialize(new JsonObject
    {
        ["transcript_version"] = Version,
        ["backend"] = Backend,
        ["model"] = Model,
        ["system_prompt_sha256"] = SystemPromptDigest,
        ["description_sha256"] = DescriptionDigest,
        ["validator"] = Validator,
        ["answers"] = new JsonArray([.. Answers.Select(a => (JsonNode?)a)]),
    });

    /// <summary>The provenance fabrication.json carries: everything but the answers' text, which it names by digest.</summary>
    public JsonObject Provenance() => new()
    {
        ["backend"] = Backend,
        ["model"] = Model,
        ["system_prompt_sha256"] = SystemPromptDigest,
        ["description_sha256"] = DescriptionDigest,
        ["answers_sha256"] = new JsonArray([.. Answers.Select(a => (JsonNode?)Digest(a))]),
        ["repair_rounds"] = RepairRounds,
        ["validator"] = Validator,
    };

    public static LlmTranscript Parse(byte[] json)
    {
        try
        {
            var root = JsonNode.Parse(json)!.AsObject();
            if (root["transcript_version"]?.GetValue<string>() != Version) throw new ContractException("the recorded LLM answers are not a transcript this build reads.");
            return new LlmTranscript(root["backend"]!.GetValue<string>(), root["model"]!.GetValue<string>(), root["system_prompt_sha256"]!.GetValue<string>(),
                root["description_sha256"]!.GetValue<string>(), [.. root["answers"]!.AsArray().Select(a => a!.GetValue<string>())], root["validator"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new ContractException($"the recorded LLM answers cannot be read: {ex.Message}");
        }
    }
}

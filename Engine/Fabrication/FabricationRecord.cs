using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Fabrication;

/// <summary>
/// fabrication.json: how a description became its output. The path (compiler or llm), the compiler's
/// or validator's version, the LLM's provenance, the description's digest, the warnings (what was chosen for words it did not take), and
/// what was made. Sealed with the job's outputs, so the evidence bundle covers it.
/// </summary>
public static class FabricationRecord
{
    public const string Version = "radmah.fabrication-record/1";

    /// <param name="llm">The LLM's provenance (backend, model, prompt/description/answer digests, repair rounds, validator) when an LLM made it.</param>
    public static byte[] Build(string kind, string description, string compiler, IReadOnlyList<string> warnings, JsonObject made, JsonObject? llm = null)
    {
        var record = new JsonObject
        {
            ["record_version"] = Version,
            ["kind"] = kind,
            ["path"] = llm is null ? "compiler" : "llm",
            ["compiler"] = compiler,
            ["description_sha256"] = SealedContract.DigestOf(description),
            ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)w)]),
            ["made"] = made,
        };
        if (llm is not null) record["llm"] = llm;
        return CanonicalJson.Serialize(record);
    }
}

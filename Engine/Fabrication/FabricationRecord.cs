using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Fabrication;

/// <summary>
/// fabrication.json: how a description became its output. The path (compiler), the compiler's
/// version, the description's digest, the warnings (what was chosen for words it did not take), and
/// what was made. Sealed with the job's outputs, so the evidence bundle covers it.
/// </summary>
public static class FabricationRecord
{
    public const string Version = "radmah.fabrication-record/1";

    public static byte[] Build(string kind, string description, string compiler, IReadOnlyList<string> warnings, JsonObject made) =>
        CanonicalJson.Serialize(new JsonObject
        {
            ["record_version"] = Version,
            ["kind"] = kind,
            ["path"] = "compiler",
            ["compiler"] = compiler,
            ["description_sha256"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description))),
            ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)w)]),
            ["made"] = made,
        });
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Sdk;

/// <summary>
/// Param values that are documents, such as a simulate job's scenario: params are printable text on
/// one line, so a JSON document is sent compacted (its meaning does not change, its line breaks go).
/// </summary>
public static class JobParams
{
    /// <summary>A JSON document as one line; an <see cref="ArgumentException"/> when it is not JSON.</summary>
    public static string Json(string json)
    {
        try
        {
            return (JsonNode.Parse(json) ?? throw new ArgumentException("the document is JSON null.", nameof(json))).ToJsonString();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"not a JSON document: {ex.Message}", nameof(json), ex);
        }
    }

    /// <summary>A JSON file as one line (a scenario.json written by hand or by another job).</summary>
    public static string JsonFile(string path) => Json(File.ReadAllText(path));
}

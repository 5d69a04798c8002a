using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Fabrication;

/// <summary>
/// scenarios.json: a sealed pack of one or more simulate scenarios made from one description.
/// Each scenario is in simulate's canonical form; simulate runs one with params.scenario_job_id and
/// params.scenario_index.
/// </summary>
public sealed record ScenarioPack(string Description, IReadOnlyList<Scenario> Scenarios)
{
    public const string Version = "radmah.scenario-pack/1";
    public const string FileName = "scenarios.json";

    public byte[] ToJsonBytes() => CanonicalJson.Serialize(new JsonObject
    {
        ["pack_version"] = Version,
        ["description"] = Description,
        ["scenarios"] = new JsonArray([.. Scenarios.Select(s => (JsonNode?)s.ToJson())]),
    });

    /// <summary>A pack read back; every scenario is checked as simulate checks one.</summary>
    public static ScenarioPack Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("params: a scenario pack must be a JSON object.", "params");
            if (root["pack_version"]?.GetValue<string>() != Version) throw new ContractException($"params: not a scenario pack ({Version}).", "params");
            var scenarios = root["scenarios"]!.AsArray().Select(s => ScenarioReader.Read(s!.ToJsonString())).ToList();
            return new ScenarioPack(root["description"]!.GetValue<string>(), scenarios);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new ContractException($"params: not a scenario pack: {ex.Message}", "params");
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Randomness;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Kinds;

/// <summary>
/// Where a scenario came from when a job named it: a scenario.json of an earlier job, or scenario
/// <paramref name="Index"/> of a scenario pack (or, with <paramref name="All"/>, every one), by digest.
/// </summary>
public sealed record ScenarioSource(string JobId, string ArtifactId, string ContentHash, int? Index = null, bool All = false);

/// <summary>
/// The sealed contract of simulate: the scenario in its canonical form (every default written out),
/// or every scenario of a pack, run one after the other; the seed and the PRNG; and the scenarios'
/// source when a job gave them. The scenarios alone, with the seed, decide every byte of the run.
/// </summary>
/// <param name="Historian">Whether the run also writes historian.csv and the WorldState made of it (worldstate.arrow, manifest.json).</param>
public sealed record SimulateContract(IReadOnlyList<Scenario> Scenarios, long Seed, ScenarioSource? Source, bool Historian = true) : IJobContract<SimulateContract>
{
    public SimulateContract(Scenario scenario, long seed, ScenarioSource? source, bool historian = true) : this([scenario], seed, source, historian)
    {
    }

    /// <summary>The (first) scenario.</summary>
    public Scenario Scenario => Scenarios[0];

    /// <summary>Rows of every run: one per sample.</summary>
    public long Samples => Scenarios.Sum(s => s.Samples);

    public const string Version = "radmah.simulate/1";
    /// <summary>The plant model's version: a change to its equations, constants or PLC logic is a new version.</summary>
    public const string PlantModel = "radmah.swat-plant/1";

    public SealedContract Seal()
    {
        MockContract.ValidateSeed(Seed);
        var json = new JsonObject
        {
            ["contract_version"] = Version,
            ["kind"] = JobKinds.Simulate,
            ["plant_model"] = PlantModel,
            ["prng"] = SplitMix64.AlgorithmId,
            ["seed"] = Seed,
            ["historian"] = Historian,
            ["scenario_source"] = Source is null ? null : new JsonObject
            {
                ["job_id"] = Source.JobId,
                ["artifact_id"] = Source.ArtifactId,
                ["content_hash"] = Source.ContentHash,
            },
        };
        if (Source?.Index is { } index) json["scenario_source"]!["index"] = index;
        if (Source is { All: true }) json["scenario_source"]!["index"] = "all";
        // One scenario is written as before; a pack's every scenario as a list.
        if (Scenarios.Count == 1) json["scenario"] = Scenario.ToJson();
        else json["scenarios"] = new JsonArray([.. Scenarios.Select(s => (JsonNode?)s.ToJson())]);
        return SealedContract.Of(CanonicalJson.Serialize(json));
    }

    public static SimulateContract Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A simulate contract must be a JSON object.");
            if (root["contract_version"]?.GetValue<string>() != Version)
                throw new ContractException($"Unsupported contract_version '{root["contract_version"]}'; expected '{Version}'.");
            if (root["plant_model"]?.GetValue<string>() != PlantModel)
                throw new ContractException($"The contract was sealed for plant model '{root["plant_model"]}'; this build runs '{PlantModel}'.");
            if (root["prng"]?.GetValue<string>() != SplitMix64.AlgorithmId)
                throw new ContractException($"The contract was sealed for PRNG '{root["prng"]}'; this build runs '{SplitMix64.AlgorithmId}'.");
            List<Scenario> scenarios = root["scenarios"] is JsonArray many
                ? [.. many.Select(s => ScenarioReader.Read(s!.ToJsonString()))]
                : [ScenarioReader.Read(root["scenario"]!.ToJsonString())];
            var source = root["scenario_source"] as JsonObject;
            var all = source?["index"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "all";
            var contract = new SimulateContract(scenarios, root["seed"]!.GetValue<long>(),
                source is null ? null : new ScenarioSource(source["job_id"]!.GetValue<string>(), source["artifact_id"]!.GetValue<string>(), source["content_hash"]!.GetValue<string>(),
                    all ? null : source["index"]?.GetValue<int>(), all),
                root["historian"]!.GetValue<bool>());
            MockContract.ValidateSeed(contract.Seed);
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ContractException($"Not a simulate contract: {ex.Message}");
        }
    }
}

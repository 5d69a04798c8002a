using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Randomness;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Kinds;

/// <summary>Where a scenario came from when a job named it: a scenario.json of an earlier job, or scenario <paramref name="Index"/> of a scenario pack, by digest.</summary>
public sealed record ScenarioSource(string JobId, string ArtifactId, string ContentHash, int? Index = null);

/// <summary>
/// The sealed contract of simulate: the scenario in its canonical form (every default written out),
/// the seed and the PRNG, and the scenario's source when a job gave it. The scenario alone, with the
/// seed, decides every byte of the run.
/// </summary>
/// <param name="Historian">Whether the run also writes historian.csv and the WorldState made of it (worldstate.arrow, manifest.json).</param>
public sealed record SimulateContract(Scenario Scenario, long Seed, ScenarioSource? Source, bool Historian = true) : IJobContract<SimulateContract>
{
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
            ["scenario"] = Scenario.ToJson(),
            ["historian"] = Historian,
            ["scenario_source"] = Source is null ? null : new JsonObject
            {
                ["job_id"] = Source.JobId,
                ["artifact_id"] = Source.ArtifactId,
                ["content_hash"] = Source.ContentHash,
            },
        };
        if (Source?.Index is { } index) json["scenario_source"]!["index"] = index;
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
            var scenario = ScenarioReader.Read(root["scenario"]!.ToJsonString());
            var source = root["scenario_source"] as JsonObject;
            var contract = new SimulateContract(scenario, root["seed"]!.GetValue<long>(),
                source is null ? null : new ScenarioSource(source["job_id"]!.GetValue<string>(), source["artifact_id"]!.GetValue<string>(), source["content_hash"]!.GetValue<string>(),
                    source["index"]?.GetValue<int>()),
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

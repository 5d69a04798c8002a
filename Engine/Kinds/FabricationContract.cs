using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>
/// The sealed contract of fabricate and scenario_fabricate: the description, what to make of it
/// (fabricate: rows; scenario_fabricate: variants), the seed, and the path that turns it into a
/// contract or scenarios (the built-in compiler, by its version). The compiler is deterministic, so
/// the contract alone fixes every output byte.
/// </summary>
public sealed record FabricationContract(string Kind, string Description, long Rows, int Variants, long Seed, string Backend, string Compiler) : IJobContract<FabricationContract>
{
    public const string Version = "radmah.fabrication/1";
    public const string CompilerBackend = "compiler";

    public SealedContract Seal()
    {
        MockContract.ValidateSeed(Seed);
        return SealedContract.Of(CanonicalJson.Serialize(new JsonObject
        {
            ["contract_version"] = Version,
            ["kind"] = Kind,
            ["description"] = Description,
            ["rows"] = Rows,
            ["variants"] = Variants,
            ["seed"] = Seed,
            ["backend"] = Backend,
            ["compiler"] = Compiler,
        }));
    }

    public static FabricationContract Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A fabrication contract must be a JSON object.");
            if (root["contract_version"]?.GetValue<string>() != Version)
                throw new ContractException($"Unsupported contract_version '{root["contract_version"]}'; expected '{Version}'.");
            var contract = new FabricationContract(root["kind"]!.GetValue<string>(), root["description"]!.GetValue<string>(), root["rows"]!.GetValue<long>(),
                root["variants"]!.GetValue<int>(), root["seed"]!.GetValue<long>(), root["backend"]!.GetValue<string>(), root["compiler"]!.GetValue<string>());
            MockContract.ValidateSeed(contract.Seed);
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ContractException($"Not a fabrication contract: {ex.Message}");
        }
    }
}

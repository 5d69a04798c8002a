using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>A trained model a job samples from: a train job's model.json, fixed by its digest, and its family (which decides where it can be sampled).</summary>
public sealed record ModelInput(string ArtifactId, string ContentHash, long SizeBytes, string SourceJobId, string Family = Synthesis.Models.ModelHyperparameters.GaussianCopula)
{
    /// <summary>A neural model samples on LibTorch, which the gpu tier's silos carry.</summary>
    public bool IsNeural => Family != Synthesis.Models.ModelHyperparameters.GaussianCopula;
}

/// <summary>
/// The sealed contract of train and synthesize: the real table (by digest), the model to sample
/// from (by digest) when there is one, the rows to write, the seed, and the training options.
/// train: a table, no model, no rows. synthesize: rows, and a model (whose training table is named
/// too, for the reports) or else a table to train on first.
/// </summary>
public sealed record SynthesisContract(string Kind, DataInput Table, ModelInput? Model, long Rows, long Seed, IReadOnlyDictionary<string, string> Options)
    : IJobContract<SynthesisContract>
{
    public const string Version = "radmah.synthesis/1";

    /// <summary>The algorithms the contract was sealed with (<see cref="Synthesis.SynthesisRevision"/>); 1 for a contract sealed before revisions were written.</summary>
    public int Revision { get; init; } = Synthesis.SynthesisRevision.Current.Number;

    public Datasets.TableReadOptions ReadOptions() => DataJobContract.ReadOptionsOf(Options, Synthesis.SynthesisRevision.Of(Revision).HeaderNamesByValues);

    public SealedContract Seal()
    {
        Validate();
        var options = new JsonObject();
        foreach (var (key, value) in Options.OrderBy(o => o.Key, StringComparer.Ordinal)) options[key] = value;
        var json = new JsonObject
        {
            ["contract_version"] = Version,
            ["kind"] = Kind,
            ["table"] = new JsonObject
            {
                ["artifact_id"] = Table.ArtifactId,
                ["name"] = Table.Name,
                ["format"] = Table.Format,
                ["content_hash"] = Table.ContentHash,
                ["size_bytes"] = Table.SizeBytes,
                ["dataset_id"] = Table.DatasetId,
                ["source_job_id"] = Table.SourceJobId,
            },
            ["model"] = Model is null ? null : new JsonObject
            {
                ["artifact_id"] = Model.ArtifactId,
                ["content_hash"] = Model.ContentHash,
                ["size_bytes"] = Model.SizeBytes,
                ["source_job_id"] = Model.SourceJobId,
            },
            ["rows"] = Rows,
            ["seed"] = Seed,
            ["options"] = options,
        };
        // Written only for a neural model, so the contracts of copula models keep their bytes and digests.
        if (Model is { IsNeural: true }) json["model_family"] = Model.Family;
        Synthesis.SynthesisRevision.WriteTo(json, Revision);
        return SealedContract.Of(CanonicalJson.Serialize(json));
    }

    public static SynthesisContract Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A synthesis contract must be a JSON object.");
            if (root["contract_version"]?.GetValue<string>() != Version)
                throw new ContractException($"Unsupported contract_version '{root["contract_version"]}'; expected '{Version}'.");
            var table = root["table"]!.AsObject();
            var model = root["model"] as JsonObject;
            var contract = new SynthesisContract(
                root["kind"]!.GetValue<string>(),
                new DataInput(table["artifact_id"]!.GetValue<string>(), table["name"]!.GetValue<string>(), table["format"]!.GetValue<string>(),
                    table["content_hash"]!.GetValue<string>(), table["size_bytes"]!.GetValue<long>(), table["dataset_id"]?.GetValue<string>(), table["source_job_id"]?.GetValue<string>()),
                model is null ? null : new ModelInput(model["artifact_id"]!.GetValue<string>(), model["content_hash"]!.GetValue<string>(),
                    model["size_bytes"]!.GetValue<long>(), model["source_job_id"]!.GetValue<string>(),
                    root["model_family"]?.GetValue<string>() ?? Synthesis.Models.ModelHyperparameters.GaussianCopula),
                root["rows"]!.GetValue<long>(),
                root["seed"]!.GetValue<long>(),
                (root["options"] as JsonObject ?? []).ToDictionary(o => o.Key, o => o.Value!.GetValue<string>()))
            {
                Revision = Synthesis.SynthesisRevision.ReadFrom(root),
            };
            contract.Validate();
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ContractException($"Not a synthesis contract: {ex.Message}");
        }
    }

    /// <summary>What every synthesis contract needs: a seed, the table's digest, size and format, and the model's digest when there is one.</summary>
    public void Validate()
    {
        MockContract.ValidateSeed(Seed);
        _ = Synthesis.SynthesisRevision.Of(Revision);
        if (!IsDigest(Table.ContentHash) || Table.SizeBytes <= 0) throw new ContractException("the training table has no sha256 digest or is empty.");
        if (!Datasets.DatasetFormatNames.TryParse(Table.Format, out _)) throw new ContractException($"unknown table format '{Table.Format}'.");
        if (Model is not null && (!IsDigest(Model.ContentHash) || Model.SizeBytes <= 0)) throw new ContractException("the model has no sha256 digest or is empty.");
        if (Model is not null && !Synthesis.Models.ModelHyperparameters.Families.Contains(Model.Family)) throw new ContractException($"unknown model family '{Model.Family}'.");
        if (Rows != 0) MockContract.ValidateRows(Rows);
    }

    private static bool IsDigest(string hash) => hash.StartsWith("sha256:", StringComparison.Ordinal) && hash.Length == 71;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>The table a model was trained on, by digest, and how it was read and split.</summary>
public sealed record ModelTraining
{
    public required string ArtifactId { get; init; }
    public required string Name { get; init; }
    public required string Format { get; init; }
    public required string ContentHash { get; init; }
    public required long SizeBytes { get; init; }
    public string? DatasetId { get; init; }
    public string? SourceJobId { get; init; }
    /// <summary>How the table was read: the contract's reading options, and <see cref="HeaderNamesByValuesOption"/> from synthesis revision 9.</summary>
    public IReadOnlyDictionary<string, string> ReadOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Marks a table read with <see cref="Datasets.TableReadOptions.HeaderNamesByValues"/>, so a synthesize job reads it again as training did.</summary>
    public const string HeaderNamesByValuesOption = "header_names_by_values";

    /// <summary>The table's reading options, as a synthesize job reads it again to score its rows.</summary>
    public Datasets.TableReadOptions TableReadOptions() => Kinds.DataJobContract.ReadOptionsOf(ReadOptions,
        ReadOptions.TryGetValue(HeaderNamesByValuesOption, out var byValues) && byValues == "true");

    public required long Seed { get; init; }
    public required double HoldoutFraction { get; init; }
    public required int MaxTrainingRows { get; init; }
    public required int MaxHoldoutRows { get; init; }
    public required long RowsRead { get; init; }
    public required int TrainingRows { get; init; }
    public required int HoldoutRows { get; init; }
    public required bool Sampled { get; init; }

    public TrainingSplit Split => new() { Seed = Seed, HoldoutFraction = HoldoutFraction, MaxTrainingRows = MaxTrainingRows, MaxHoldoutRows = MaxHoldoutRows };
}

/// <summary>
/// A trained model as one file (model.json, format <see cref="Format"/>): every column's codec (how it
/// is read and written, or how it is regenerated), the fitted model of its family with the rules its
/// rows keep, the hyperparameters it was trained with and its loss curves (neural families), and the
/// training table it came from. Canonical JSON, so equal models are equal bytes; <c>model_digest</c> is
/// the SHA-256 of the document without it, and reading checks it.
/// </summary>
public sealed record SynthesisModel(string Family, IReadOnlyList<ColumnCodec> Codecs, ConstrainedModel Model, ModelTraining Training)
{
    /// <summary>The fitted copula (without the rules its samples keep), when the family is gaussian_copula.</summary>
    public GaussianCopula? Copula => Model.Copula;

    /// <summary>The hyperparameters the model was trained with, defaults included (none for the copula).</summary>
    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Each loss by name, one value per epoch (none for the copula).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> LossCurves { get; init; } = new Dictionary<string, IReadOnlyList<double>>();

    public const string Format = "radmah.model/1";
    public const string FileName = "model.json";

    /// <summary>A model file is at most this large (a copula of 200 columns with full quantile tables is a few MB).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The model as a mock contract: its columns as they are written, the copula drawing the
    /// modelled ones and generators the rest. Sampling a model is generating this contract.
    /// </summary>
    public MockContract ToContract(long rows, long seed)
    {
        var description = $"synthetic rows of a {Family} model of {Training.Name} ({Training.ContentHash})";
        if (description.Length > MockContract.MaxDescriptionLength) description = description[..MockContract.MaxDescriptionLength];
        var contract = new MockContract(description, "synthesized", rows, seed, [.. Codecs.Select(c => c.OutputSpec())]) { Model = Model };
        contract.Validate();
        return contract;
    }

    public byte[] ToBytes()
    {
        var body = Body();
        body["model_digest"] = SealedContract.DigestOf(CanonicalJson.Serialize(Body()));
        return CanonicalJson.Serialize(body);
    }

    private JsonObject Body()
    {
        var t = Training;
        var readOptions = new JsonObject();
        foreach (var (key, value) in t.ReadOptions.OrderBy(o => o.Key, StringComparer.Ordinal)) readOptions[key] = value;
        var body = new JsonObject
        {
            ["format"] = Format,
            ["family"] = Family,
            ["training"] = new JsonObject
            {
                ["input"] = new JsonObject
                {
                    ["artifact_id"] = t.ArtifactId,
                    ["name"] = t.Name,
                    ["format"] = t.Format,
                    ["content_hash"] = t.ContentHash,
                    ["size_bytes"] = t.SizeBytes,
                    ["dataset_id"] = t.DatasetId,
                    ["source_job_id"] = t.SourceJobId,
                    ["read_options"] = readOptions,
                },
                ["seed"] = t.Seed,
                ["holdout_fraction"] = t.HoldoutFraction,
                ["max_training_rows"] = t.MaxTrainingRows,
                ["max_holdout_rows"] = t.MaxHoldoutRows,
                ["rows_read"] = t.RowsRead,
                ["training_rows"] = t.TrainingRows,
                ["holdout_rows"] = t.HoldoutRows,
                ["sampled"] = t.Sampled,
            },
            ["columns"] = new JsonArray([.. Codecs.Select(c => (JsonNode)c.ToJson())]),
            ["model"] = Model.ToJson(),
        };
        // Only families with hyperparameters and epochs write these, so a copula's file keeps its layout.
        if (Hyperparameters.Count > 0)
            body["hyperparameters"] = new JsonObject(Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
        if (LossCurves.Count > 0)
            body["loss_curves"] = new JsonObject(LossCurves.OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => KeyValuePair.Create(l.Key, (JsonNode?)new JsonArray([.. l.Value.Select(v => (JsonNode)Math.Round(v, 6))]))));
        return body;
    }

    /// <summary>
    /// Reads a model file, checking its format, its digest and that its parts agree; the model itself
    /// is read by its family from <paramref name="families"/>.
    /// </summary>
    public static SynthesisModel Parse(ReadOnlySpan<byte> bytes, ModelFamilies families)
    {
        var (root, header) = Read(bytes);
        try
        {
            var family = families.Get(header.Family);
            var model = ConstrainedModel.FromJson(root["model"]!.AsObject(), family.Read);
            var modelled = header.Codecs.Where(c => c.IsModelled).Select(c => c.Name).ToArray();
            if (!modelled.SequenceEqual(model.Sampler.Columns.Select(c => c.Name)))
                throw new FormatException("the model's columns and its codecs' modelled columns differ.");
            return new SynthesisModel(header.Family, header.Codecs, model, header.Training)
            {
                Hyperparameters = (root["hyperparameters"] as JsonObject ?? []).ToDictionary(h => h.Key, h => h.Value!.GetValue<string>()),
                LossCurves = (root["loss_curves"] as JsonObject ?? []).ToDictionary(l => l.Key, l => (IReadOnlyList<double>)[.. l.Value!.AsArray().Select(v => v!.GetValue<double>())]),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException or ArgumentException or KeyNotFoundException)
        {
            throw new ContractException($"the model file is damaged: {ex.Message}");
        }
    }

    /// <summary>
    /// What a model file says of itself without reading the model: its family, codecs and training
    /// table, digest checked. A submission reads this on any silo, whether or not it has the family.
    /// </summary>
    public static ModelHeader ReadHeader(ReadOnlySpan<byte> bytes) => Read(bytes).Header;

    private static (JsonObject Root, ModelHeader Header) Read(ReadOnlySpan<byte> bytes)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(bytes) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ContractException($"the model file is not JSON: {ex.Message}");
        }
        if (root["format"]?.GetValue<string>() is not Format)
            throw new ContractException($"the model file's format is '{root["format"]}'; this build reads '{Format}'.");
        var claimed = root["model_digest"]?.GetValue<string>();
        root.Remove("model_digest");
        var digest = SealedContract.DigestOf(CanonicalJson.Serialize(root));
        if (claimed != digest) throw new ContractException($"the model file's digest does not match its content (it says {claimed}, it is {digest}).");
        try
        {
            var family = root["family"]!.GetValue<string>();
            if (!ModelHyperparameters.Families.Contains(family)) throw new ContractException($"model family '{family}' is not one this build knows.");
            var codecs = root["columns"]!.AsArray().Select(c => ColumnCodec.FromJson(c!.AsObject())).ToArray();
            var t = root["training"]!.AsObject();
            var input = t["input"]!.AsObject();
            var training = new ModelTraining
            {
                ArtifactId = input["artifact_id"]!.GetValue<string>(),
                Name = input["name"]!.GetValue<string>(),
                Format = input["format"]!.GetValue<string>(),
                ContentHash = input["content_hash"]!.GetValue<string>(),
                SizeBytes = input["size_bytes"]!.GetValue<long>(),
                DatasetId = input["dataset_id"]?.GetValue<string>(),
                SourceJobId = input["source_job_id"]?.GetValue<string>(),
                ReadOptions = input["read_options"]!.AsObject().ToDictionary(o => o.Key, o => o.Value!.GetValue<string>()),
                Seed = t["seed"]!.GetValue<long>(),
                HoldoutFraction = t["holdout_fraction"]!.GetValue<double>(),
                MaxTrainingRows = t["max_training_rows"]!.GetValue<int>(),
                MaxHoldoutRows = t["max_holdout_rows"]!.GetValue<int>(),
                RowsRead = t["rows_read"]!.GetValue<long>(),
                TrainingRows = t["training_rows"]!.GetValue<int>(),
                HoldoutRows = t["holdout_rows"]!.GetValue<int>(),
                Sampled = t["sampled"]!.GetValue<bool>(),
            };
            return (root, new ModelHeader(family, codecs, training));
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException or ArgumentException or KeyNotFoundException)
        {
            throw new ContractException($"the model file is damaged: {ex.Message}");
        }
    }
}

/// <summary>A model file's family, codecs and training table (<see cref="SynthesisModel.ReadHeader"/>).</summary>
public sealed record ModelHeader(string Family, IReadOnlyList<ColumnCodec> Codecs, ModelTraining Training);

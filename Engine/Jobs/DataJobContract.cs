using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Jobs;

/// <summary>The file a data job reads: an upload (dataset id) or another job's output, fixed by its digest.</summary>
public sealed record DataInput(string ArtifactId, string Name, string Format, string ContentHash, long SizeBytes, string? DatasetId, string? SourceJobId);

/// <summary>
/// The sealed contract of a job over data (analyze, fit, lift): the kind, the exact input (by
/// digest, so a rerun reads the same bytes), the seed and the kind's options. Canonical JSON,
/// digested like every contract; the input's size decides the price.
/// </summary>
public sealed record DataJobContract(string Kind, DataInput Input, long Seed, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>analyze: other datasets of the account to look for foreign keys with, fixed by digest like the input.</summary>
    public IReadOnlyList<DataInput> Compared { get; init; } = [];

    /// <summary>At most this many datasets are compared with the input.</summary>
    public const int MaxCompared = 20;

    public const string Version = "radmah.data/1";

    public static readonly IReadOnlyList<string> Kinds = [JobKinds.Analyze, JobKinds.Fit, JobKinds.Lift];

    /// <summary>Options each kind accepts, with what a value must look like.</summary>
    private static readonly Dictionary<string, Dictionary<string, Func<string, string?>>> Accepted = new()
    {
        [JobKinds.Analyze] = new() { ["delimiter"] = Delimiter, ["header"] = Boolean },
        [JobKinds.Fit] = new() { ["delimiter"] = Delimiter, ["header"] = Boolean },
        [JobKinds.Lift] = new()
        {
            ["delimiter"] = Delimiter,
            ["header"] = Boolean,
            ["shape"] = v => v is "auto" or "wide" or "long" or "wide_time" or "wide_entity" ? null : "must be auto, wide or long (or wide_time, wide_entity)",
            ["entity_column"] = ColumnName,
            ["timestamp_column"] = ColumnName,
            ["tag_column"] = ColumnName,
            ["value_column"] = ColumnName,
            ["quality_column"] = ColumnName,
            ["timezone"] = v => TimeZoneName(v),
        },
    };

    public TableReadOptions ReadOptions() => new()
    {
        Delimiter = Options.TryGetValue("delimiter", out var d) ? (d == "tab" ? '\t' : d[0]) : null,
        Header = Options.TryGetValue("header", out var h) ? h == "true" : null,
    };

    public SealedContract Seal()
    {
        Validate();
        var options = new JsonObject();
        foreach (var (key, value) in Options.OrderBy(o => o.Key, StringComparer.Ordinal)) options[key] = value;
        static JsonObject InputJson(DataInput input) => new()
        {
            ["artifact_id"] = input.ArtifactId,
            ["name"] = input.Name,
            ["format"] = input.Format,
            ["content_hash"] = input.ContentHash,
            ["size_bytes"] = input.SizeBytes,
            ["dataset_id"] = input.DatasetId,
            ["source_job_id"] = input.SourceJobId,
        };
        var json = new JsonObject
        {
            ["contract_version"] = Version,
            ["kind"] = Kind,
            ["input"] = InputJson(Input),
            ["seed"] = Seed,
            ["options"] = options,
            ["compare_with"] = new JsonArray([.. Compared.Select(c => (JsonNode)InputJson(c))]),
        };
        var bytes = CanonicalJson.Serialize(json);
        return new SealedContract(Encoding.UTF8.GetString(bytes), MockContract.Digest(bytes));
    }

    public static DataJobContract Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A data job contract must be a JSON object.");
            if (root["contract_version"]?.GetValue<string>() != Version)
                throw new ContractException($"Unsupported contract_version '{root["contract_version"]}'; expected '{Version}'.");
            static DataInput ReadInput(JsonNode? node)
            {
                var input = node as JsonObject ?? throw new ContractException("A data job contract needs an input.");
                return new DataInput(input["artifact_id"]!.GetValue<string>(), input["name"]!.GetValue<string>(), input["format"]!.GetValue<string>(),
                    input["content_hash"]!.GetValue<string>(), input["size_bytes"]!.GetValue<long>(), input["dataset_id"]?.GetValue<string>(), input["source_job_id"]?.GetValue<string>());
            }
            var contract = new DataJobContract(
                root["kind"]!.GetValue<string>(),
                ReadInput(root["input"]),
                root["seed"]!.GetValue<long>(),
                (root["options"] as JsonObject ?? []).ToDictionary(o => o.Key, o => o.Value!.GetValue<string>()))
            {
                Compared = (root["compare_with"] as JsonArray ?? []).Select(ReadInput).ToArray(),
            };
            contract.Validate();
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ContractException($"Not a data job contract: {ex.Message}");
        }
    }

    /// <summary>Checks options against the kind (params: field errors name the option) and the input's digest and size.</summary>
    public void Validate()
    {
        if (!Accepted.TryGetValue(Kind, out var accepted)) throw new ContractException($"kind {Kind} is not a data job.");
        MockContract.ValidateSeed(Seed);
        foreach (var (key, value) in Options)
        {
            if (!accepted.TryGetValue(key, out var check))
                throw new ContractException($"params: {Kind} takes {string.Join(", ", accepted.Keys.Order(StringComparer.Ordinal))}; unknown: {key}.");
            if (check(value) is { } problem) throw new ContractException($"params: {key} {problem}; got '{value}'.");
        }
        if (!Input.ContentHash.StartsWith("sha256:", StringComparison.Ordinal) || Input.ContentHash.Length != 71)
            throw new ContractException("the input has no sha256 digest.");
        if (Input.SizeBytes <= 0) throw new ContractException("the input is empty.");
        if (Compared.Count > 0 && Kind != JobKinds.Analyze) throw new ContractException("params: compare_with is for analyze jobs.");
        if (Compared.Count > MaxCompared) throw new ContractException($"params: compare_with names at most {MaxCompared} datasets; got {Compared.Count}.");
        if (Compared.Any(c => c.ContentHash.Length != 71 || c.SizeBytes <= 0 || !DatasetFormatNames.TryParse(c.Format, out _)))
            throw new ContractException("params: compare_with names a dataset without a digest, size or format.");
        if (!DatasetFormatNames.TryParse(Input.Format, out _)) throw new ContractException($"unknown input format '{Input.Format}'.");
    }

    private static string? Delimiter(string v) => v is "," or ";" or "|" or "tab" or "\t" ? null : "must be one of , ; | tab";
    private static string? Boolean(string v) => v is "true" or "false" ? null : "must be true or false";
    private static string? ColumnName(string v) => v.Length is > 0 and <= 255 ? null : "must be a column name (1 to 255 characters)";

    private static string? TimeZoneName(string v)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(v);
            return null;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return "must be an IANA time zone such as Europe/Berlin or UTC";
        }
    }
}

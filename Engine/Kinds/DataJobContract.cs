using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>The file a data job reads: an upload (dataset id) or another job's output, fixed by its digest.</summary>
public sealed record DataInput(string ArtifactId, string Name, string Format, string ContentHash, long SizeBytes, string? DatasetId, string? SourceJobId);

/// <summary>
/// The sealed contract of a job over data (analyze, fit, lift and the kinds built like them): the
/// kind, the exact input (by digest, so a rerun reads the same bytes), the seed and the kind's
/// options. Canonical JSON, digested like every contract. Which options a kind takes, and whether
/// it compares inputs, is the kind's to check (<see cref="DataJobKind"/>).
/// </summary>
public sealed record DataJobContract(string Kind, DataInput Input, long Seed, IReadOnlyDictionary<string, string> Options) : IJobContract<DataJobContract>
{
    /// <summary>Other datasets read alongside the input (analyze looks for foreign keys with them), fixed by digest like the input.</summary>
    public IReadOnlyList<DataInput> Compared { get; init; } = [];

    /// <summary>At most this many datasets are compared with the input.</summary>
    public const int MaxCompared = 20;

    public const string Version = "radmah.data/1";

    /// <summary>
    /// For a kind that fits a model (analyze's look-alike copula), the algorithms the contract was sealed with
    /// (<see cref="Synthesis.SynthesisRevision"/>); 1 for the other kinds and for contracts sealed before revisions were written.
    /// </summary>
    public int Revision { get; init; } = Synthesis.SynthesisRevision.First.Number;

    /// <summary>Bytes the job reads: the input and every compared dataset.</summary>
    public long BytesRead => Input.SizeBytes + Compared.Sum(c => c.SizeBytes);

    public TableReadOptions ReadOptions() => ReadOptionsOf(Options, Synthesis.SynthesisRevision.Of(Revision).HeaderNamesByValues);

    /// <summary>
    /// How to read a table, from the reading options (delimiter, header) among <paramref name="options"/>; a CSV's header told
    /// as the contract's synthesis revision tells it (<see cref="TableReadOptions.HeaderNamesByValues"/>).
    /// </summary>
    public static TableReadOptions ReadOptionsOf(IReadOnlyDictionary<string, string> options, bool headerNamesByValues) => new()
    {
        Delimiter = options.TryGetValue("delimiter", out var d) ? (d == "tab" ? '\t' : d[0]) : null,
        Header = options.TryGetValue("header", out var h) ? h == "true" : null,
        HeaderNamesByValues = headerNamesByValues,
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
        Synthesis.SynthesisRevision.WriteTo(json, Revision);
        return SealedContract.Of(CanonicalJson.Serialize(json));
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
                Revision = Synthesis.SynthesisRevision.ReadFrom(root),
            };
            contract.Validate();
            return contract;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ContractException($"Not a data job contract: {ex.Message}");
        }
    }

    /// <summary>Checks what every data contract needs: a seed, the input's digest, size and format, and the compared datasets'.</summary>
    public void Validate()
    {
        MockContract.ValidateSeed(Seed);
        _ = Synthesis.SynthesisRevision.Of(Revision);
        if (!Input.ContentHash.StartsWith("sha256:", StringComparison.Ordinal) || Input.ContentHash.Length != 71)
            throw new ContractException("the input has no sha256 digest.");
        if (Input.SizeBytes <= 0) throw new ContractException("the input is empty.");
        if (Compared.Count > MaxCompared) throw new ContractException($"params: compare_with names at most {MaxCompared} datasets; got {Compared.Count}.");
        if (Compared.Any(c => c.ContentHash.Length != 71 || c.SizeBytes <= 0 || !DatasetFormatNames.TryParse(c.Format, out _)))
            throw new ContractException("params: compare_with names a dataset without a digest, size or format.");
        if (!DatasetFormatNames.TryParse(Input.Format, out _)) throw new ContractException($"unknown input format '{Input.Format}'.");
    }

    /// <summary>The options every kind that reads a table takes: how to read it.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, string?>> ReadingOptions = new Dictionary<string, Func<string, string?>>
    {
        ["delimiter"] = Delimiter,
        ["header"] = Boolean,
    };

    private static string? Delimiter(string v) => v is "," or ";" or "|" or "tab" or "\t" ? null : "must be one of , ; | tab";
    private static string? Boolean(string v) => v is "true" or "false" ? null : "must be true or false";
}

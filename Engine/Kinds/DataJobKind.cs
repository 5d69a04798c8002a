using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;

namespace RadMah.Engine.Kinds;

/// <summary>
/// What the kinds that read a table share (analyze, fit, lift): no rows and no description, the
/// upload named by dataset_id as input unless the kind reads others, the kind's options checked
/// against its own table, and a price by the bytes read.
/// </summary>
public abstract class DataJobKind : JobKind<DataJobContract>
{
    /// <summary>The options (params) the kind takes, each with a check that says what is wrong with a value, or null.</summary>
    protected virtual IReadOnlyDictionary<string, Func<string, string?>> Options => DataJobContract.ReadingOptions;

    /// <summary>Whether the kind reads other datasets alongside its input (params.compare_with).</summary>
    protected virtual bool ComparesDatasets => false;

    /// <summary>Whether the kind fits a model, so its contract is sealed with the current <see cref="Synthesis.SynthesisRevision"/>.</summary>
    protected virtual bool FitsModel => false;

    public override JobTerms TermsOf(DataJobContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { InputBytes = contract.BytesRead }).EstimatedCredits);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.Rows != 0) throw new ContractException($"rows: {Name} jobs read their dataset and take no rows.");
        if (!string.IsNullOrEmpty(request.Description)) throw new ContractException($"description: {Name} jobs read a dataset and take no description.");
        var options = new Dictionary<string, string>(request.Params, StringComparer.Ordinal);
        var input = await InputAsync(request, options, inputs);
        var compared = ComparesDatasets && options.Remove("compare_with", out var compareWith) ? await ComparedAsync(compareWith, input, inputs) : [];
        var contract = new DataJobContract(Name, input, request.Seed, options)
        {
            Compared = compared,
            Revision = FitsModel ? Synthesis.SynthesisRevision.Current.Number : Synthesis.SynthesisRevision.First.Number,
        };
        // Compared datasets are read too: they are inputs, priced and named in the evidence like the first.
        return Seal(contract, rows: 0, request.Seed, $"{Name} {input.Name}", [.. compared.Prepend(input).Select(i => new InputDigest(i.Name, i.ContentHash))]);
    }

    /// <summary>The input: the upload named by dataset_id. A kind that reads other inputs takes their params out of <paramref name="options"/>.</summary>
    protected virtual async Task<DataInput> InputAsync(JobRequest request, Dictionary<string, string> options, IJobInputs inputs)
    {
        if (string.IsNullOrEmpty(request.DatasetId))
            throw new ContractException($"dataset_id: {Name} jobs need a dataset_id (upload one with POST /v1/datasets).");
        return FromUpload(await inputs.DatasetAsync(request.DatasetId, "dataset_id"));
    }

    /// <summary>
    /// compare_with: "all" (every other dataset of the account, newest first, up to 20) or dataset
    /// ids separated by commas, each an upload of the account other than the input.
    /// </summary>
    private static async Task<IReadOnlyList<DataInput>> ComparedAsync(string value, DataInput input, IJobInputs inputs)
    {
        if (value.Trim() == "all")
            return [.. (await inputs.DatasetsAsync()).Where(d => d.DatasetId != input.DatasetId).Take(DataJobContract.MaxCompared).Select(FromUpload)];
        var ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0) throw new ContractException("params: compare_with names no dataset (give dataset ids separated by commas, or all).");
        if (ids.Length > DataJobContract.MaxCompared) throw new ContractException($"params: compare_with names at most {DataJobContract.MaxCompared} datasets; got {ids.Length}.");
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length) throw new ContractException("params: compare_with names a dataset twice.");
        if (ids.Contains(input.DatasetId)) throw new ContractException("params: compare_with names the analyzed dataset itself.");
        var found = new List<DataInput>();
        foreach (var id in ids) found.Add(FromUpload(await inputs.DatasetAsync(id, "params")));
        return found;
    }

    protected override void Validate(DataJobContract contract)
    {
        contract.Validate();
        if (contract.Kind != Name) throw new ContractException($"the contract is for {contract.Kind} jobs, not {Name}.");
        foreach (var (key, value) in contract.Options)
        {
            if (!Options.TryGetValue(key, out var check))
                throw new ContractException($"params: {Name} takes {string.Join(", ", Options.Keys.Order(StringComparer.Ordinal))}; unknown: {key}.");
            if (check(value) is { } problem) throw new ContractException($"params: {key} {problem}; got '{value}'.");
        }
        if (contract.Compared.Count > 0 && !ComparesDatasets) throw new ContractException($"params: {Name} jobs compare no datasets.");
    }

    /// <summary>An upload as a data job's input.</summary>
    public static DataInput FromUpload(InputArtifact upload) =>
        new(upload.ArtifactId, upload.Name, upload.Format ?? throw new InvalidOperationException($"{upload.ArtifactId} is not an upload."), upload.ContentHash, upload.SizeBytes, upload.DatasetId, null);
}

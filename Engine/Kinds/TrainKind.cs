using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;
using RadMah.Engine.Synthesis.Models;

namespace RadMah.Engine.Kinds;

/// <summary>
/// train: fits a generative model to a real table (an upload, dataset_id, or the rows of a succeeded
/// job, params.job_id) and writes it as one file (model.json) with its training report. Priced by
/// training tier (rows × columns × epochs), run on the gpu tier.
/// </summary>
public sealed class TrainKind : JobKind<SynthesisContract>
{
    public const string TrainingReportJson = "training-report.json";
    public const string TrainingReportHtml = "training-report.html";

    public override string Name => JobKinds.Train;

    public override string MainResult => SynthesisModel.FileName;

    public override JobTerms TermsOf(SynthesisContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { TrainingCells = CreditPricing.TrainingCellsOf(contract.Table.SizeBytes, TrainingOptions.EpochsOf(contract.Options)) }).EstimatedCredits,
            ComputeNeed.Gpu);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.Rows != 0) throw new ContractException("rows: train jobs write a model, not rows; synthesize writes rows from it (params.model_job_id).");
        if (!string.IsNullOrEmpty(request.Description)) throw new ContractException("description: train jobs read a table and take no description.");
        var options = new Dictionary<string, string>(request.Params, StringComparer.Ordinal);
        var table = await TableAsync(Name, request, options, inputs);
        var contract = new SynthesisContract(Name, table, null, 0, request.Seed, options);
        return Seal(contract, rows: 0, request.Seed, $"{TrainingOptions.ModelOf(options)} on {table.Name}", [new InputDigest(table.Name, table.ContentHash)]);
    }

    /// <summary>The table to train on: dataset_id, or params.job_id (a succeeded job's rows), taken out of <paramref name="options"/>.</summary>
    internal static async Task<DataInput> TableAsync(string kind, JobRequest request, Dictionary<string, string> options, IJobInputs inputs)
    {
        var fromJob = options.Remove("job_id", out var sourceJob);
        if (fromJob && !string.IsNullOrEmpty(request.DatasetId))
            throw new ContractException($"dataset_id: a {kind} job trains on one table: dataset_id or params.job_id.");
        if (fromJob) return await TableInputs.OfJobAsync(sourceJob!, inputs, "only a succeeded job's rows can be trained on");
        if (string.IsNullOrEmpty(request.DatasetId))
            throw new ContractException($"dataset_id: a {kind} job needs a table to train on: dataset_id (an upload) or params.job_id (a succeeded job's rows).");
        return DataJobKind.FromUpload(await inputs.DatasetAsync(request.DatasetId, "dataset_id"));
    }

    protected override void Validate(SynthesisContract contract)
    {
        contract.Validate();
        if (contract.Kind != Name) throw new ContractException($"the contract is for {contract.Kind} jobs, not {Name}.");
        if (contract.Model is not null || contract.Rows != 0) throw new ContractException("a train contract names a table only: no model and no rows.");
        TrainingOptions.Validate(Name, contract.Options);
    }
}

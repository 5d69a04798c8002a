using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;
using RadMah.Engine.Synthesis.Models;

namespace RadMah.Engine.Kinds;

/// <summary>
/// synthesize: rows from a trained model (params.model_job_id, a succeeded train job of the
/// account), or from a table it trains on first (dataset_id or params.job_id, with the training
/// parameters). Writes dataset.csv, dataset.arrow and the quality and privacy reports, which are
/// sealed with the rows. Priced by rows; sampling a copula runs on the default tier, training and
/// sampling a neural model (LibTorch) on the gpu tier.
/// </summary>
public sealed class SynthesizeKind : JobKind<SynthesisContract>
{
    public const string QualityReportJson = "quality-report.json";
    public const string QualityReportHtml = "quality-report.html";
    public const string PrivacyReportJson = "privacy-report.json";

    public override string Name => JobKinds.Synthesize;

    public override string MainResult => ArtifactNames.DatasetCsv;

    public override JobTerms TermsOf(SynthesisContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Rows = contract.Rows }).EstimatedCredits, contract.Model is null or { IsNeural: true } ? ComputeNeed.Gpu : ComputeNeed.Cpu);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.Rows <= 0) throw new ContractException("rows: synthesize needs the number of rows to write (1 or more).");
        MockContract.ValidateRows(request.Rows);
        if (!string.IsNullOrEmpty(request.Description)) throw new ContractException("description: synthesize jobs learn from a table and take no description.");
        var options = new Dictionary<string, string>(request.Params, StringComparer.Ordinal);
        if (!options.Remove("model_job_id", out var modelJob))
        {
            var table = await TrainKind.TableAsync(Name, request, options, inputs);
            var trained = new SynthesisContract(Name, table, null, request.Rows, request.Seed, options);
            return Seal(trained, request.Rows, request.Seed, $"{request.Rows:N0} rows of {TrainingOptions.ModelOf(options)} on {table.Name}", [new InputDigest(table.Name, table.ContentHash)]);
        }
        if (!string.IsNullOrEmpty(request.DatasetId) || options.ContainsKey("job_id"))
            throw new ContractException("params: give params.model_job_id (a trained model) or a table to train on (dataset_id or params.job_id), not both.");
        if (options.Count > 0)
            throw new ContractException($"params: a synthesize job from a model takes model_job_id only (the model fixes how its table is read); unknown: {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))}.");
        var artifact = (await inputs.SucceededJobArtifactsAsync(modelJob, "params", "only a succeeded train job's model can be sampled"))
            .FirstOrDefault(a => a.ArtifactType == SynthesisModel.FileName)
            ?? throw new ContractException($"job {modelJob} is not a train job: it wrote no {SynthesisModel.FileName}.", "params", ContractFault.FailedPrecondition);
        if (artifact.SizeBytes > SynthesisModel.MaxBytes)
            throw new ContractException($"the model of job {modelJob} is larger than {SynthesisModel.MaxBytes / (1024 * 1024)} MB.", "params", ContractFault.FailedPrecondition);
        var model = SynthesisModel.ReadHeader(await inputs.ReadAsync(artifact, cancellationToken));
        var t = model.Training;
        var source = new DataInput(t.ArtifactId, t.Name, t.Format, t.ContentHash, t.SizeBytes, t.DatasetId, t.SourceJobId);
        var contract = new SynthesisContract(Name, source, new ModelInput(artifact.ArtifactId, artifact.ContentHash, artifact.SizeBytes, modelJob, model.Family), request.Rows, request.Seed,
            new Dictionary<string, string>());
        return Seal(contract, request.Rows, request.Seed, $"{request.Rows:N0} rows of {model.Family} model {modelJob}",
            [new InputDigest(artifact.Name, artifact.ContentHash), new InputDigest(source.Name, source.ContentHash)]);
    }

    protected override void Validate(SynthesisContract contract)
    {
        contract.Validate();
        if (contract.Kind != Name) throw new ContractException($"the contract is for {contract.Kind} jobs, not {Name}.");
        if (contract.Rows <= 0) throw new ContractException("a synthesize contract needs rows.");
        if (contract.Model is not null && contract.Options.Count > 0) throw new ContractException("a synthesize contract with a model takes no training options.");
        if (contract.Model is null) TrainingOptions.Validate(Name, contract.Options);
    }
}

using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Mock.Description;
using RadMah.Engine.Pricing;

namespace RadMah.Engine.Kinds;

/// <summary>
/// mock: rows from a description (compiled into a contract of typed columns and generators), or
/// from a sealed contract another job wrote (params.contract_job_id or contract_artifact_id: the
/// look-alike contract analyze infers). Priced by rows; small jobs may ask for the interactive tier.
/// </summary>
public sealed class MockKind : JobKind<MockContract>
{
    /// <summary>A contract read back from an artifact is at most this large.</summary>
    public const long MaxContractBytes = 16 * 1024 * 1024;

    public override string Name => JobKinds.Mock;

    public override string MainResult => ArtifactNames.DatasetCsv;

    public override JobTerms TermsOf(MockContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Rows = contract.TotalRows }).EstimatedCredits, MayRunInteractive: true);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.DatasetId is not null) throw new ContractException("dataset_id: mock jobs read no dataset; give a description or params.contract_job_id.");
        if (request.Params.ContainsKey("contract_job_id") || request.Params.ContainsKey("contract_artifact_id"))
            return await FromContractAsync(request, inputs, cancellationToken);
        if (request.Params.Count > 0)
            throw new ContractException($"params: mock takes contract_job_id or contract_artifact_id (a contract inferred by analyze); unknown: {string.Join(", ", request.Params.Keys)}.");
        var compiled = DescriptionCompiler.Compile(request.Description, request.Rows, request.Seed);
        var contract = compiled.Contract;
        return Seal(contract, contract.Rows, contract.Seed, contract.Description, warnings: compiled.Warnings);
    }

    /// <summary>
    /// The columns of a sealed contract another job of the account wrote, with this request's rows
    /// (the contract's when absent) and seed. The contract is an input of the job, by digest.
    /// </summary>
    private async Task<SealedJob> FromContractAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.Params.Count != 1) throw new ContractException("params: give one of contract_job_id or contract_artifact_id, and nothing else.");
        if (!string.IsNullOrEmpty(request.Description)) throw new ContractException("description: a mock job from a contract takes no description; the contract defines the columns.");
        InputArtifact artifact;
        if (request.Params.TryGetValue("contract_job_id", out var jobId))
        {
            artifact = (await inputs.SucceededJobArtifactsAsync(jobId, "params", "its contract exists once it has succeeded"))
                .FirstOrDefault(a => a.ArtifactType == ArtifactNames.Contract)
                ?? throw new ContractException($"job {jobId} wrote no {ArtifactNames.Contract} (analyze jobs infer one).", "params", ContractFault.FailedPrecondition);
        }
        else
        {
            artifact = await inputs.ArtifactAsync(request.Params["contract_artifact_id"], "params");
            if (artifact.ArtifactType != ArtifactNames.Contract)
                throw new ContractException($"artifact {artifact.ArtifactId} is a {artifact.ArtifactType}, not a {ArtifactNames.Contract}.", "params", ContractFault.FailedPrecondition);
        }
        if (artifact.SizeBytes > MaxContractBytes)
            throw new ContractException($"contract {artifact.ArtifactId} is larger than {MaxContractBytes / (1024 * 1024)} MB.", "params", ContractFault.FailedPrecondition);
        var stored = MockContract.Parse(Encoding.UTF8.GetString(await inputs.ReadAsync(artifact, cancellationToken)));
        var contract = stored.With(request.Rows == 0 ? stored.Rows : request.Rows, request.Seed);
        return Seal(contract, contract.TotalRows, contract.Seed, contract.Description, inputs: [new InputDigest(artifact.Name, artifact.ContentHash)]);
    }
}

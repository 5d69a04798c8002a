using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;

namespace RadMah.Engine.Kinds;

/// <summary>
/// fabricate: a description becomes a sealed mock contract (contract.json) with a preview of its
/// first rows and a record of how it was made. mock with params.contract_job_id then writes the
/// data. An LLM makes it when the deployment configures one (params.backend=llm, the default then),
/// else the built-in compiler (params.backend=compiler). Priced per contract (pricing.json fabrication_credits).
/// </summary>
public sealed class FabricateKind(Fabrication.Llm.LlmBackend? llm = null) : JobKind<FabricationContract>
{
    public const string PreviewCsv = "preview.csv";
    public const int PreviewRows = 20;
    private static readonly string[] Known = ["backend"];

    public override string Name => JobKinds.Fabricate;

    public override string MainResult => ArtifactNames.Contract;

    public override JobTerms TermsOf(FabricationContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Fabrications = 1 }).EstimatedCredits, MayRunInteractive: true);

    public override Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.DatasetId is not null) throw new ContractException("dataset_id: fabricate reads no dataset; describe the table.");
        var unknown = request.Params.Keys.Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ContractException($"params: fabricate takes {string.Join(", ", Known)}; unknown: {string.Join(", ", unknown)}.");
        var backend = Fabricators.Choose(request.Params.GetValueOrDefault("backend"), llm);
        // 0: the description's count, or ColumnLanguage.DefaultRows.
        var rows = request.Rows;
        MockContract.ValidateDescription(request.Description);
        if (rows != 0) MockContract.ValidateRows(rows);
        IReadOnlyList<string> warnings = [];
        if (backend == FabricationContract.CompilerBackend) (_, warnings) = ColumnLanguage.Compile(request.Description, rows, request.Seed);
        var contract = new FabricationContract(Name, request.Description, rows, 0, request.Seed, backend,
            backend == FabricationContract.CompilerBackend ? ColumnLanguage.Version : Fabrication.Llm.LlmAnswers.ContractValidator);
        return Task.FromResult(Seal(contract, 0, request.Seed, request.Description, warnings: warnings));
    }

    protected override void Validate(FabricationContract contract)
    {
        if (contract.Kind != Name) throw new ContractException($"the contract is for {contract.Kind} jobs, not {Name}.");
        var expected = contract.Backend == FabricationContract.CompilerBackend ? ColumnLanguage.Version : Fabrication.Llm.LlmAnswers.ContractValidator;
        if (contract.Compiler != expected) throw new ContractException($"the contract was sealed for {contract.Compiler}; this build runs {expected}.");
        if (contract.Rows != 0) MockContract.ValidateRows(contract.Rows);
    }
}

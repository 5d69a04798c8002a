using System.Globalization;
using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;

namespace RadMah.Engine.Kinds;

/// <summary>
/// scenario_fabricate: a description of plant operation, attacks and faults becomes a sealed pack of
/// simulate scenarios (scenarios.json), params.variants of them differing in timing and targets.
/// An LLM makes it when the deployment configures one (params.backend=llm, the default then), else
/// the built-in compiler (params.backend=compiler). Priced per scenario (pricing.json fabrication_credits).
/// </summary>
public sealed class ScenarioFabricateKind(Fabrication.Llm.LlmBackend? llm = null) : JobKind<FabricationContract>
{
    public const string FabricationJson = ArtifactNames.WorkRecord;
    private static readonly string[] Known = ["variants", "backend"];

    public override string Name => JobKinds.ScenarioFabricate;

    public override string MainResult => ScenarioPack.FileName;

    public override JobTerms TermsOf(FabricationContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Fabrications = contract.Variants }).EstimatedCredits, MayRunInteractive: true);

    public override Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.DatasetId is not null) throw new ContractException("dataset_id: scenario_fabricate reads no dataset; describe the scenario.");
        if (request.Rows != 0) throw new ContractException("rows: scenario_fabricate writes scenarios, not rows; simulate writes the rows (params.scenario_job_id).");
        var unknown = request.Params.Keys.Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ContractException($"params: scenario_fabricate takes {string.Join(", ", Known)}; unknown: {string.Join(", ", unknown)}.");
        var variants = 1;
        if (request.Params.TryGetValue("variants", out var v) && (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out variants) || variants is < 1 or > ScenarioCompiler.MaxVariants))
            throw new ContractException($"params: variants must be a whole number from 1 to {ScenarioCompiler.MaxVariants}; got '{v}'.");
        var backend = Fabricators.Choose(request.Params.GetValueOrDefault("backend"), llm);
        IReadOnlyList<string> warnings = [];
        if (backend == FabricationContract.CompilerBackend) (_, warnings) = ScenarioCompiler.Compile(request.Description, variants, request.Seed);
        else ScenarioCompiler.CheckDescription(request.Description);
        var contract = new FabricationContract(Name, request.Description, 0, variants, request.Seed, backend,
            backend == FabricationContract.CompilerBackend ? ScenarioCompiler.Version : Fabrication.Llm.LlmAnswers.ScenarioValidator);
        return Task.FromResult(Seal(contract, 0, request.Seed, request.Description, warnings: warnings));
    }

    protected override void Validate(FabricationContract contract)
    {
        if (contract.Kind != Name) throw new ContractException($"the contract is for {contract.Kind} jobs, not {Name}.");
        var expected = contract.Backend == FabricationContract.CompilerBackend ? ScenarioCompiler.Version : Fabrication.Llm.LlmAnswers.ScenarioValidator;
        if (contract.Compiler != expected) throw new ContractException($"the contract was sealed for {contract.Compiler}; this build runs {expected}.");
    }
}

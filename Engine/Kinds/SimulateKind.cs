using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Kinds;

/// <summary>
/// simulate: a physics-based SCADA/ICS run of a SWaT-like six-stage water-treatment plant, with PLC
/// logic, transmitters, and a scenario's regime changes, attacks and faults. params: duration (normal
/// operation), or scenario (an inline scenario document) or scenario_job_id (a job's scenario.json);
/// sampling_period optionally; historian=false leaves out the long historian export and its
/// WorldState (a long run's largest files). Priced by rows: one row per historian sample.
/// </summary>
public sealed class SimulateKind : JobKind<SimulateContract>
{
    public const string HistorianCsv = "historian.csv";
    public const string LabelsJson = "labels.json";
    public const string ScenarioJson = "scenario.json";
    public const string OverviewHtml = "overview.html";
    /// <summary>A scenario read from a job's artifact is at most this large.</summary>
    public const long MaxScenarioBytes = 4 * 1024 * 1024;

    private static readonly string[] Known = ["duration", "sampling_period", "scenario", "scenario_job_id", "historian"];

    public override string Name => JobKinds.Simulate;

    public override string MainResult => ArtifactNames.DatasetCsv;

    public override JobTerms TermsOf(SimulateContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Rows = contract.Scenario.Samples }).EstimatedCredits, MayRunInteractive: true);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.DatasetId is not null) throw new ContractException("dataset_id: simulate reads no dataset; give params.duration or params.scenario.");
        if (!string.IsNullOrEmpty(request.Description))
            throw new ContractException("description: simulate takes a scenario, not a description: params.duration for normal operation, params.scenario (a scenario document) or params.scenario_job_id.");
        var unknown = request.Params.Keys.Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ContractException($"params: simulate takes {string.Join(", ", Known)}; unknown: {string.Join(", ", unknown)}.");
        var p = request.Params;
        if (p.ContainsKey("scenario") && p.ContainsKey("scenario_job_id")) throw new ContractException("params: give params.scenario or params.scenario_job_id, not both.");
        var duration = p.GetValueOrDefault("duration");
        var period = p.GetValueOrDefault("sampling_period");
        var historian = p.GetValueOrDefault("historian") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw new ContractException($"params: historian must be true or false; got '{other}'."),
        };

        Scenario scenario;
        ScenarioSource? source = null;
        IReadOnlyList<InputDigest> inputDigests = [];
        if (p.TryGetValue("scenario", out var inline))
        {
            scenario = ScenarioReader.Read(inline, duration, period);
        }
        else if (p.TryGetValue("scenario_job_id", out var jobId))
        {
            var artifact = (await inputs.SucceededJobArtifactsAsync(jobId, "params", "its scenario exists once it has succeeded"))
                .FirstOrDefault(a => a.ArtifactType == SimulateKind.ScenarioJson)
                ?? throw new ContractException($"job {jobId} wrote no {ScenarioJson} (simulate and scenario_fabricate jobs write one).", "params", ContractFault.FailedPrecondition);
            if (artifact.SizeBytes > MaxScenarioBytes)
                throw new ContractException($"{ScenarioJson} of job {jobId} is larger than {MaxScenarioBytes / (1024 * 1024)} MB.", "params", ContractFault.FailedPrecondition);
            scenario = ScenarioReader.Read(Encoding.UTF8.GetString(await inputs.ReadAsync(artifact, cancellationToken)), duration, period);
            source = new ScenarioSource(jobId, artifact.ArtifactId, artifact.ContentHash);
            inputDigests = [new InputDigest(artifact.Name, artifact.ContentHash)];
        }
        else if (duration is not null || period is not null)
        {
            scenario = ScenarioReader.Normal(duration ?? throw new ContractException("params: simulate needs params.duration (normal operation, such as 1d) with params.sampling_period."), period);
        }
        else
        {
            throw new ContractException("params: simulate needs params.duration (normal operation, such as 1d), params.scenario (a scenario document) or params.scenario_job_id.");
        }
        if (request.Rows != 0 && request.Rows != scenario.Samples)
            throw new ContractException($"rows: a simulate job writes one row per sample ({scenario.Samples:N0} for {SimulationTime.Describe(scenario.DurationMs)} every {SimulationTime.Describe(scenario.SamplingPeriodMs)}); leave rows out or give that number.");
        MockContract.ValidateRows(scenario.Samples);
        var contract = new SimulateContract(scenario, request.Seed, source, historian);
        var description = $"{SimulationTime.Describe(scenario.DurationMs)} of the SWaT-like plant, {scenario.Events.Count} event(s)";
        return Seal(contract, scenario.Samples, request.Seed, description, inputDigests);
    }
}

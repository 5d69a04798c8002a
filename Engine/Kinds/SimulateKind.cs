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

    private static readonly string[] Known = ["duration", "sampling_period", "scenario", "scenario_job_id", "scenario_index", "historian"];

    public override string Name => JobKinds.Simulate;

    public override string MainResult => ArtifactNames.DatasetCsv;

    public override JobTerms TermsOf(SimulateContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { Rows = contract.Samples }).EstimatedCredits, MayRunInteractive: true);

    /// <summary>
    /// A job's scenario: a simulate job's scenario.json, or one scenario of a scenario_fabricate
    /// job's pack (scenarios.json; scenario_index, which may be left out when the pack holds one).
    /// </summary>
    private static async Task<(IReadOnlyList<Scenario>, ScenarioSource, InputDigest)> FromJobAsync(string jobId, string? index, string? duration, string? period, IJobInputs inputs,
        CancellationToken cancellationToken)
    {
        var artifacts = await inputs.SucceededJobArtifactsAsync(jobId, "params", "its scenario exists once it has succeeded");
        // A simulate job of one scenario wrote scenario.json; a scenario_fabricate job, scenarios.json.
        var artifact = artifacts.FirstOrDefault(a => a.ArtifactType == ScenarioJson) ?? artifacts.FirstOrDefault(a => a.ArtifactType == Fabrication.ScenarioPack.FileName)
            ?? throw new ContractException($"job {jobId} wrote no {ScenarioJson} or {Fabrication.ScenarioPack.FileName} (simulate and scenario_fabricate jobs write one).", "params", ContractFault.FailedPrecondition);
        if (artifact.SizeBytes > MaxScenarioBytes)
            throw new ContractException($"{artifact.ArtifactType} of job {jobId} is larger than {MaxScenarioBytes / (1024 * 1024)} MB.", "params", ContractFault.FailedPrecondition);
        var text = Encoding.UTF8.GetString(await inputs.ReadAsync(artifact, cancellationToken));
        var digest = new InputDigest(artifact.Name, artifact.ContentHash);
        if (artifact.ArtifactType == ScenarioJson)
        {
            if (index is not null) throw new ContractException($"params: job {jobId} wrote one scenario; scenario_index is for a scenario_fabricate job's pack.");
            return ([ScenarioReader.Read(text, duration, period)], new ScenarioSource(jobId, artifact.ArtifactId, artifact.ContentHash), digest);
        }
        var pack = Fabrication.ScenarioPack.Parse(text);
        // The pack's scenarios are read (and checked) already; each states its own duration and period.
        if (duration is not null) throw new ContractException("params: scenario $.duration: is given both in the scenario and as params.duration; give one.", "params");
        if (period is not null) throw new ContractException("params: scenario $.sampling_period: is given both in the scenario and as params.sampling_period; give one.", "params");
        int chosen;
        if (index is null)
        {
            if (pack.Scenarios.Count != 1)
                throw new ContractException($"params: job {jobId} made {pack.Scenarios.Count} scenarios; give params.scenario_index (0 to {pack.Scenarios.Count - 1}).");
            chosen = 0;
        }
        else if (index == "all")
        {
            // Every scenario, run one after the other.
            return (pack.Scenarios,
                new ScenarioSource(jobId, artifact.ArtifactId, artifact.ContentHash, All: true), digest);
        }
        else if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out chosen) || chosen >= pack.Scenarios.Count)
        {
            throw new ContractException($"params: scenario_index must be from 0 to {pack.Scenarios.Count - 1} (job {jobId} made {pack.Scenarios.Count}); got '{index}'.");
        }
        return ([pack.Scenarios[chosen]], new ScenarioSource(jobId, artifact.ArtifactId, artifact.ContentHash, chosen), digest);
    }

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        if (request.DatasetId is not null) throw new ContractException("dataset_id: simulate reads no dataset; give params.duration or params.scenario.");
        if (!string.IsNullOrEmpty(request.Description))
            throw new ContractException("description: simulate takes a scenario, not a description: params.duration for normal operation, params.scenario (a scenario document) or params.scenario_job_id.");
        var unknown = request.Params.Keys.Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ContractException($"params: simulate takes {string.Join(", ", Known)}; unknown: {string.Join(", ", unknown)}.");
        var p = request.Params;
        if (p.ContainsKey("scenario") && p.ContainsKey("scenario_job_id")) throw new ContractException("params: give params.scenario or params.scenario_job_id, not both.");
        if (p.ContainsKey("scenario_index") && !p.ContainsKey("scenario_job_id")) throw new ContractException("params: scenario_index picks a scenario of a pack: give params.scenario_job_id (a scenario_fabricate job) with it.");
        var duration = p.GetValueOrDefault("duration");
        var period = p.GetValueOrDefault("sampling_period");
        var historian = p.GetValueOrDefault("historian") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw new ContractException($"params: historian must be true or false; got '{other}'."),
        };

        IReadOnlyList<Scenario> scenarios;
        ScenarioSource? source = null;
        IReadOnlyList<InputDigest> inputDigests = [];
        if (p.TryGetValue("scenario", out var inline))
        {
            scenarios = [ScenarioReader.Read(inline, duration, period)];
        }
        else if (p.TryGetValue("scenario_job_id", out var jobId))
        {
            (scenarios, source, var input) = await FromJobAsync(jobId, p.GetValueOrDefault("scenario_index"), duration, period, inputs, cancellationToken);
            inputDigests = [input];
        }
        else if (duration is not null || period is not null)
        {
            scenarios = [ScenarioReader.Normal(duration ?? throw new ContractException("params: simulate needs params.duration (normal operation, such as 1d) with params.sampling_period."), period)];
        }
        else
        {
            throw new ContractException("params: simulate needs params.duration (normal operation, such as 1d), params.scenario (a scenario document) or params.scenario_job_id.");
        }
        var contract = new SimulateContract(scenarios, request.Seed, source, historian);
        var first = contract.Scenario;
        if (request.Rows != 0 && request.Rows != contract.Samples)
            throw new ContractException(scenarios.Count == 1
                ? $"rows: a simulate job writes one row per sample ({first.Samples:N0} for {SimulationTime.Describe(first.DurationMs)} every {SimulationTime.Describe(first.SamplingPeriodMs)}); leave rows out or give that number."
                : $"rows: a simulate job writes one row per sample ({contract.Samples:N0} for its {scenarios.Count} scenarios); leave rows out or give that number.");
        MockContract.ValidateRows(contract.Samples);
        var description = scenarios.Count == 1
            ? $"{SimulationTime.Describe(first.DurationMs)} of the SWaT-like plant, {first.Events.Count} event(s)"
            : $"{scenarios.Count} scenarios of the SWaT-like plant, {SimulationTime.Describe(scenarios.Sum(s => s.DurationMs))} in all";
        return Seal(contract, contract.Samples, request.Seed, description, inputDigests);
    }
}

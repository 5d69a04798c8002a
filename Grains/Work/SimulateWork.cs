using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Lift;
using RadMah.Engine.Simulation;
using RadMah.Engine.Simulation.Scenarios;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// simulate: runs the sealed scenario and stores the wide table (CSV, Arrow), the historian export,
/// the WorldState lift would make of it, the ground truth, the scenario and an overview page.
/// </summary>
public sealed class SimulateWork(SimulateKind kind) : JobWork<SimulateContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, SimulateContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var written = new List<StagedArtifact>();
        long before = 0;
        for (var i = 0; i < contract.Scenarios.Count; i++)
        {
            var scenario = contract.Scenarios[i];
            // One scenario's outputs keep their names; a pack's runs are named by index (dataset.0.csv, labels.0.json, …).
            string Name(string name) => contract.Scenarios.Count == 1 ? name : ArtifactNames.Indexed(name, i);
            var done = before;
            written.AddRange(await RunOneAsync(definition, contract, scenario, Name, store, rows => settings.Progress(done + rows), cancellationToken));
            before += scenario.Samples;
        }
        return written;
    }

    private static async Task<IReadOnlyList<StagedArtifact>> RunOneAsync(JobDefinition definition, SimulateContract contract, Scenario scenario, Func<string, string> name,
        IArtifactStore store, Action<long> progress, CancellationToken cancellationToken)
    {
        var staging = definition.JobId;
        var spill = Path.Combine(Path.GetTempPath(), "radmah-simulate", definition.JobId);
        SimulationResult result;
        var written = new List<StagedArtifact>();
        await using (var csv = store.OpenStaging(staging, name(ArtifactNames.DatasetCsv)))
        await using (var arrow = store.OpenStaging(staging, name(ArtifactNames.DatasetArrow)))
        await using (var historian = contract.Historian ? store.OpenStaging(staging, name(SimulateKind.HistorianCsv)) : null)
        await using (var world = contract.Historian ? store.OpenStaging(staging, name(LiftKind.WorldStateName)) : null)
        {
            try
            {
                result = await SimulationRunner.RunAsync(scenario, contract.Seed, definition.ContractDigest,
                    new SimulationStreams(csv, arrow, historian, world),
                    new SimulationRunOptions { Progress = progress, SpillDirectory = spill }, cancellationToken);
            }
            finally
            {
                TryDelete(spill);
            }
            written.Add(await csv.CompleteAsync("text/csv; charset=utf-8", cancellationToken));
            written.Add(await arrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken));
            if (historian is not null && world is not null)
            {
                written.Add(await historian.CompleteAsync("text/csv; charset=utf-8", cancellationToken));
                written.Add(await world.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken));
                written.Add(await StageAsync(store, staging, name(LiftKind.ManifestName), "application/json", result.Manifest!.ToJsonBytes(), cancellationToken));
            }
        }
        written.Add(await StageAsync(store, staging, name(SimulateKind.LabelsJson), "application/json", result.Labels, cancellationToken));
        // The scenario as sealed: what a rerun or another simulate job (params.scenario_job_id) reads.
        written.Add(await StageAsync(store, staging, name(SimulateKind.ScenarioJson), "application/json", Encoding.UTF8.GetBytes(scenario.ToCanonicalJson()), cancellationToken));
        written.Add(await StageAsync(store, staging, name(SimulateKind.OverviewHtml), "text/html; charset=utf-8", result.Overview, cancellationToken));
        return written;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Spill files are opened delete-on-close; an empty directory left behind is harmless.
        }
    }
}

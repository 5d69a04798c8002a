using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Lift;
using RadMah.Engine.Simulation;
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
        var staging = definition.JobId;
        var spill = Path.Combine(Path.GetTempPath(), "radmah-simulate", definition.JobId);
        SimulationResult result;
        StagedArtifact csv, arrow, historian, worldState;
        await using (var csvStream = store.OpenStaging(staging, ArtifactNames.DatasetCsv))
        await using (var arrowStream = store.OpenStaging(staging, ArtifactNames.DatasetArrow))
        await using (var historianStream = store.OpenStaging(staging, SimulateKind.HistorianCsv))
        await using (var worldStream = store.OpenStaging(staging, LiftKind.WorldStateName))
        {
            try
            {
                result = await SimulationRunner.RunAsync(contract.Scenario, contract.Seed, definition.ContractDigest,
                    new SimulationStreams(csvStream, arrowStream, historianStream, worldStream),
                    new SimulationRunOptions { Progress = settings.Progress, SpillDirectory = spill }, cancellationToken);
            }
            finally
            {
                TryDelete(spill);
            }
            csv = await csvStream.CompleteAsync("text/csv; charset=utf-8", cancellationToken);
            arrow = await arrowStream.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken);
            historian = await historianStream.CompleteAsync("text/csv; charset=utf-8", cancellationToken);
            worldState = await worldStream.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken);
        }
        return
        [
            csv, arrow, historian, worldState,
            await StageAsync(store, staging, LiftKind.ManifestName, "application/json", result.Manifest!.ToJsonBytes(), cancellationToken),
            await StageAsync(store, staging, SimulateKind.LabelsJson, "application/json", result.Labels, cancellationToken),
            // The scenario as sealed: what a rerun or another simulate job (params.scenario_job_id) reads.
            await StageAsync(store, staging, SimulateKind.ScenarioJson, "application/json", Encoding.UTF8.GetBytes(contract.Scenario.ToCanonicalJson()), cancellationToken),
            await StageAsync(store, staging, SimulateKind.OverviewHtml, "text/html; charset=utf-8", result.Overview, cancellationToken),
        ];
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

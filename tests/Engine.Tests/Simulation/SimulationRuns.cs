using RadMah.Engine.Lift;
using RadMah.Engine.Simulation;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Tests.Simulation;

/// <summary>A run's files in memory, for tests.</summary>
public sealed record SimulationFiles(byte[] DatasetCsv, byte[] DatasetArrow, byte[] HistorianCsv, byte[] WorldState, byte[] Labels, byte[] Overview, WorldStateManifest Manifest);

public static class SimulationRuns
{
    public const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    public static Scenario Read(string json) => ScenarioReader.Read(json);

    public static async Task<SimulationFiles> RunAsync(Scenario scenario, long seed = 7, int blockSamples = 4096)
    {
        using var csv = new MemoryStream();
        using var arrow = new MemoryStream();
        using var historian = new MemoryStream();
        using var world = new MemoryStream();
        var result = await SimulationRunner.RunAsync(scenario, seed, Digest, new SimulationStreams(csv, arrow, historian, world),
            new SimulationRunOptions { BlockSamples = blockSamples }, TestContext.Current.CancellationToken);
        return new SimulationFiles(csv.ToArray(), arrow.ToArray(), historian.ToArray(), world.ToArray(), result.Labels, result.Overview, result.Manifest!);
    }

    /// <summary>Every sample of a run, straight from the simulator (no files).</summary>
    public static List<long[]> Samples(PlantSimulator simulator, Action<PlantSimulator, long>? eachSample = null)
    {
        var rows = new List<long[]>();
        var block = new SampleBlock(1);
        while (simulator.Next(block) > 0)
        {
            rows.Add(block.Values[..Engine.Simulation.Process.SwatTags.Count]);
            eachSample?.Invoke(simulator, block.FirstSample);
        }
        return rows;
    }
}

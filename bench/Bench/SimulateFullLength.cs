using System.Diagnostics;
using RadMah.Engine.Simulation;
using RadMah.Engine.Simulation.Scenarios;
using RadMah.Measurement;

namespace RadMah.Bench;

/// <summary>
/// simulate at SWaT's full length: 11 days at 1 s (950,400 samples × 51 tags, physics every 0.2 s),
/// written as wide CSV + Arrow (and, with --historian, the long historian CSV and the WorldState).
/// The target: under 10 s on 2 cores. Run: dotnet run -c Release --project bench/Bench -- simulate [DURATION] [--historian]
/// </summary>
public static class SimulateFullLength
{
    public static async Task RunAsync(string[] args)
    {
        var duration = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "11d";
        var historian = args.Contains("--historian");
        var scenario = ScenarioReader.Normal(duration);
        if (args.Contains("--physics-only"))
        {
            // The simulating thread alone: physics, transmitters, PLCs and historian sampling, nothing written.
            var simulator = new PlantSimulator(scenario, 42);
            var block = new SampleBlock(4096);
            var timer = Stopwatch.StartNew();
            while (simulator.Next(block) > 0) { }
            Console.WriteLine($"physics only {duration}: {scenario.Samples:N0} samples in {timer.Elapsed.TotalSeconds:F2} s");
            return;
        }
        var dir = Path.Combine(Path.GetTempPath(), "radmah-simulate-bench");
        Directory.CreateDirectory(dir);
        await using var csv = File.Create(Path.Combine(dir, "dataset.csv"));
        await using var arrow = File.Create(Path.Combine(dir, "dataset.arrow"));
        await using var hist = historian ? File.Create(Path.Combine(dir, "historian.csv")) : null;
        await using var world = historian ? File.Create(Path.Combine(dir, "worldstate.arrow")) : null;
        using var memory = PeakWorkingSet.Start();
        var clock = Stopwatch.StartNew();
        var result = await SimulationRunner.RunAsync(scenario, 42, "sha256:" + new string('0', 64), new SimulationStreams(csv, arrow, hist, world),
            new SimulationRunOptions { SpillDirectory = dir }, CancellationToken.None);
        clock.Stop();
        var peak = await memory.StopAsync() - memory.Before;
        Console.WriteLine($"simulate {duration}: {scenario.Samples:N0} samples x 51 tags in {clock.Elapsed.TotalSeconds:F2} s " +
            $"({scenario.DurationMs / clock.Elapsed.TotalMilliseconds:N0}x real time); dataset.csv {csv.Length / 1e6:F0} MB, dataset.arrow {arrow.Length / 1e6:F0} MB" +
            (historian ? $", historian.csv {hist!.Length / 1e6:F0} MB, worldstate.arrow {world!.Length / 1e6:F0} MB" : "") + $"; peak working set +{peak / 1e6:F0} MB");
        Console.WriteLine(string.Join(", ", result.SamplesByLabel.Select(kv => $"{kv.Key} {kv.Value:N0}")));
    }
}

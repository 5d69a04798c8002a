using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using RadMah.Engine.Datasets;
using RadMah.Engine.Lift;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Tests.Simulation;

public class SimulationOutputTests
{
    private static readonly Scenario Attacked = ScenarioReader.Read("""
        {"duration": "1h", "initial_levels_mm": {"T101": 700, "T301": 300},
         "events": [
           {"id": "A1", "type": "sensor_spoof", "targets": ["LIT101"], "start": "10m", "duration": "40m", "mode": "constant", "value": 1000},
           {"id": "F1", "type": "sensor_failure", "targets": ["AIT503"], "start": "5m", "duration": "2m"}]}
        """);

    [Fact]
    public async Task The_wide_table_has_swats_columns_a_row_per_sample_and_the_labels_of_the_events()
    {
        var files = await SimulationRuns.RunAsync(Attacked);
        var lines = Encoding.UTF8.GetString(files.DatasetCsv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Timestamp," + string.Join(",", SwatTags.All.Select(t => t.Name)) + ",Normal/Attack,event_id", lines[0]);
        Assert.Equal(3601, lines.Length);
        Assert.StartsWith("2015-12-22T16:00:00Z,", lines[1]);
        Assert.EndsWith(",Normal,", lines[1]);
        Assert.EndsWith(",Fault,F1", lines[1 + 300]);
        Assert.EndsWith(",Attack,A1", lines[1 + 600]);
        Assert.Equal(40 * 60, lines.Count(l => l.EndsWith(",Attack,A1", StringComparison.Ordinal)));
        // The failed transmitter reads 0 with bad quality in the historian.
        var historian = Encoding.UTF8.GetString(files.HistorianCsv).Split("\r\n");
        Assert.Equal("timestamp,tag,value,quality", historian[0]);
        Assert.Contains("2015-12-22T16:05:00Z,AIT503,0.000,bad", historian);

        var labels = JsonNode.Parse(files.Labels)!;
        Assert.Equal(3600 - 2400 - 120, labels["samples_by_label"]!["Normal"]!.GetValue<long>());
        var attack = labels["events"]![0]!;
        Assert.Equal(("A1", "Attack", "single_stage_single_point"), (attack["id"]!.GetValue<string>(), attack["label"]!.GetValue<string>(), attack["category"]!.GetValue<string>()));
        var deviated = attack["deviations"]!.AsArray().Select(d => d!["tag"]!.GetValue<string>()).ToList();
        // The spoofed reading itself; the inflow valve the PLC shut, and the flow through it; the pump's flow once T101 ran dry.
        Assert.Equal("LIT101", deviated[0]);
        Assert.True(attack["deviations"]![0]!["target"]!.GetValue<bool>());
        foreach (var tag in new[] { "MV101", "FIT101", "FIT201" }) Assert.Contains(tag, deviated);
        Assert.DoesNotContain("AIT504", deviated);
        Assert.True(attack["consequences"]!["pump_dry_run_seconds"]!["P101"]!.GetValue<double>() > 60);
        var fault = labels["events"]![1]!;
        Assert.Equal(["AIT503"], fault["deviations"]!.AsArray().Select(d => d!["tag"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_same_scenario_and_seed_give_the_same_bytes_whatever_the_block_size_and_another_seed_other_noise()
    {
        var one = await SimulationRuns.RunAsync(Attacked, seed: 5, blockSamples: 4096);
        var two = await SimulationRuns.RunAsync(Attacked, seed: 5, blockSamples: 333);
        Assert.Equal(one.DatasetCsv, two.DatasetCsv);
        Assert.Equal(one.DatasetArrow, two.DatasetArrow);
        Assert.Equal(one.HistorianCsv, two.HistorianCsv);
        Assert.Equal(one.WorldState, two.WorldState);
        Assert.Equal(one.Labels, two.Labels);
        Assert.Equal(one.Overview, two.Overview);
        var other = await SimulationRuns.RunAsync(Attacked, seed: 6);
        Assert.NotEqual(one.DatasetCsv, other.DatasetCsv);
    }

    [Fact]
    public async Task Lift_turns_the_historian_export_into_the_very_worldstate_simulate_writes()
    {
        var files = await SimulationRuns.RunAsync(ScenarioReader.Read("""{"duration": "10m", "events": [{"id": "F1", "type": "sensor_failure", "targets": ["FIT101"], "start": "1m", "duration": "1m"}]}"""));
        await using var reader = await TableReaders.OpenAsync(new MemoryStream(files.HistorianCsv), DatasetFormat.Csv, "historian.csv", null, TestContext.Current.CancellationToken);
        using var lifted = new MemoryStream();
        var hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(files.HistorianCsv));
        var manifest = await LiftEngine.LiftAsync(reader, hash, new LiftOptions(), lifted, TestContext.Current.CancellationToken);
        Assert.Equal(files.WorldState, lifted.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(manifest.ToJsonBytes()), Encoding.UTF8.GetString(files.Manifest.ToJsonBytes()));

        using var arrow = new ArrowFileReader(new MemoryStream(files.WorldState));
        var first = await arrow.ReadNextRecordBatchAsync(TestContext.Current.CancellationToken);
        Assert.Equal("AIT201", ((StringArray)first!.Column("tag")).GetString(0));
        Assert.Equal(600, first.Length);
    }

    [Fact]
    public async Task Every_event_of_the_docs_example_acts_through_the_plant_and_its_twin_shows_it()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "SIMULATE.md"));
        var start = doc.IndexOf("```json scenario\n", StringComparison.Ordinal) + "```json scenario\n".Length;
        var scenario = ScenarioReader.Read(doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)]);
        var files = await SimulationRuns.RunAsync(scenario, seed: 1);
        var events = JsonNode.Parse(files.Labels)!["events"]!.AsArray();
        var deviated = events.ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!["deviations"]!.AsArray().Select(d => d!["tag"]!.GetValue<string>()).ToList());
        Assert.All(deviated, e => Assert.True(e.Value.Count > 0, $"{e.Key} changed nothing"));
        // A DPIT301 high threshold of 10 kPa (the membrane always reads more while filtering) sends the UF into backwash after backwash.
        Assert.Contains("MV301", deviated["A5"]);
        Assert.Contains("P602", deviated["A5"]);
        // A failed P101: its standby P102 takes over.
        Assert.Contains("P102", deviated["F1"]);
        Assert.Contains("LIT301", deviated["F2"]);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RadMah.Orleans.sln"))) return d.FullName;
        throw new InvalidOperationException("no repository root above the tests");
    }
}

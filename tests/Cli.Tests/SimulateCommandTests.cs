using System.Text.Json.Nodes;

namespace RadMah.Cli.Tests;

/// <summary>simulate from the CLI, as the issue writes it: a duration or a scenario file, waited for and downloaded.</summary>
public sealed class SimulateCommandTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<RadmahProcess.Result> RunAsync(string key, params string[] args) =>
        await RadmahProcess.RunAsync(_dir, ["--base-url", fixture.Node.RestBase.ToString(), "--api-key", key, .. args]);

    [Fact]
    public async Task A_duration_or_a_scenario_file_simulates_the_plant_and_downloads_its_wide_table()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var run = await RunAsync(key, "--json", "jobs", "create", "--kind", "simulate", "--param", "duration=1h", "--wait", "--download", "plant.csv");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("succeeded", JsonNode.Parse(run.Output)!["status"]!.GetValue<string>());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "plant.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(3_601, lines.Length);
        Assert.StartsWith("Timestamp,FIT101,LIT101,MV101,P101,P102,AIT201", lines[0]);

        // A scenario written by hand over several lines: the CLI sends it as one line of JSON.
        await File.WriteAllTextAsync(Path.Combine(_dir, "scenario.json"), """
            {
              "duration": "10m",
              "events": [
                {"id": "F1", "type": "pump_failure", "targets": ["P402"], "start": "2m", "duration": "3m"}
              ]
            }
            """, TestContext.Current.CancellationToken);
        var scenario = await RunAsync(key, "--json", "jobs", "create", "--kind", "simulate", "--param", "scenario=@scenario.json", "--wait", "--download", "faulty.csv");
        Assert.True(scenario.ExitCode == 0, scenario.Output + scenario.Error);
        var rows = await File.ReadAllLinesAsync(Path.Combine(_dir, "faulty.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(180, rows.Count(r => r.EndsWith(",Fault,F1", StringComparison.Ordinal)));

        var refused = await RunAsync(key, "jobs", "create", "--kind", "simulate", "--param", "scenario=@missing.json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("no such file", refused.Error + refused.Output);
        var bad = await RunAsync(key, "jobs", "create", "--kind", "simulate", "--param", "duration=0s");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("$.duration: must be more than 0", bad.Error + bad.Output);
    }
}

namespace RadMah.Sdk.Tests;

/// <summary>simulate with the C# SDK: a scenario file sent as a param, the plant's wide table read back.</summary>
public class SimulateFlowTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-sdk-simulate-").FullName;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_scenario_file_runs_as_a_simulate_job_and_its_rows_carry_the_attack_labels()
    {
        using var client = await fixture.NewClientAsync();
        var path = Path.Combine(_dir, "scenario.json");
        await File.WriteAllTextAsync(path, """
            {
              "duration": "15m",
              "events": [{"id": "A7", "type": "actuator_force", "targets": ["P101"], "start": "3m", "duration": "4m", "mode": "off"}]
            }
            """, Ct);
        var job = await client.Jobs.CreateAsync(new JobRequest { Kind = "simulate", Seed = 4, Params = new Dictionary<string, string> { ["scenario"] = JobParams.JsonFile(path) } }, Ct);
        await job.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", job.Status);
        Assert.Equal(900, job.Rows);
        var csv = Path.Combine(_dir, "plant.csv");
        await job.DownloadAsync(csv, Ct);
        var lines = await File.ReadAllLinesAsync(csv, Ct);
        Assert.Equal(240, lines.Count(l => l.EndsWith(",Attack,A7", StringComparison.Ordinal)));
        Assert.Throws<ArgumentException>(() => JobParams.Json("{not json"));
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>simulate through the account's grains: a plant run in, historian data, WorldState and ground truth out, sealed and repeatable.</summary>
public class SimulateJobFlowTests(ClusterFixture fixture)
{
    private readonly JobFlow _flow = new(fixture);
    private ISealRegistryGrain Seals => fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);

    // Params are printable text: a scenario travels as one line of JSON (the CLI and the SDKs compact a file's).
    private static readonly string Attack = JsonNode.Parse("""
        {"duration": "30m", "initial_levels_mm": {"T101": 700, "T301": 300},
         "events": [{"id": "A1", "type": "sensor_spoof", "targets": ["LIT101"], "start": "5m", "duration": "20m", "mode": "constant", "value": 1000}]}
        """)!.ToJsonString();

    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task A_simulate_job_writes_the_plant_data_prices_its_samples_seals_them_and_a_rerun_or_its_scenario_gives_the_same_bytes()
    {
        var account = await fixture.NewAccountAsync();
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", 5, Params: Params(("duration", "2h"))));
        Assert.Equal(["dataset.csv", "dataset.arrow", "historian.csv", "worldstate.arrow", "manifest.json", "labels.json", "scenario.json", "overview.html", "evidence.dsse.json"],
            artifacts.Select(a => a.ArtifactType));
        Assert.Equal(7_200, job.Rows);
        Assert.Equal(0.0072m, job.CreditsCharged);
        var csv = (await _flow.ReadAsync(artifacts[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7_201, csv.Length);
        Assert.StartsWith("Timestamp,FIT101,LIT101,MV101,P101,", csv[0]);
        Assert.All(csv.Skip(1), row => Assert.EndsWith(",Normal,", row));
        var seal = await Seals.FindAsync(job.Id);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), seal!.Artifacts.Select(a => a.ContentHash));

        var rerun = fixture.Client.GetGrain<IJobGrain>((await account.RerunJobAsync(job.Id)).Id);
        Assert.Equal(JobStatus.Succeeded, (await rerun.WaitTerminalAsync()).Status);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await rerun.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));

        // Its scenario.json, named by another job with the same seed, is the same run; the scenario is that job's input.
        var (fromScenario, again) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", 5, Params: Params(("scenario_job_id", job.Id))));
        Assert.Equal(artifacts[0].ContentHash, again[0].ContentHash);
        Assert.Equal([new JobInput("scenario.json", artifacts[6].ContentHash)], (await fixture.Client.GetGrain<IJobGrain>(fromScenario.Id).GetDefinitionAsync()).Inputs);

        // Without the historian export (a long run's largest files) the wide table is the same.
        var (_, wideOnly) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", 5, Params: Params(("duration", "2h"), ("historian", "false"))));
        Assert.Equal(["dataset.csv", "dataset.arrow", "labels.json", "scenario.json", "overview.html", "evidence.dsse.json"], wideOnly.Select(a => a.ArtifactType));
        Assert.Equal(artifacts[0].ContentHash, wideOnly[0].ContentHash);
    }

    [Fact]
    public async Task An_inline_scenario_with_an_attack_labels_its_samples_and_says_what_the_attack_did()
    {
        var account = await fixture.NewAccountAsync();
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", Params: Params(("scenario", Attack))));
        Assert.Equal(1_800, job.Rows);
        var csv = (await _flow.ReadAsync(artifacts[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_200, csv.Count(r => r.EndsWith(",Attack,A1", StringComparison.Ordinal)));
        var labels = JsonNode.Parse(await _flow.ReadAsync(artifacts.Single(a => a.ArtifactType == "labels.json")))!;
        var deviated = labels["events"]![0]!["deviations"]!.AsArray().Select(d => d!["tag"]!.GetValue<string>()).ToList();
        Assert.Contains("MV101", deviated);
        Assert.Contains("FIT201", deviated);
        var manifest = JsonNode.Parse(await _flow.ReadAsync(artifacts.Single(a => a.ArtifactType == "manifest.json")))!;
        Assert.Equal(51, manifest["entities"]![0]!["series"]!.AsArray().Count);
        Assert.Equal(artifacts.Single(a => a.ArtifactType == "historian.csv").ContentHash, manifest["input_content_hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_simulate_requests_are_refused_with_the_field_and_hold_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 5m);
        var other = await fixture.NewAccountAsync();
        var theirs = await other.CreateJobAsync(new JobSubmission("simulate", 0, "", Params: Params(("duration", "10m"))));
        Assert.Equal(JobStatus.Succeeded, (await fixture.Client.GetGrain<IJobGrain>(theirs.Id).WaitTerminalAsync()).Status);
        async Task RefusedAsync(JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        string Scenario(string events) => $$"""{"duration": "1h", "events": [{{events}}]}""";
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario", Scenario("""{"id": "a", "type": "sensor_spoof", "targets": ["LIT999"], "start": "1m", "duration": "1m", "mode": "constant", "value": 1}""")))),
            RadMahException.InvalidArgument, "params", "$.events[0].targets[0]: 'LIT999' is not a tag of the plant");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario", Scenario("""{"id": "a", "type": "stale_values", "targets": ["LIT101"], "start": "50m", "duration": "20m"}""")))),
            RadMahException.InvalidArgument, "params", "falls outside the scenario's window");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario", Scenario(
                """{"id": "a", "type": "actuator_force", "targets": ["MV101"], "start": "1m", "duration": "5m", "mode": "open"}, {"id": "b", "type": "actuator_force", "targets": ["MV101"], "start": "2m", "duration": "5m", "mode": "close"}""")))),
            RadMahException.InvalidArgument, "params", "overlapping forcings of one actuator contradict each other");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "0s"))), RadMahException.InvalidArgument, "params", "$.duration: must be more than 0");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "-3h"))), RadMahException.InvalidArgument, "params", "$.duration");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "30w"))), RadMahException.InvalidArgument, "params", "at most 8 weeks");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "1h"), ("sampling_period", "0.3s"))), RadMahException.InvalidArgument, "params", "multiple of the 0.2 s physics step");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario", """{"duration": "1h", "events": {"id": 1}}"""))), RadMahException.InvalidArgument, "params", "$.events: must be an array");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario", """{"duration": "1h" """))), RadMahException.InvalidArgument, "params", "$: is not JSON");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario_job_id", theirs.Id))), RadMahException.NotFound, "params", "does not exist");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "1h"), ("historian", "maybe"))), RadMahException.InvalidArgument, "params", "historian must be true or false");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "1h"), ("speed", "fast"))), RadMahException.InvalidArgument, "params", "unknown: speed");
        await RefusedAsync(new("simulate", 10, "", Params: Params(("duration", "1h"))), RadMahException.InvalidArgument, "rows", "one row per sample (3,600");
        await RefusedAsync(new("simulate", 0, "a plant", Params: Params(("duration", "1h"))), RadMahException.InvalidArgument, "description", "takes a scenario, not a description");

        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(5m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }

    [Fact]
    public async Task Cancelling_a_running_simulation_stops_it_within_a_second_and_leaves_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 100m);
        var created = await account.CreateJobAsync(new JobSubmission("simulate", 0, "", Params: Params(("duration", "8w"))));
        var job = fixture.Client.GetGrain<IJobGrain>(created.Id);
        await job.WaitUntilAsync(v => v.Status == JobStatus.Running && v.RowsDone > 0);

        var clock = Stopwatch.StartNew();
        var canceled = await job.CancelAsync();
        clock.Stop();
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancel took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.False(Directory.Exists(fixture.StagingDirectory(created.Id)), "staged partial outputs must be deleted");
        Assert.Empty(await job.GetArtifactsAsync());
        Assert.Equal(new LedgerBalance(100m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }
}

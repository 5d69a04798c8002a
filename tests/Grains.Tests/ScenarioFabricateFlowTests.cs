using System.Text.Json.Nodes;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>scenario_fabricate → simulate through the account's grains: a described scenario pack, sealed, run by index.</summary>
public class ScenarioFabricateFlowTests(ClusterFixture fixture)
{
    private readonly JobFlow _flow = new(fixture);

    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task A_described_pack_is_sealed_rerun_identically_and_each_scenario_simulates_by_index()
    {
        var account = await fixture.NewAccountAsync();
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("scenario_fabricate", 0,
            "6 hours of normal operation with two sensor spoofing attacks on stage 1 and a pump failure on stage 3", 8, Params: Params(("variants", "2"))));
        Assert.Equal(["scenarios.json", "fabrication.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        Assert.Equal(0.02m, job.CreditsCharged);
        var pack = JsonNode.Parse(await _flow.ReadAsync(artifacts[0]))!;
        Assert.Equal(2, pack["scenarios"]!.AsArray().Count);
        var record = JsonNode.Parse(await _flow.ReadAsync(artifacts[1]))!;
        Assert.Equal("compiler", record["path"]!.GetValue<string>());

        var rerun = fixture.Client.GetGrain<IJobGrain>((await account.RerunJobAsync(job.Id)).Id);
        Assert.Equal(JobStatus.Succeeded, (await rerun.WaitTerminalAsync()).Status);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await rerun.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));

        var (simulate, plant) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", Params: Params(("scenario_job_id", job.Id), ("scenario_index", "1"), ("historian", "false"))));
        Assert.Equal(6 * 3600, simulate.Rows);
        Assert.Equal([new JobInput("scenarios.json", artifacts[0].ContentHash)], (await fixture.Client.GetGrain<IJobGrain>(simulate.Id).GetDefinitionAsync()).Inputs);
        var labels = JsonNode.Parse(await _flow.ReadAsync(plant.Single(a => a.ArtifactType == "labels.json")))!;
        Assert.Equal(3, labels["events"]!.AsArray().Count);
        Assert.Equal(pack["scenarios"]![1]!["events"]![0]!["id"]!.GetValue<string>(), labels["events"]![0]!["id"]!.GetValue<string>());

        // Every scenario in one job: each run's outputs named by index, the second run the same bytes as the job of index 1.
        var (both, runs) = await _flow.RunAsync(account, new JobSubmission("simulate", 0, "", Params: Params(("scenario_job_id", job.Id), ("scenario_index", "all"), ("historian", "false"))));
        Assert.Equal(2 * 6 * 3600, both.Rows);
        Assert.Equal(["dataset.0.csv", "dataset.0.arrow", "labels.0.json", "scenario.0.json", "overview.0.html", "dataset.1.csv", "dataset.1.arrow", "labels.1.json", "scenario.1.json", "overview.1.html", "evidence.dsse.json"],
            runs.Select(a => a.ArtifactType));
        Assert.Equal(plant.Single(a => a.ArtifactType == "scenario.json").ContentHash, runs.Single(a => a.ArtifactType == "scenario.1.json").ContentHash);
        // Same scenario, same seed: the rows of run 1 are the rows of the job that ran index 1 alone.
        Assert.Equal(plant[0].ContentHash, runs[5].ContentHash);
        Assert.NotEqual(runs[0].ContentHash, runs[5].ContentHash);
    }

    [Fact]
    public async Task Bad_fabrication_requests_are_refused_with_the_field_and_hold_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 5m);
        async Task RefusedAsync(JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        await RefusedAsync(new("scenario_fabricate", 0, ""), RadMahException.InvalidArgument, "description", "describe the scenario");
        await RefusedAsync(new("scenario_fabricate", 0, new string('x', 2001)), RadMahException.InvalidArgument, "description", "at most");
        await RefusedAsync(new("scenario_fabricate", 0, "a day", Params: Params(("variants", "0"))), RadMahException.InvalidArgument, "params", "variants must be a whole number from 1 to 100");
        await RefusedAsync(new("scenario_fabricate", 0, "a day", Params: Params(("variants", "1000000"))), RadMahException.InvalidArgument, "params", "variants must be");
        await RefusedAsync(new("scenario_fabricate", 0, "a day", Params: Params(("backend", "llm"))), RadMahException.FailedPrecondition, "params", "no LLM backend is configured on this deployment");
        await RefusedAsync(new("scenario_fabricate", 10, "a day"), RadMahException.InvalidArgument, "rows", "writes scenarios, not rows");

        var (pack, _) = await _flow.RunAsync(account, new JobSubmission("scenario_fabricate", 0, "two hours with a leak", Params: Params(("variants", "3"))));
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario_job_id", pack.Id))), RadMahException.InvalidArgument, "params", "made 3 scenarios; give params.scenario_index (0 to 2)");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario_job_id", pack.Id), ("scenario_index", "3"))), RadMahException.InvalidArgument, "params", "scenario_index must be from 0 to 2");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("scenario_job_id", pack.Id), ("scenario_index", "0"), ("duration", "1h"))), RadMahException.InvalidArgument, "params", "given both in the scenario and as params.duration");
        await RefusedAsync(new("simulate", 0, "", Params: Params(("duration", "1h"), ("scenario_index", "0"))), RadMahException.InvalidArgument, "params", "scenario_index picks a scenario of a pack");

        Assert.Single((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(5m - 0.03m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }
}

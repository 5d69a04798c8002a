using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Evidence;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Tests;

/// <summary>verify jobs: what they check, what they charge, and what they refuse.</summary>
public class VerifyJobTests(ClusterFixture fixture)
{
    private LocalDiskArtifactStore Store => new(fixture.DataDirectory);

    private async Task<(IAccountJobsGrain Account, JobView Job, IReadOnlyList<ArtifactRecord> Artifacts)> SucceededMockAsync(long seed)
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var job = await fixture.Client.GetGrain<IJobGrain>((await account.CreateJobAsync(new JobSubmission("mock", 5_000, "orders", seed))).Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, job.Status);
        return (account, job, await fixture.Client.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync());
    }

    private async Task<(JobView Job, JsonObject Report, IReadOnlyList<ArtifactRecord> Artifacts)> RunVerifyAsync(IAccountJobsGrain account, Dictionary<string, string> parameters)
    {
        var created = await account.CreateJobAsync(new JobSubmission("verify", 0, "", Params: parameters));
        var job = await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var artifacts = await fixture.Client.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync();
        var report = artifacts.Single(a => a.ArtifactType == "verification-report.json");
        await using var read = Store.OpenRead(report.ContentHash);
        return (job, JsonNode.Parse(read)!.AsObject(), artifacts);
    }

    private static Dictionary<string, bool> Checks(JsonObject report) =>
        report["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["passed"]!.GetValue<bool>());

    [Fact]
    public async Task Verifying_a_job_checks_its_bytes_signature_subjects_and_seal_and_is_priced_by_bytes()
    {
        var (account, target, artifacts) = await SucceededMockAsync(seed: 9101);
        var balanceBefore = await fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString()).GetBalanceAsync();
        var (job, report, outputs) = await RunVerifyAsync(account, new() { ["job_id"] = target.Id });
        Assert.True(report["passed"]!.GetValue<bool>(), report.ToJsonString());
        var checks = Checks(report);
        foreach (var name in new[] { "artifact dataset.csv", "artifact dataset.arrow", "artifact contract.json", "artifact evidence.dsse.json",
                     "signature", "statement", "subject dataset.csv", "seal entry", "checkpoint", "inclusion" })
            Assert.True(checks.GetValueOrDefault(name), $"check '{name}' missing or failed: {report.ToJsonString()}");
        var bytes = artifacts.Sum(a => a.SizeBytes);
        Assert.Equal(bytes, report["bytes_checked"]!.GetValue<long>());
        // verify_bytes_per_credit = 1,000,000,000 in pricing.json.
        Assert.Equal(Math.Round(bytes / 1_000_000_000m, 6, MidpointRounding.AwayFromZero), job.CreditsCharged);
        var after = await fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString()).GetBalanceAsync();
        Assert.Equal(balanceBefore.Balance - job.CreditsCharged, after.Balance);

        // The verify job's own evidence names what it read.
        await using var read = Store.OpenRead(outputs.Single(a => a.ArtifactType == "evidence.dsse.json").ContentHash);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        var statement = JsonNode.Parse(DsseEnvelope.Parse(copy.ToArray()).Payload)!;
        var dependencies = statement["predicate"]!["buildDefinition"]!["resolvedDependencies"]!.AsArray();
        Assert.Equal(artifacts.Select(a => a.ContentHash[7..]), dependencies.Select(d => d!["digest"]!["sha256"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stored_artifact_changed_on_disk_is_reported_as_failed()
    {
        var (account, target, artifacts) = await SucceededMockAsync(seed: 9102);
        var csv = artifacts.Single(a => a.ArtifactType == "dataset.csv");
        var path = Store.ObjectPath(csv.ContentHash);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        bytes[bytes.Length / 3] ^= 0x04;
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        var (_, report, _) = await RunVerifyAsync(account, new() { ["job_id"] = target.Id });
        Assert.False(report["passed"]!.GetValue<bool>());
        var failed = report["checks"]!.AsArray().Where(c => !c!["passed"]!.GetValue<bool>()).Select(c => c!["name"]!.GetValue<string>()).ToArray();
        Assert.Contains("artifact dataset.csv", failed);
        Assert.True(Checks(report)["signature"]);
    }

    [Fact]
    public async Task Artifacts_can_be_verified_by_id_and_a_verify_job_reruns()
    {
        var (account, _, artifacts) = await SucceededMockAsync(seed: 9103);
        var chosen = artifacts.Take(2).Select(a => a.Id).ToArray();
        var (job, report, _) = await RunVerifyAsync(account, new() { ["artifact_ids"] = string.Join(",", chosen) });
        Assert.True(report["passed"]!.GetValue<bool>());
        Assert.Equal(2, report["checks"]!.AsArray().Count);
        var rerun = await fixture.Client.GetGrain<IJobGrain>((await account.RerunJobAsync(job.Id)).Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Succeeded, rerun.Status);
        Assert.Equal(job.ContractDigest, rerun.ContractDigest);
    }

    [Fact]
    public async Task Bad_verify_requests_are_refused_and_create_nothing()
    {
        var (account, target, artifacts) = await SucceededMockAsync(seed: 9104);
        var other = await fixture.NewAccountAsync();
        var before = (await account.ListJobsAsync(100, null)).Jobs.Count;
        async Task RefusedAsync(IAccountJobsGrain who, JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => who.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        await RefusedAsync(account, new("verify", 0, "", Params: new Dictionary<string, string> { ["job_id"] = target.Id, ["artifact_ids"] = artifacts[0].Id }), RadMahException.InvalidArgument, "params", "exactly one of");
        await RefusedAsync(account, new("verify", 0, ""), RadMahException.InvalidArgument, "params", "exactly one of");
        await RefusedAsync(account, new("verify", 0, "", Params: new Dictionary<string, string> { ["job"] = target.Id }), RadMahException.InvalidArgument, "params", "unknown: job");
        await RefusedAsync(account, new("verify", 10, "", Params: new Dictionary<string, string> { ["job_id"] = target.Id }), RadMahException.InvalidArgument, "rows", "take no rows");
        await RefusedAsync(account, new("verify", 0, "", Params: new Dictionary<string, string> { ["job_id"] = "job_nope" }), RadMahException.InvalidArgument, "params", "is not a job id");
        await RefusedAsync(account, new("verify", 0, "", Params: new Dictionary<string, string> { ["artifact_ids"] = "art_x" }), RadMahException.InvalidArgument, "params", "is not an artifact id");
        await RefusedAsync(account, new("mock", 100, "orders", Params: new Dictionary<string, string> { ["job_id"] = target.Id }), RadMahException.InvalidArgument, "params", "mock takes contract_job_id or contract_artifact_id (a contract inferred by analyze); unknown: job_id");
        // Another account's job or artifact is answered like one that does not exist.
        await RefusedAsync(other, new("verify", 0, "", Params: new Dictionary<string, string> { ["job_id"] = target.Id }), RadMahException.NotFound, "params", "does not exist");
        await RefusedAsync(other, new("verify", 0, "", Params: new Dictionary<string, string> { ["artifact_ids"] = artifacts[0].Id }), RadMahException.NotFound, "params", "does not exist");
        // A job that has not succeeded has nothing to verify.
        var free = await fixture.NewAccountAsync(plan: AccountPlan.Free);
        var queued = await free.CreateJobAsync(new JobSubmission("mock", 1_000, "orders"));
        await RefusedAsync(free, new("verify", 0, "", Params: new Dictionary<string, string> { ["job_id"] = queued.Id }), RadMahException.FailedPrecondition, "params", "only succeeded jobs");

        Assert.Equal(before, (await account.ListJobsAsync(100, null)).Jobs.Count);
        Assert.Equal(0m, (await fixture.Client.GetGrain<ICreditLedgerGrain>(account.GetPrimaryKeyString()).GetBalanceAsync()).Held);
        Assert.Empty((await other.ListJobsAsync(10, null)).Jobs);
    }
}

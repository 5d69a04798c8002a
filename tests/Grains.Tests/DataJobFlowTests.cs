using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>analyze, fit and lift through the account's grains, as an in-cluster client submits them: uploads in, sealed outputs out.</summary>
public class DataJobFlowTests(ClusterFixture fixture)
{
    private readonly JobFlow _flow = new(fixture);
    private ICreditLedgerGrain Ledger(IAccountJobsGrain account) => _flow.Ledger(account);
    private Task<DatasetRecord> UploadAsync(IAccountJobsGrain account, string text, string name) => _flow.UploadAsync(account, text, name);

    private static string Orders(int rows)
    {
        var csv = new StringBuilder("order_id,amount,status,placed_at\n");
        var statuses = new[] { "new", "paid", "shipped" };
        for (var i = 0; i < rows; i++)
            csv.Append(CultureInfo.InvariantCulture, $"o{i:D5},{10 + i % 97 * 1.25:F2},{statuses[i % 3]},2024-03-{1 + i % 28:D2}\n");
        return csv.ToString();
    }

    private Task<(JobView Job, IReadOnlyList<ArtifactRecord> Artifacts)> RunAsync(IAccountJobsGrain account, JobSubmission submission) => _flow.RunAsync(account, submission);

    private Task<string> ReadAsync(ArtifactRecord artifact) => _flow.ReadAsync(artifact);

    [Fact]
    public async Task An_analyze_job_profiles_an_upload_prices_it_by_bytes_and_its_contract_feeds_look_alike_mock_jobs()
    {
        var account = await fixture.NewAccountAsync();
        var orders = await UploadAsync(account, Orders(1_500), "orders.csv");
        var (job, artifacts) = await RunAsync(account, new JobSubmission("analyze", 0, "", DatasetId: orders.Id));

        Assert.Equal(["report.html", "profile.json", "contract.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        Assert.Equal(Math.Round(orders.SizeBytes / 100_000_000m, 6), job.CreditsCharged);
        Assert.Equal([new JobInput(orders.Name, orders.ContentHash)], (await fixture.Client.GetGrain<IJobGrain>(job.Id).GetDefinitionAsync()).Inputs);
        var profile = JsonNode.Parse(await ReadAsync(artifacts[1]))!;
        Assert.Equal(1_500, profile["table"]!["rows"]!.GetValue<long>());
        var seal = await fixture.Client.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).FindAsync(job.Id);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), seal!.Artifacts.Select(a => a.ContentHash));

        // Look-alike rows from the inferred contract: its columns, this request's rows and seed; the contract is the mock job's input.
        var (mock, mockArtifacts) = await RunAsync(account, new JobSubmission("mock", 200, "", 5, Params: new Dictionary<string, string> { ["contract_job_id"] = job.Id }));
        var csv = (await ReadAsync(mockArtifacts[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order_id,amount,status,placed_at", csv[0]);
        Assert.Equal(201, csv.Length);
        Assert.Equal([new JobInput("contract.json", artifacts[2].ContentHash)], (await fixture.Client.GetGrain<IJobGrain>(mock.Id).GetDefinitionAsync()).Inputs);

        // A rerun reads the same bytes and writes the same outputs.
        var rerun = fixture.Client.GetGrain<IJobGrain>((await account.RerunJobAsync(job.Id)).Id);
        Assert.Equal(JobStatus.Succeeded, (await rerun.WaitTerminalAsync()).Status);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await rerun.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
    }

    [Fact]
    public async Task A_fit_job_fingerprints_an_upload_or_a_jobs_rows_and_the_same_bytes_give_the_same_fit()
    {
        var account = await fixture.NewAccountAsync();
        var (mock, mockArtifacts) = await RunAsync(account, new JobSubmission("mock", 3_000, "orders", 9));
        var (ofJob, fromJob) = await RunAsync(account, new JobSubmission("fit", 0, "", Params: new Dictionary<string, string> { ["job_id"] = mock.Id }));
        Assert.Equal(["fit.json", "evidence.dsse.json"], fromJob.Select(a => a.ArtifactType));
        // The Arrow file is read (typed), and the fit names it.
        var fit = JsonNode.Parse(await ReadAsync(fromJob[0]))!;
        Assert.Equal(mockArtifacts.Single(a => a.ArtifactType == "dataset.arrow").ContentHash, fit["input"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(3_000, fit["rows"]!.GetValue<long>());

        var arrow = mockArtifacts.Single(a => a.ArtifactType == "dataset.arrow");
        var (_, fromArtifact) = await RunAsync(account, new JobSubmission("fit", 0, "", 77, Params: new Dictionary<string, string> { ["artifact_id"] = arrow.Id }));
        Assert.Equal(fromJob[0].ContentHash, fromArtifact[0].ContentHash);

        var upload = await UploadAsync(account, Orders(800), "orders.csv");
        var (ofUpload, fromUpload) = await RunAsync(account, new JobSubmission("fit", 0, "", DatasetId: upload.Id));
        Assert.Equal(upload.ContentHash, JsonNode.Parse(await ReadAsync(fromUpload[0]))!["input"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(Math.Round(upload.SizeBytes / 100_000_000m, 6), ofUpload.CreditsCharged);
        Assert.Equal(Math.Round(arrow.SizeBytes / 100_000_000m, 6), ofJob.CreditsCharged);
    }

    [Fact]
    public async Task A_lift_job_turns_a_historian_export_into_a_worldstate_and_a_rerun_writes_the_same_bytes()
    {
        var account = await fixture.NewAccountAsync();
        var csv = new StringBuilder("Timestamp,TagName,Value,Quality\n");
        for (var s = 0; s < 300; s++) csv.Append(CultureInfo.InvariantCulture, $"2024-01-15 08:{s / 60:D2}:{s % 60:D2},FIC-{100 + s % 2}.PV [m3/h],{5 + s % 5 * 0.25:F2},Good\n");
        var historian = await UploadAsync(account, csv.ToString(), "historian.csv");
        var (job, artifacts) = await RunAsync(account, new JobSubmission("lift", 0, "", Params: new Dictionary<string, string> { ["timezone"] = "Europe/Berlin" }, DatasetId: historian.Id));
        Assert.Equal(["worldstate.arrow", "manifest.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        var manifest = JsonNode.Parse(await ReadAsync(artifacts[1]))!;
        Assert.Equal("long", manifest["shape"]!.GetValue<string>());
        Assert.Equal(2, manifest["entities"]![0]!["series"]!.AsArray().Count);

        var rerun = await account.RerunJobAsync(job.Id);
        Assert.Equal(job.ContractDigest, rerun.ContractDigest);
        Assert.Equal(JobStatus.Succeeded, (await fixture.Client.GetGrain<IJobGrain>(rerun.Id).WaitTerminalAsync()).Status);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await fixture.Client.GetGrain<IJobGrain>(rerun.Id).GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
    }

    [Fact]
    public async Task Bad_data_job_requests_are_refused_with_the_field_and_hold_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 5m);
        var other = await fixture.NewAccountAsync();
        var upload = await UploadAsync(account, Orders(50), "orders.csv");
        var theirs = await UploadAsync(other, Orders(50), "theirs.csv");
        async Task RefusedAsync(JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        await RefusedAsync(new("analyze", 0, ""), RadMahException.InvalidArgument, "dataset_id", "analyze jobs need a dataset_id");
        await RefusedAsync(new("analyze", 0, "orders", DatasetId: upload.Id), RadMahException.InvalidArgument, "description", "take no description");
        await RefusedAsync(new("analyze", 0, "", DatasetId: theirs.Id), RadMahException.NotFound, "dataset_id", "does not exist");
        await RefusedAsync(new("analyze", 0, "", DatasetId: "ds_nope"), RadMahException.InvalidArgument, "dataset_id", "is not a dataset id");
        await RefusedAsync(new("analyze", 0, "", Params: new Dictionary<string, string> { ["compare_with"] = upload.Id }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "params", "compare_with names the analyzed dataset itself");
        await RefusedAsync(new("analyze", 0, "", Params: new Dictionary<string, string> { ["compare_with"] = theirs.Id }, DatasetId: upload.Id),
            RadMahException.NotFound, "params", "does not exist");
        await RefusedAsync(new("fit", 0, "", Params: new Dictionary<string, string> { ["compare_with"] = "all" }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "params", "fit takes delimiter, header; unknown: compare_with");
        await RefusedAsync(new("fit", 0, "", Params: new Dictionary<string, string> { ["artifact_id"] = upload.ArtifactId }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "dataset_id", "a fit job reads one input");
        await RefusedAsync(new("lift", 0, "", Params: new Dictionary<string, string> { ["timezone"] = "Mars/Olympus" }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "params", "must be an IANA time zone");
        await RefusedAsync(new("lift", 0, "", Params: new Dictionary<string, string> { ["shape"] = "round" }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "params", "shape must be auto, wide or long");
        await RefusedAsync(new("mock", 10, "orders", DatasetId: upload.Id), RadMahException.InvalidArgument, "dataset_id", "mock jobs read no dataset");
        await RefusedAsync(new("lift", 0, "", Params: new Dictionary<string, string> { ["timezone"] = "UTC\u001b[2J" }, DatasetId: upload.Id),
            RadMahException.InvalidArgument, "params", "control character U+001B");

        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(5m, 0m), await Ledger(account).GetBalanceAsync());
    }
}

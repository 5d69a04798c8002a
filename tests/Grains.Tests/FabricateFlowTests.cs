using System.Text.Json.Nodes;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>fabricate → mock through the account's grains: a description sealed as a contract, previewed, then generated.</summary>
public class FabricateFlowTests(ClusterFixture fixture)
{
    private readonly JobFlow _flow = new(fixture);
    private const string Description = "columns: id (uuid), first_name (first name), last_name (last name), email (from name), age (integer 18-90), plan (free 70%, pro 25%, enterprise 5%), signup (date in 2024)";

    [Fact]
    public async Task A_description_is_sealed_as_a_contract_with_a_preview_and_mock_generates_the_same_rows_from_it()
    {
        var account = await fixture.NewAccountAsync();
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("fabricate", 2_000, Description, 6));
        Assert.Equal(["contract.json", "preview.csv", "fabrication.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        Assert.Equal(0.01m, job.CreditsCharged);
        var preview = (await _flow.ReadAsync(artifacts[1])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,first_name,last_name,email,age,plan,signup", preview[0]);
        Assert.Equal(21, preview.Length);
        var record = JsonNode.Parse(await _flow.ReadAsync(artifacts[2]))!;
        Assert.Equal(("compiler", "radmah.column-language/1"), (record["path"]!.GetValue<string>(), record["compiler"]!.GetValue<string>()));

        var (mock, rows) = await _flow.RunAsync(account, new JobSubmission("mock", 0, "", 6, Params: new Dictionary<string, string> { ["contract_job_id"] = job.Id }));
        Assert.Equal(2_000, mock.Rows);
        var csv = (await _flow.ReadAsync(rows[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(preview, csv.Take(21));
        Assert.All(csv.Skip(1), line => Assert.InRange(int.Parse(line.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture), 18, 90));

        var rerun = fixture.Client.GetGrain<IJobGrain>((await account.RerunJobAsync(job.Id)).Id);
        Assert.Equal(JobStatus.Succeeded, (await rerun.WaitTerminalAsync()).Status);
        Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await rerun.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
    }

    [Fact]
    public async Task A_two_table_description_gives_mock_a_child_table_whose_every_key_resolves()
    {
        var account = await fixture.NewAccountAsync();
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("fabricate", 0,
            "customers 400: id (uuid), name (person name), plan (free 70%, pro 30%); orders 3-12 per customer: id (id), customer_id references customers.id, amount (decimal 5-500), placed (date in 2024)", 2));
        Assert.Equal(["contract.json", "preview.csv", "preview-orders.csv", "fabrication.json", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        Assert.Contains(job.Warnings, w => w.Contains("written as a sequence of ids"));

        var (mock, files) = await _flow.RunAsync(account, new JobSubmission("mock", 0, "", 2, Params: new Dictionary<string, string> { ["contract_job_id"] = job.Id }));
        Assert.Equal(["dataset.csv", "dataset.arrow", "contract.json", "orders.csv", "orders.arrow", "evidence.dsse.json"], files.Select(a => a.ArtifactType));
        var customers = (await _flow.ReadAsync(files[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        var orders = (await _flow.ReadAsync(files[3])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,customer_id,amount,placed", orders[0]);
        var keys = orders.Skip(1).Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(400, customers.Count);
        Assert.All(keys, k => Assert.Contains(k, customers));
        Assert.All(keys.GroupBy(k => k), g => Assert.InRange(g.Count(), 3, 12));
        Assert.Equal(400, keys.Distinct().Count());
        // Priced by all the rows it writes.
        Assert.Equal(Math.Round((400 + keys.Count) / 1_000_000m, 6), mock.CreditsCharged);
        var preview = (await _flow.ReadAsync(artifacts[2])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(orders.Take(21), preview);
    }

    [Fact]
    public async Task Words_it_cannot_use_are_warnings_on_the_job()
    {
        var account = await fixture.NewAccountAsync();
        var created = await account.CreateJobAsync(new JobSubmission("fabricate", 0, "columns: id (uuid), mood (wibble)"));
        Assert.Contains(created.Warnings, w => w.Contains("'wibble' is not a type this compiler knows"));
        Assert.Equal(JobStatus.Succeeded, (await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync()).Status);
    }

    [Fact]
    public async Task Bad_fabricate_requests_are_refused_with_the_field_and_hold_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 5m);
        async Task RefusedAsync(JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        await RefusedAsync(new("fabricate", 0, ""), RadMahException.InvalidArgument, "description", "description must not be empty");
        await RefusedAsync(new("fabricate", 0, new string('x', 2001)), RadMahException.InvalidArgument, "description", "at most 2000 characters");
        await RefusedAsync(new("fabricate", 0, Description, Params: new Dictionary<string, string> { ["backend"] = "llm" }), RadMahException.FailedPrecondition, "params", "no LLM backend is configured on this deployment");
        await RefusedAsync(new("fabricate", 0, Description, Params: new Dictionary<string, string> { ["backend"] = "oracle" }), RadMahException.InvalidArgument, "params", "backend must be compiler or llm");
        await RefusedAsync(new("fabricate", 0, "customers 1,000: id (id); orders 3-12 per store: store_id references stores.id"), RadMahException.InvalidArgument, "description", "child tables belong to the first table, customers");
        await RefusedAsync(new("fabricate", -5, Description), RadMahException.InvalidArgument, "rows", "rows must be between 1 and");
        Assert.Empty((await account.ListJobsAsync(10, null)).Jobs);
        Assert.Equal(new LedgerBalance(5m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }
}

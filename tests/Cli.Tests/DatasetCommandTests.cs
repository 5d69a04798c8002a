using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RadMah.Cli.Tests;

/// <summary>Issue 6 as a new user tries it with the CLI: upload a CSV, analyze it, open the report, mock look-alike rows.</summary>
public sealed class DatasetCommandTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-datasets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BaseUrl => fixture.Node.RestBase.ToString();

    private async Task<RadmahProcess.Result> RunAsync(string key, params string[] args) =>
        await RadmahProcess.RunAsync(_dir, ["--base-url", BaseUrl, "--api-key", key, .. args]);

    private async Task<JsonObject> JsonAsync(string key, params string[] args)
    {
        var result = await RunAsync(key, ["--json", .. args]);
        Assert.True(result.ExitCode == 0, $"radmah {string.Join(' ', args)} exited {result.ExitCode}: {result.Output}{result.Error}");
        return (JsonNode.Parse(result.Output) as JsonObject)!;
    }

    [Fact]
    public async Task Upload_analyze_open_the_report_and_mock_look_alike_rows()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var csv = new StringBuilder("sku,price,category,listed_on\n");
        for (var i = 0; i < 1500; i++)
            csv.Append(CultureInfo.InvariantCulture, $"SKU-{i:D5},{5 + i % 200 * 1.25:F2},{new[] { "toys", "garden", "books" }[i % 3]},2025-0{1 + i % 9}-1{i % 10}\n");
        var path = Path.Combine(_dir, "products.csv");
        await File.WriteAllTextAsync(path, csv.ToString(), TestContext.Current.CancellationToken);

        var dataset = await JsonAsync(key, "datasets", "upload", path);
        Assert.Equal(["artifact_id", "content_hash", "created_at", "format", "id", "name", "size_bytes"], dataset.Select(p => p.Key).Order());
        Assert.Equal("csv", dataset["format"]!.GetValue<string>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken))), dataset["content_hash"]!.GetValue<string>());
        var id = dataset["id"]!.GetValue<string>();
        Assert.Equal(id, (await JsonAsync(key, "datasets", "list"))["datasets"]![0]!["id"]!.GetValue<string>());

        var analyze = await JsonAsync(key, "jobs", "create", "--kind", "analyze", "--dataset", id, "--wait", "--download", "report.html");
        Assert.Equal("succeeded", analyze["status"]!.GetValue<string>());
        var report = await File.ReadAllTextAsync(Path.Combine(_dir, "report.html"), TestContext.Current.CancellationToken);
        Assert.StartsWith("<!DOCTYPE html>", report);
        Assert.Contains("Profile of products.csv", report);
        Assert.Contains("<svg", report);

        var mock = await JsonAsync(key, "jobs", "create", "--kind", "mock", "--rows", "300", "--param", $"contract_job_id={analyze["id"]}", "--wait", "--download", "look-alike.csv");
        Assert.Equal("succeeded", mock["status"]!.GetValue<string>());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "look-alike.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("sku,price,category,listed_on", lines[0]);
        Assert.Equal(301, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split(',')[2], new[] { "toys", "garden", "books" }));

        // A historian export lifted into a WorldState, downloaded as Arrow.
        var historian = Path.Combine(_dir, "historian.csv");
        var export = new StringBuilder("Timestamp,TagName,Value\n");
        for (var s = 0; s < 90; s++) export.Append(CultureInfo.InvariantCulture, $"2024-05-01T00:00:{s % 60:D2}.{s / 60}00Z,PT-{s % 2}_bar,{1 + s * 0.01:F2}\n");
        await File.WriteAllTextAsync(historian, export.ToString(), TestContext.Current.CancellationToken);
        var upload = await JsonAsync(key, "datasets", "upload", historian);
        var lift = await JsonAsync(key, "jobs", "create", "--kind", "lift", "--dataset", upload["id"]!.GetValue<string>(), "--wait", "--download", "worldstate.arrow");
        Assert.Equal("succeeded", lift["status"]!.GetValue<string>());
        Assert.StartsWith("ARROW1", Encoding.ASCII.GetString((await File.ReadAllBytesAsync(Path.Combine(_dir, "worldstate.arrow"), TestContext.Current.CancellationToken))[..6]));

        // Human output names the next step.
        var human = await RunAsync(key, "datasets", "get", id);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"radmah jobs create --kind analyze --dataset {id}", human.Output);
    }

    [Fact]
    public async Task Train_a_model_on_an_upload_then_synthesize_rows_from_it_and_download_them()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var csv = new StringBuilder("visit_id,age,spend,channel,visited_on\n");
        for (var i = 0; i < 1200; i++)
            csv.Append(CultureInfo.InvariantCulture, $"V{i:D5},{20 + i % 50},{12.5 + (i % 50) * 3.1 + i % 7:F2},{new[] { "web", "store", "app" }[i % 3]},{1 + i % 28}/0{1 + i % 9}/2024\n");
        var path = Path.Combine(_dir, "visits.csv");
        await File.WriteAllTextAsync(path, csv.ToString(), TestContext.Current.CancellationToken);
        var dataset = (await JsonAsync(key, "datasets", "upload", path))["id"]!.GetValue<string>();

        var train = await JsonAsync(key, "jobs", "create", "--kind", "train", "--dataset", dataset, "--param", "model=gaussian_copula", "--wait");
        Assert.Equal("succeeded", train["status"]!.GetValue<string>());
        var synth = await JsonAsync(key, "jobs", "create", "--kind", "synthesize", "--param", $"model_job_id={train["id"]}", "--rows", "2000", "--wait", "--download", "synthetic.csv");
        Assert.Equal("succeeded", synth["status"]!.GetValue<string>());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "synthetic.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("visit_id,age,spend,channel,visited_on", lines[0]);
        Assert.Equal(2001, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^[^,]+,\d+,\d+\.\d{2},(web|store|app),\d{1,2}/\d{1,2}/2024$", l));

        var refused = await RunAsync(key, "jobs", "create", "--kind", "train", "--dataset", dataset, "--param", "model=tvae", "--param", "epochs=0");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("epochs must be a whole number", refused.Error + refused.Output);
    }

    [Fact]
    public async Task Bad_dataset_commands_exit_with_invalid_input_and_say_why()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var missing = await RunAsync(key, "datasets", "upload", Path.Combine(_dir, "nope.csv"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no file", missing.Error);
        var noDataset = await RunAsync(key, "jobs", "create", "--kind", "analyze");
        Assert.Equal(2, noDataset.ExitCode);
        // The server says what the kind needs; the CLI sends what it was given.
        Assert.Contains("analyze jobs need a dataset_id", noDataset.Output + noDataset.Error);
        var rows = await RunAsync(key, "jobs", "create", "--kind", "analyze", "--dataset", "ds_aaaaaaaaaaaaaaaaaaaa", "--rows", "5");
        Assert.Equal(2, rows.ExitCode);
        var unknown = await RunAsync(key, "jobs", "create", "--kind", "analyze", "--dataset", "ds_aaaaaaaaaaaaaaaaaaaa");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("does not exist", unknown.Output + unknown.Error);
        var empty = Path.Combine(_dir, "empty.csv");
        await File.WriteAllTextAsync(empty, "", TestContext.Current.CancellationToken);
        var refused = await RunAsync(key, "datasets", "upload", empty);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the upload is empty", refused.Output + refused.Error);
    }
}

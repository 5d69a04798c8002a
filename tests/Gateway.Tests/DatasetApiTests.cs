using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RadMah.Measurement;

namespace RadMah.Gateway.Tests;

/// <summary>Uploads, analyze and mock-from-contract through real Kestrel on loopback (REST and gRPC).</summary>
public class DatasetApiTests(NodeFixture node)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    private static async Task<JsonObject> WaitTerminalAsync(HttpClient client, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var job = await ReadAsync(await client.GetAsync($"/v1/jobs/{jobId}"));
            if (job["status"]!.GetValue<string>() is "succeeded" or "failed" or "canceled") return job;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} did not finish");
            await Task.Delay(50);
        }
    }

    /// <summary>The profile.json a succeeded analyze job wrote.</summary>
    private static async Task<JsonNode> ProfileOfAsync(HttpClient client, string jobId)
    {
        var profileId = (await ReadAsync(await client.GetAsync($"/v1/jobs/{jobId}/artifacts")))["artifacts"]!.AsArray()
            .Single(a => a!["artifact_type"]!.GetValue<string>() == "profile.json")!["id"]!.GetValue<string>();
        return JsonNode.Parse(await client.GetStringAsync($"/v1/artifacts/{profileId}/content"))!;
    }

    /// <summary>Analyzes an upload and returns its profile, once the job has succeeded.</summary>
    private static async Task<JsonNode> AnalyzedProfileAsync(HttpClient client, JsonNode dataset)
    {
        var job = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$"""{"kind": "analyze", "dataset_id": "{{dataset["id"]}}"}""")));
        var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        return await ProfileOfAsync(client, job["id"]!.GetValue<string>());
    }

    private static byte[] OrdersCsv(int rows = 2000)
    {
        var sb = new StringBuilder("order_id,customer_id,amount,status,placed_at,zip\n");
        var random = new Random(5);
        for (var i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture, $"ORD-{i + 1:D6},CUS-{random.Next(1, 200):D4},\"{random.Next(1, 5000):N0}.{random.Next(0, 99):D2}\",{new[] { "new", "paid", "shipped" }[random.Next(3)]},2024-{random.Next(1, 13):D2}-{random.Next(1, 28):D2},{random.Next(10000, 99999)}\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, byte[] bytes, string name = "orders.csv", string? format = null)
    {
        var url = $"/v1/datasets?name={Uri.EscapeDataString(name)}" + (format is null ? "" : $"&format={format}");
        var response = await client.PostAsync(url, new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    [Fact]
    public async Task An_upload_is_a_dataset_of_the_account_with_its_digest_format_and_bytes()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var bytes = OrdersCsv();
        var dataset = await UploadAsync(client, bytes);
        foreach (var field in new[] { "id", "name", "format", "content_hash", "size_bytes", "artifact_id", "created_at" })
            Assert.True(dataset.ContainsKey(field), $"dataset JSON lacks '{field}': {dataset.ToJsonString()}");
        Assert.StartsWith("ds_", dataset["id"]!.GetValue<string>());
        Assert.Equal("csv", dataset["format"]!.GetValue<string>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), dataset["content_hash"]!.GetValue<string>());
        Assert.Equal(bytes.LongLength, dataset["size_bytes"]!.GetValue<long>());

        var listed = (await ReadAsync(await client.GetAsync("/v1/datasets")))["datasets"]!.AsArray();
        Assert.Equal(dataset["id"]!.GetValue<string>(), Assert.Single(listed)!["id"]!.GetValue<string>());
        var got = await ReadAsync(await client.GetAsync($"/v1/datasets/{dataset["id"]}"));
        Assert.Equal(dataset["content_hash"]!.GetValue<string>(), got["content_hash"]!.GetValue<string>());
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/v1/artifacts/{dataset["artifact_id"]}/content"));

        // Another account sees none of it.
        var (_, otherKey) = await node.NewAccountAsync();
        using var other = node.Rest(otherKey);
        Assert.Empty((await ReadAsync(await other.GetAsync("/v1/datasets")))["datasets"]?.AsArray() ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/datasets/{dataset["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/artifacts/{dataset["artifact_id"]}/content")).StatusCode);
    }

    [Fact]
    public async Task Analyze_profiles_the_upload_and_mock_makes_look_alike_rows_from_its_contract()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var dataset = await UploadAsync(client, OrdersCsv());
        var created = await client.PostAsync("/v1/jobs", Json($$"""{"kind": "analyze", "dataset_id": "{{dataset["id"]}}"}"""));
        var job = await ReadAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.OK, job.ToJsonString());
        var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        // Priced by bytes read: 1 credit per 100 MB.
        Assert.Equal(Math.Round(dataset["size_bytes"]!.GetValue<long>() / 100_000_000.0, 6), done["credits_charged"]!.GetValue<double>());

        var artifacts = (await ReadAsync(await client.GetAsync($"/v1/jobs/{job["id"]}/artifacts")))["artifacts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        // Each type is its file name; the kind's main result comes first, the evidence bundle last.
        Assert.Equal(["report.html", "profile.json", "contract.json", "evidence.dsse.json"], artifacts.Select(a => a["artifact_type"]!.GetValue<string>()));
        Assert.Equal(artifacts.Select(a => a["name"]!.GetValue<string>()), artifacts.Select(a => a["artifact_type"]!.GetValue<string>()));
        string Content(string type) => artifacts.Single(a => a["artifact_type"]!.GetValue<string>() == type)["id"]!.GetValue<string>();
        var profile = JsonNode.Parse(await client.GetStringAsync($"/v1/artifacts/{Content("profile.json")}/content"))!;
        Assert.Equal(2000, profile["table"]!["rows"]!.GetValue<long>());
        var types = profile["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["semantic_type"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string>
        {
            ["order_id"] = "identifier", ["customer_id"] = "identifier", ["amount"] = "decimal", ["status"] = "categorical", ["placed_at"] = "date", ["zip"] = "postal_code",
        }, types);
        var report = await client.GetStringAsync($"/v1/artifacts/{Content("report.html")}/content");
        Assert.Contains("<svg", report);
        Assert.Contains("order_id", report);

        var mock = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "mock", "rows": 500, "params": {"contract_job_id": "{{{job["id"]}}}"}}""")));
        var mocked = await WaitTerminalAsync(client, mock["id"]!.GetValue<string>());
        Assert.True(mocked["status"]!.GetValue<string>() == "succeeded", mocked.ToJsonString());
        var csvId = (await ReadAsync(await client.GetAsync($"/v1/jobs/{mock["id"]}/artifacts")))["artifacts"]!.AsArray()
            .Single(a => a!["name"]!.GetValue<string>() == "dataset.csv")!["id"]!.GetValue<string>();
        var lines = (await client.GetStringAsync($"/v1/artifacts/{csvId}/content")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order_id,customer_id,amount,status,placed_at,zip", lines[0]);
        Assert.Equal(501, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split(',')[3], new[] { "new", "paid", "shipped" }));

        // Rerun of the analyze job: same contract, same bytes.
        var rerun = await ReadAsync(await client.PostAsync($"/v1/jobs/{job["id"]}:rerun", null));
        Assert.Equal("succeeded", (await WaitTerminalAsync(client, rerun["id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        var rerunProfile = (await ReadAsync(await client.GetAsync($"/v1/jobs/{rerun["id"]}/artifacts")))["artifacts"]!.AsArray()
            .Single(a => a!["artifact_type"]!.GetValue<string>() == "profile.json")!["content_hash"]!.GetValue<string>();
        Assert.Equal(artifacts.Single(a => a["artifact_type"]!.GetValue<string>() == "profile.json")["content_hash"]!.GetValue<string>(), rerunProfile);
    }

    [Fact]
    public async Task A_json_array_of_objects_uploaded_as_it_is_becomes_a_json_dataset_that_analyze_profiles()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var sb = new StringBuilder("[\n");
        for (var i = 0; i < 300; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? ",\n" : "")}  {{\"Name\": \"car {i}\", \"Miles_per_Gallon\": {(i % 17 == 0 ? "null" : (10 + i % 30).ToString(CultureInfo.InvariantCulture))}, \"Cylinders\": {new[] { 4, 6, 8 }[i % 3]}, \"Origin\": \"{new[] { "USA", "Europe", "Japan" }[i % 3]}\"}}");
        sb.Append("\n]\n");
        var dataset = await UploadAsync(client, Encoding.UTF8.GetBytes(sb.ToString()), "cars.json");
        Assert.Equal("json", dataset["format"]!.GetValue<string>());

        var profile = await AnalyzedProfileAsync(client, dataset);
        Assert.Equal(300, profile["table"]!["rows"]!.GetValue<long>());
        var columns = profile["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["Name", "Miles_per_Gallon", "Cylinders", "Origin"], columns);
        var miles = profile["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "Miles_per_Gallon")!;
        Assert.Equal(18, miles["nulls"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_arff_upload_is_detected_profiled_with_its_types_and_refused_when_declared_as_csv()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var arff = new StringBuilder("% beans, as Weka writes a table\n@relation beans\n@attribute variety {arcadia, borlotti, 'cannellini blanc'}\n" +
            "@attribute length_mm numeric\n@attribute note string\n@data\n");
        for (var i = 0; i < 200; i++)
            arff.Append(CultureInfo.InvariantCulture, $"{new[] { "arcadia", "borlotti", "'cannellini blanc'" }[i % 3]},{10 + i % 40 / 4.0:F2},{(i % 10 == 0 ? "?" : $"'lot {i % 4}'")}\n");
        var bytes = Encoding.UTF8.GetBytes(arff.ToString());

        var declaredCsv = await client.PostAsync("/v1/datasets?name=beans.csv&format=csv", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.BadRequest, declaredCsv.StatusCode);
        Assert.Contains("the upload was declared csv but its content is arff.", (await ReadAsync(declaredCsv))["error"]!["message"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/datasets")))["datasets"]?.AsArray() ?? []);

        var dataset = await UploadAsync(client, bytes, "beans.arff");
        Assert.Equal("arff", dataset["format"]!.GetValue<string>());
        var profile = await AnalyzedProfileAsync(client, dataset);
        Assert.Equal(200, profile["table"]!["rows"]!.GetValue<long>());
        var columns = profile["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["variety", "length_mm", "note"], columns.Keys);
        Assert.Equal("categorical", columns["variety"]["semantic_type"]!.GetValue<string>());
        Assert.Equal("decimal", columns["length_mm"]["semantic_type"]!.GetValue<string>());
        Assert.Equal(20, columns["note"]["nulls"]!.GetValue<long>());
    }

    [Fact]
    public async Task Fit_fingerprints_a_sealed_jobs_rows_and_the_same_bytes_give_the_same_fit_digest()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        async Task<(JsonObject Job, List<JsonObject> Artifacts)> RunAsync(string body)
        {
            var response = await client.PostAsync("/v1/jobs", Json(body));
            var job = await ReadAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, job.ToJsonString());
            var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
            Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
            var artifacts = (await ReadAsync(await client.GetAsync($"/v1/jobs/{job["id"]}/artifacts")))["artifacts"]!.AsArray().Select(a => a!.AsObject()).ToList();
            return (done, artifacts);
        }
        static string Hash(List<JsonObject> artifacts, string type) => artifacts.Single(a => a["artifact_type"]!.GetValue<string>() == type)["content_hash"]!.GetValue<string>();

        var (mock, mockArtifacts) = await RunAsync("""{"rows": 20000, "description": "orders", "seed": 4}""");
        var (fit, fitArtifacts) = await RunAsync($$$"""{"kind": "fit", "params": {"job_id": "{{{mock["id"]}}}"}}""");
        var fitId = fitArtifacts.Single(a => a["artifact_type"]!.GetValue<string>() == "fit.json")["id"]!.GetValue<string>();
        var document = JsonNode.Parse(await client.GetStringAsync($"/v1/artifacts/{fitId}/content"))!;
        Assert.Equal("radmah.fit/1", document["fit_version"]!.GetValue<string>());
        Assert.Equal(Hash(mockArtifacts, "dataset.arrow"), document["input"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(20000, document["rows"]!.GetValue<long>());
        var amount = document["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "unit_price")!;
        Assert.Equal(101, amount["numeric"]!["percentiles"]!.AsArray().Count);
        Assert.NotEmpty(document["associations"]!.AsArray());
        // The fit job's seal and evidence name the sealed output it describes.
        var seal = await ReadAsync(await client.GetAsync($"/v1/seals/{fit["id"]}"));
        Assert.Contains(Hash(fitArtifacts, "fit.json"), seal["entry"]!.GetValue<string>());

        // The same bytes reached another way (the artifact itself, a rerun's identical output) and another seed: the same fit.
        var arrowId = mockArtifacts.Single(a => a["artifact_type"]!.GetValue<string>() == "dataset.arrow")["id"]!.GetValue<string>();
        var (_, again) = await RunAsync($$$"""{"kind": "fit", "seed": 99, "params": {"artifact_id": "{{{arrowId}}}"}}""");
        Assert.Equal(Hash(fitArtifacts, "fit.json"), Hash(again, "fit.json"));
        var rerun = await ReadAsync(await client.PostAsync($"/v1/jobs/{mock["id"]}:rerun", null));
        await WaitTerminalAsync(client, rerun["id"]!.GetValue<string>());
        var (_, ofRerun) = await RunAsync($$$"""{"kind": "fit", "params": {"job_id": "{{{rerun["id"]}}}"}}""");
        Assert.Equal(Hash(fitArtifacts, "fit.json"), Hash(ofRerun, "fit.json"));

        // One input only, and it must be a sealed table of this account.
        var both = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "fit", "dataset_id": "ds_aaaaaaaaaaaaaaaaaaaa", "params": {"job_id": "{{{mock["id"]}}}"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/jobs", Json("""{"kind": "fit"}"""))).StatusCode);
        var notTable = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "fit", "params": {"artifact_id": "{{{fitId}}}"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, notTable.StatusCode);
        Assert.Contains("not a table", (await ReadAsync(notTable))["error"]!["message"]!.GetValue<string>());
        var (_, otherKey) = await node.NewAccountAsync();
        using var other = node.Rest(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/v1/jobs", Json($$$"""{"kind": "fit", "params": {"job_id": "{{{mock["id"]}}}"}}"""))).StatusCode);
    }

    [Fact]
    public async Task Lift_turns_a_historian_export_into_a_worldstate_and_refuses_bad_options()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var csv = new StringBuilder("Timestamp,TagName,Value,Quality\n");
        for (var s = 0; s < 600; s++) csv.Append(CultureInfo.InvariantCulture, $"2024-01-15 08:{s / 60:D2}:{s % 60:D2},TIC-{100 + s % 3}.PV [degC],{20 + s % 7 * 0.5:F1},Good\n");
        var dataset = await UploadAsync(client, Encoding.UTF8.GetBytes(csv.ToString()), "historian.csv");
        var job = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "lift", "dataset_id": "{{{dataset["id"]}}}", "params": {"timezone": "America/New_York"}}""")));
        var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        var artifacts = (await ReadAsync(await client.GetAsync($"/v1/jobs/{job["id"]}/artifacts")))["artifacts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["worldstate.arrow", "manifest.json", "evidence.dsse.json"], artifacts.Select(a => a["artifact_type"]!.GetValue<string>()));
        var manifestId = artifacts.Single(a => a["artifact_type"]!.GetValue<string>() == "manifest.json")["id"]!.GetValue<string>();
        var manifest = JsonNode.Parse(await client.GetStringAsync($"/v1/artifacts/{manifestId}/content"))!;
        Assert.Equal("long", manifest["shape"]!.GetValue<string>());
        var series = manifest["entities"]![0]!["series"]!.AsArray();
        Assert.Equal(3, series.Count);
        Assert.All(series, s => Assert.Equal("°C", s!["unit"]!.GetValue<string>()));
        Assert.All(series, s => Assert.Equal(3.0, s!["sampling_seconds"]!.GetValue<double>()));
        // 08:00 in New York in January (UTC−5) is 13:00 UTC.
        Assert.Equal("2024-01-15T13:00:00.000000Z", series[0]!["first"]!.GetValue<string>());

        var bad = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "lift", "dataset_id": "{{{dataset["id"]}}}", "params": {"shape": "diagonal"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("shape must be auto, wide or long", (await ReadAsync(bad))["error"]!["message"]!.GetValue<string>());
        var zone = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "lift", "dataset_id": "{{{dataset["id"]}}}", "params": {"timezone": "Atlantis/Capital"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        var column = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "lift", "dataset_id": "{{{dataset["id"]}}}", "params": {"tag_column": "Tag"}}""")));
        var failed = await WaitTerminalAsync(client, column["id"]!.GetValue<string>());
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Contains("tag_column: the input has no column \"Tag\"", failed["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Analyze_with_compare_with_finds_foreign_keys_between_the_accounts_tables()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var customers = new StringBuilder("customer_id,segment\n");
        for (var i = 1; i <= 300; i++) customers.Append(CultureInfo.InvariantCulture, $"CUS-{i:D4},{(i % 3 == 0 ? "b2b" : "b2c")}\n");
        var customersSet = await UploadAsync(client, Encoding.UTF8.GetBytes(customers.ToString()), "customers.csv");
        var orders = await UploadAsync(client, OrdersCsv(), "orders.csv");
        var job = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "analyze", "dataset_id": "{{{orders["id"]}}}", "params": {"compare_with": "all"}}""")));
        var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        // Both files were read: priced on both.
        Assert.Equal(Math.Round((orders["size_bytes"]!.GetValue<long>() + customersSet["size_bytes"]!.GetValue<long>()) / 100_000_000.0, 6), done["credits_charged"]!.GetValue<double>());
        var keys = (await ProfileOfAsync(client, job["id"]!.GetValue<string>()))["table"]!["candidate_foreign_keys"]!.AsArray();
        var foreign = Assert.Single(keys)!;
        Assert.Equal(orders["id"]!.GetValue<string>(), foreign["dataset"]!.GetValue<string>());
        Assert.Equal("customer_id", foreign["column"]!.GetValue<string>());
        Assert.Equal(customersSet["id"]!.GetValue<string>(), foreign["references_dataset"]!.GetValue<string>());
        Assert.Equal("customer_id", foreign["references_column"]!.GetValue<string>());

        var self = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "analyze", "dataset_id": "{{{orders["id"]}}}", "params": {"compare_with": "{{{orders["id"]}}}"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        var (_, otherKey) = await node.NewAccountAsync();
        using var other = node.Rest(otherKey);
        var theirs = await UploadAsync(other, OrdersCsv(10));
        var foreignSet = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "analyze", "dataset_id": "{{{orders["id"]}}}", "params": {"compare_with": "{{{theirs["id"]}}}"}}"""));
        Assert.Equal(HttpStatusCode.NotFound, foreignSet.StatusCode);
        var onFit = await client.PostAsync("/v1/jobs", Json($$$"""{"kind": "fit", "dataset_id": "{{{orders["id"]}}}", "params": {"compare_with": "all"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, onFit.StatusCode);
    }

    [Fact]
    public async Task A_job_over_a_bad_file_fails_with_the_line_and_column_and_nothing_else_is_affected()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var dataset = await UploadAsync(client, Encoding.UTF8.GetBytes("a,b,c\n1,2,3\n4,5\n"), "ragged.csv");
        var job = await ReadAsync(await client.PostAsync("/v1/jobs", Json($$"""{"kind": "analyze", "dataset_id": "{{dataset["id"]}}"}""")));
        var done = await WaitTerminalAsync(client, job["id"]!.GetValue<string>());
        Assert.Equal("failed", done["status"]!.GetValue<string>());
        Assert.Equal("the dataset cannot be read: line 3, column 2 (\"b\"): the record ends after column 2; the header has 3 columns.", done["error"]!.GetValue<string>());
        Assert.Equal(0, done["credits_charged"]!.GetValue<double>());
        var account = await ReadAsync(await client.GetAsync("/v1/account"));
        Assert.Equal(100, account["balance"]!.GetValue<double>());
        Assert.Equal(0, account["held"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"kind": "analyze"}""", "dataset_id")]
    [InlineData("""{"kind": "analyze", "dataset_id": "not-a-dataset"}""", "dataset_id")]
    [InlineData("""{"kind": "analyze", "dataset_id": "ds_aaaaaaaaaaaaaaaaaaaa", "rows": 10}""", "rows")]
    [InlineData("""{"kind": "analyze", "dataset_id": "DATASET", "params": {"delimiter": "x"}}""", "params")]
    [InlineData("""{"kind": "analyze", "dataset_id": "DATASET", "params": {"colour": "red"}}""", "params")]
    [InlineData("""{"kind": "mock", "rows": 10, "description": "orders", "dataset_id": "DATASET"}""", "dataset_id")]
    [InlineData("""{"kind": "mock", "rows": 10, "params": {"contract_job_id": "job_nope"}}""", "params")]
    public async Task Bad_data_job_requests_are_refused_with_the_field_and_create_nothing(string body, string field)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var dataset = await UploadAsync(client, OrdersCsv(10));
        var response = await client.PostAsync("/v1/jobs", Json(body.Replace("DATASET", dataset["id"]!.GetValue<string>(), StringComparison.Ordinal)));
        var error = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, error.ToJsonString());
        Assert.Equal(field, error["error"]!["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]?.AsArray() ?? []);
        Assert.Equal(0, (await ReadAsync(await client.GetAsync("/v1/account")))["held"]!.GetValue<double>());
    }

    [Fact]
    public async Task Another_accounts_dataset_is_not_found_for_a_job()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var dataset = await UploadAsync(client, OrdersCsv(10));
        var (_, otherKey) = await node.NewAccountAsync();
        using var other = node.Rest(otherKey);
        var response = await other.PostAsync("/v1/jobs", Json($$"""{"kind": "analyze", "dataset_id": "{{dataset["id"]}}"}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(new byte[0], "orders.csv", null, "the upload is empty.")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x00, 0xFF, 0x13, 0x00, 0x7F, 0x00, 0x00 }, "blob.bin", null, "the file is not a supported format")]
    [InlineData(new byte[] { (byte)'a', (byte)',', (byte)'b', (byte)'\n' }, "x.csv", "parquet", "the upload was declared parquet but its content is csv.")]
    [InlineData(new byte[] { (byte)'a', (byte)',', (byte)'b', (byte)'\n' }, "x.csv", "xlsx", "'xlsx' is not a dataset format")]
    [InlineData(new byte[] { (byte)'[', (byte)'\n', (byte)' ', (byte)'[', (byte)'1', (byte)',', (byte)'2', (byte)']', (byte)']' }, "rows.json", null, "the file is a JSON array of arrays or values")]
    [InlineData(new byte[] { (byte)'[', (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)']' }, "rows.csv", "csv", "the upload was declared csv but its content is json.")]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)'\n' }, "rows.csv", "csv", "the upload was declared csv but its content is jsonl.")]
    [InlineData(new byte[] { (byte)'a', (byte)',', (byte)'b', (byte)'\n' }, "../x.csv", null, "is not a file name")]
    public async Task Bad_uploads_are_refused_and_leave_no_dataset(byte[] bytes, string name, string? format, string message)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var url = $"/v1/datasets?name={Uri.EscapeDataString(name)}" + (format is null ? "" : $"&format={format}");
        var response = await client.PostAsync(url, new ByteArrayContent(bytes));
        var error = await ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, error["error"]!["message"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/datasets")))["datasets"]?.AsArray() ?? []);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Rest(null).PostAsync("/v1/datasets", new ByteArrayContent([1, 2, 3]))).StatusCode);
    }

    /// <summary>Generates bytes on the fly: a CSV header, then the same row forever, up to a length.</summary>
    private sealed class GeneratedCsv(long length) : Stream
    {
        private static readonly byte[] Header = "id,value,label\n"u8.ToArray();
        private static readonly byte[] Row = "12345,678.90,some label text here\n"u8.ToArray();
        private long _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++, _position++)
                buffer[i] = _position < Header.Length ? Header[_position] : Row[(_position - Header.Length) % Row.Length];
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_one_gigabyte_upload_streams_through_without_the_memory_growing()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        client.Timeout = TimeSpan.FromMinutes(5);
        const long size = 1L << 30;
        using var memory = PeakWorkingSet.Start();
        var response = await client.PostAsync("/v1/datasets?name=big.csv", new StreamContent(new GeneratedCsv(size), 1 << 16));
        var peak = await memory.StopAsync();
        var dataset = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, dataset.ToJsonString());
        Assert.Equal(size, dataset["size_bytes"]!.GetValue<long>());
        // The client, the gateway and the silo share this process: a gigabyte held anywhere would show.
        Assert.True(peak - memory.Before < 200L * 1024 * 1024, $"working set grew by {(peak - memory.Before) / (1024 * 1024)} MB during a 1 GB upload");
    }

    [Fact]
    public async Task A_free_plan_upload_over_its_limit_gets_413_and_leaves_nothing()
    {
        var (_, key) = await node.NewAccountAsync(plan: "free");
        using var client = node.Rest(key);
        var response = await client.PostAsync("/v1/datasets?name=big.csv", new StreamContent(new GeneratedCsv(100_000_001), 1 << 16));
        var error = await ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the upload is larger than the free plan's limit of 100 MB.", error["error"]!["message"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/datasets")))["datasets"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task Uploads_stream_over_grpc_in_chunks()
    {
        var (_, key) = await node.NewAccountAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{node.GrpcPort}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
        var datasets = new V1.Datasets.DatasetsClient(channel.Intercept(metadata => { metadata.Add("x-api-key", key); return metadata; }));
        // About 2 MB: more than the gateway's 1 MB body limit for other calls.
        var bytes = OrdersCsv(40_000);
        Assert.True(bytes.Length > 1 << 20);
        using var call = datasets.UploadDataset();
        for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
        {
            var chunk = new V1.UploadDatasetRequest { Data = Google.Protobuf.ByteString.CopyFrom(bytes, offset, Math.Min(64 * 1024, bytes.Length - offset)) };
            if (offset == 0) chunk.Name = "orders.csv";
            await call.RequestStream.WriteAsync(chunk);
        }
        await call.RequestStream.CompleteAsync();
        var dataset = await call;
        Assert.Equal("csv", dataset.Format);
        Assert.Equal("orders.csv", dataset.Name);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), dataset.ContentHash);
        var listed = await datasets.ListDatasetsAsync(new V1.ListDatasetsRequest());
        Assert.Equal(dataset.Id, Assert.Single(listed.Datasets).Id);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await datasets.GetDatasetAsync(new V1.GetDatasetRequest { DatasetId = "ds_aaaaaaaaaaaaaaaaaaaa" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}

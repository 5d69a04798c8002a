using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Gateway.Tests;

/// <summary>The seed's flow over REST with a plain HttpClient against Kestrel on loopback, checking the exact JSON names.</summary>
public class RestApiTests(NodeFixture node)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    private static async Task<JsonObject> WaitTerminalAsync(HttpClient client, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await ReadAsync(await client.GetAsync($"/v1/jobs/{jobId}"));
            if (job["status"]!.GetValue<string>() is "succeeded" or "failed" or "canceled") return job;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} did not finish");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_seed_estimate_example_works_as_written()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var response = await client.PostAsync("/v1/client/estimate", Json("""{"rows": 1000000, "kind": "synthesize"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"estimated_credits":1,"training_tier":"GPU-S"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Seals_checkpoints_consistency_and_keys_with_exact_json_names()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var jobId = (await ReadAsync(await client.PostAsync("/v1/jobs", Json("""{"rows": 1000, "description": "orders"}"""))))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());

        var keys = (await ReadAsync(await client.GetAsync("/v1/keys")))["keys"]!.AsArray();
        var published = keys.Select(k => RadMah.Engine.Evidence.VerificationKey.FromPem(k!["public_key_pem"]!.GetValue<string>())).ToArray();
        Assert.All(keys, k => Assert.Equal("ecdsa-p256-sha256", k!["algorithm"]!.GetValue<string>()));
        Assert.Equal(keys.Select(k => k!["key_id"]!.GetValue<string>()), published.Select(k => k.KeyId));

        var response = await client.GetAsync($"/v1/seals/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var seal = JsonNode.Parse(text)!.AsObject();
        foreach (var field in new[] { "job_id", "leaf_index", "tree_size", "entry", "leaf_hash", "inclusion_proof", "checkpoint" })
            Assert.True(seal.ContainsKey(field), $"seal JSON lacks '{field}': {text}");
        // What the gateway serves is exactly what the offline verifier reads.
        var proof = RadMah.Engine.Transparency.SealProof.Parse(Encoding.UTF8.GetBytes(text));
        var checkpoint = RadMah.Engine.Transparency.Checkpoint.ParseVerified(proof.Checkpoint, published);
        Assert.True(RadMah.Engine.Transparency.MerkleTree.VerifyInclusion(proof.LeafHash, proof.LeafIndex, checkpoint.Size, proof.InclusionProof, checkpoint.RootHash));

        var current = await ReadAsync(await client.GetAsync("/v1/seals/checkpoint"));
        var size = current["tree_size"]!.GetValue<long>();
        Assert.True(size >= proof.TreeSize);
        Assert.StartsWith("radmah.dev/seals/", current["signed_note"]!.GetValue<string>());
        var consistency = await ReadAsync(await client.GetAsync($"/v1/seals/consistency?from={proof.TreeSize}&to={size}"));
        Assert.True(RadMah.Engine.Transparency.MerkleTree.VerifyConsistency(proof.TreeSize, size,
            consistency["proof"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToArray(),
            Convert.FromBase64String(consistency["from_root"]!.GetValue<string>()), Convert.FromBase64String(consistency["to_root"]!.GetValue<string>())));

        var bad = await client.GetAsync($"/v1/seals/consistency?from={size + 1}&to={size}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("from and to must satisfy", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/seals/not-a-job")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/seals/job_aaaaaaaaaaaaaaaaaaaa")).StatusCode);
        var (_, otherKey) = await node.NewAccountAsync();
        using var other = node.Rest(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/seals/{jobId}")).StatusCode);
    }

    [Fact]
    public async Task Create_wait_get_list_artifacts_download_and_rerun()
    {
        var (accountId, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var created = await client.PostAsync("/v1/jobs", Json("""{"rows": 100000, "description": "customer transaction records"}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var job = await ReadAsync(created);
        foreach (var field in new[] { "id", "kind", "status", "rows", "seed", "description", "contract_digest", "created_at", "queued_at", "credits_charged", "error", "warnings" })
            Assert.True(job.ContainsKey(field), $"job JSON lacks '{field}': {job.ToJsonString()}");
        Assert.Equal("mock", job["kind"]!.GetValue<string>());
        Assert.Equal(100000, job["rows"]!.GetValue<long>());
        Assert.Equal(42, job["seed"]!.GetValue<long>());
        var jobId = job["id"]!.GetValue<string>();

        var done = await WaitTerminalAsync(client, jobId);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal(0.1, done["credits_charged"]!.GetValue<double>());
        Assert.True(done.ContainsKey("started_at") && done.ContainsKey("finished_at"));

        var list = await ReadAsync(await client.GetAsync("/v1/jobs?limit=10"));
        Assert.Equal(jobId, list["jobs"]![0]!["id"]!.GetValue<string>());

        var artifacts = (await ReadAsync(await client.GetAsync($"/v1/jobs/{jobId}/artifacts")))["artifacts"]!.AsArray();
        Assert.Equal(["dataset.csv", "dataset.arrow", "contract.json", "evidence.dsse.json"], artifacts.Select(a => a!["artifact_type"]!.GetValue<string>()));
        var csv = artifacts.Single(a => a!["artifact_type"]!.GetValue<string>() == "dataset.csv")!.AsObject();
        foreach (var field in new[] { "id", "job_id", "artifact_type", "content_hash", "size_bytes", "media_type", "name" })
            Assert.True(csv.ContainsKey(field), $"artifact JSON lacks '{field}'");
        Assert.Equal(jobId, csv["job_id"]!.GetValue<string>());

        var content = await client.GetAsync($"/v1/artifacts/{csv["id"]}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        var bytes = await content.Content.ReadAsByteArrayAsync();
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(csv["content_hash"]!.GetValue<string>(), digest);
        Assert.Equal(digest, content.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal(csv["size_bytes"]!.GetValue<long>(), bytes.LongLength);

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/v1/artifacts/{csv["id"]}/content");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes.AsSpan(100, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        var rerun = await ReadAsync(await client.PostAsync($"/v1/jobs/{jobId}:rerun", null));
        Assert.Equal(jobId, rerun["rerun_of"]!.GetValue<string>());
        var rerunDone = await WaitTerminalAsync(client, rerun["id"]!.GetValue<string>());
        Assert.Equal("succeeded", rerunDone["status"]!.GetValue<string>());
        var rerunArtifacts = (await ReadAsync(await client.GetAsync($"/v1/jobs/{rerun["id"]}/artifacts")))["artifacts"]!.AsArray();
        // Same outputs, byte for byte; the evidence bundle is the rerun's own (its id and times).
        static IEnumerable<string> Outputs(JsonArray list) => list.Where(a => a!["artifact_type"]!.GetValue<string>() != "evidence.dsse.json").Select(a => a!["content_hash"]!.GetValue<string>());
        Assert.Equal(Outputs(artifacts), Outputs(rerunArtifacts));

        var account = await ReadAsync(await client.GetAsync("/v1/account"));
        Assert.Equal(accountId, account["id"]!.GetValue<string>());
        Assert.Equal(99.8, account["balance"]!.GetValue<double>(), 6);
        Assert.Equal(0, account["held"]!.GetValue<double>());
        Assert.Equal("pro", account["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task Small_interactive_jobs_go_to_the_interactive_tier()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var quick = await ReadAsync(await client.PostAsync("/v1/jobs", Json("""{"rows": 500, "description": "orders", "interactive": true}""")));
        Assert.Equal("radmah-interactive", quick["tier"]!.GetValue<string>());
        var big = await ReadAsync(await client.PostAsync("/v1/jobs", Json("""{"rows": 50000, "description": "orders", "interactive": true}""")));
        Assert.Equal("radmah-default", big["tier"]!.GetValue<string>());
        Assert.Equal("succeeded", (await WaitTerminalAsync(client, quick["id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_stops_a_running_job()
    {
        var (_, key) = await node.NewAccountAsync(credits: 1000m);
        using var client = node.Rest(key);
        var job = await ReadAsync(await client.PostAsync("/v1/jobs", Json("""{"rows": 300000000, "description": "orders", "seed": 3}""")));
        var id = job["id"]!.GetValue<string>();
        var canceled = await client.PostAsync($"/v1/jobs/{id}:cancel", null);
        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal("canceled", (await ReadAsync(canceled))["status"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync($"/v1/jobs/{id}/artifacts")))["artifacts"]?.AsArray() ?? []);
        var again = await client.PostAsync($"/v1/jobs/{id}:cancel", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("FAILED_PRECONDITION", (await ReadAsync(again))["error"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "missing X-API-Key")]
    [InlineData("sl_live_nonsense", "malformed API key")]
    [InlineData("bearer abc", "malformed API key")]
    public async Task Missing_or_malformed_keys_get_401_with_the_error_envelope(string? key, string reason)
    {
        using var client = node.Rest(key);
        var response = await client.GetAsync("/v1/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!;
        Assert.Equal(401, error["code"]!.GetValue<int>());
        Assert.Equal("UNAUTHENTICATED", error["status"]!.GetValue<string>());
        Assert.Contains(reason, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_and_revoked_keys_get_401()
    {
        using var unknown = node.Rest(Grains.Interfaces.Accounts.ApiKeys.Generate(test: false));
        var neverExisted = await unknown.GetAsync("/v1/account");
        Assert.Equal(HttpStatusCode.Unauthorized, neverExisted.StatusCode);

        var (accountId, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/account")).StatusCode);
        var keys = node.Grains.GetGrain<Grains.Interfaces.Accounts.IAccountKeysGrain>(accountId);
        await keys.RevokeAsync(Grains.Interfaces.Accounts.ApiKeys.KeyIdOf(Grains.Interfaces.Accounts.ApiKeys.Hash(key)));
        var revoked = await client.GetAsync("/v1/account");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        // The same answer for a revoked key as for one that never existed: the key's history stays private.
        Assert.Equal(await neverExisted.Content.ReadAsStringAsync(), await revoked.Content.ReadAsStringAsync());
        Assert.Contains("unknown or revoked API key", await revoked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_account_s_job_and_artifacts_are_404_like_missing_ones()
    {
        var (_, ownerKey) = await node.NewAccountAsync();
        var (_, otherKey) = await node.NewAccountAsync();
        using var owner = node.Rest(ownerKey);
        using var other = node.Rest(otherKey);
        var jobId = (await ReadAsync(await owner.PostAsync("/v1/jobs", Json("""{"rows": 10, "description": "orders"}"""))))["id"]!.GetValue<string>();
        await WaitTerminalAsync(owner, jobId);
        var artifactId = (await ReadAsync(await owner.GetAsync($"/v1/jobs/{jobId}/artifacts")))["artifacts"]![0]!["id"]!.GetValue<string>();

        var foreign = await other.GetAsync($"/v1/jobs/{jobId}");
        var missing = await other.GetAsync("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaa");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal((await foreign.Content.ReadAsStringAsync()).Replace(jobId, "ID"), (await missing.Content.ReadAsStringAsync()).Replace("job_aaaaaaaaaaaaaaaaaaaa", "ID"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/jobs/{jobId}:cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/jobs/{jobId}:rerun", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/jobs/{jobId}/artifacts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/artifacts/{artifactId}/content")).StatusCode);
        Assert.Empty((await ReadAsync(await other.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
    }

    public static TheoryData<string, string?> BadBodies() => new()
    {
        { """{"rows": 5,""", null },
        { """{"rows": "lots", "description": "orders"}""", null },
        { """{"rows": -5, "description": "orders"}""", "rows" },
        { """{"rows": 0, "description": "orders"}""", "rows" },
        { """{"rows": 10, "description": ""}""", "description" },
        { """{"rows": 10, "description": "orders", "kind": "bogus"}""", "kind" },
        { """{"kind": "fabricate", "description": "columns: id (uuid)", "params": {"backend": "oracle"}}""", "params" },
        { """{"kind": "simulate", "params": {"duration": "-1h"}}""", "params" },
        { """{"rows": 10, "description": "orders", "seed": -1}""", "seed" },
        { """{"rows": 10, "description": "orders", "params": {"x": "y"}}""", "params" },
        // A mistyped field is refused by name, not ignored (the job would silently get seed 42).
        { """{"rows": 10, "description": "orders", "sed": 7}""", "sed" },
        { """{"rows": 10, "description": "orders\u001b[2J"}""", "description" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_job_requests_get_400_with_details_and_create_nothing(string body, string? field)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var response = await client.PostAsync("/v1/jobs", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!.AsObject();
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        if (field is not null)
        {
            var violation = error["details"]!.AsArray().Single()!;
            Assert.Equal("type.googleapis.com/google.rpc.BadRequest", violation["@type"]!.GetValue<string>());
            Assert.Equal(field, violation["fieldViolations"]![0]!["field"]!.GetValue<string>());
        }
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
        Assert.Equal(100, (await ReadAsync(await client.GetAsync("/v1/account")))["available"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("/v1/jobs?limt=5", "limt")]
    [InlineData("/v1/jobs?limit=5&pagetoken=10", "pagetoken")]
    [InlineData("/v1/account?verbose=1", "verbose")]
    [InlineData("/v1/jobs/job_aaaaaaaaaaaaaaaaaaaa?job_id=x&x=1", "x")]
    public async Task Unknown_query_parameters_are_refused_by_name(string path, string field)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!;
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        Assert.Contains($"unknown query parameter '{field}'", error["message"]!.GetValue<string>());
        Assert.Equal(field, error["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Known_fields_and_query_parameters_still_work()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var created = await client.PostAsync("/v1/jobs", Json("""{"kind": "mock", "rows": 10, "description": "orders", "seed": 7, "dataset_id": "", "params": {}, "interactive": false}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(7, (await ReadAsync(created))["seed"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/jobs?limit=1&page_token=")).StatusCode);
        var estimate = await client.PostAsync("/v1/client/estimate", Json("""{"rows": 1000000, "kind": "synthesize", "verbose": true}"""));
        Assert.Equal(HttpStatusCode.BadRequest, estimate.StatusCode);
        Assert.Contains("unknown field 'verbose'", (await ReadAsync(estimate))["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/jobs/not-an-id", "job_id")]
    [InlineData("/v1/jobs/job_TOOSHORT", "job_id")]
    [InlineData("/v1/artifacts/whatever/content", null)]
    public async Task Ids_that_are_not_ids_get_400(string path, string? field)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!;
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        if (field is not null) Assert.Equal(field, error["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Insufficient_credits_are_refused_with_their_reason()
    {
        var (_, key) = await node.NewAccountAsync(credits: 0.01m);
        using var client = node.Rest(key);
        var response = await client.PostAsync("/v1/jobs", Json("""{"rows": 100000, "description": "orders"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!;
        Assert.Equal("FAILED_PRECONDITION", error["status"]!.GetValue<string>());
        Assert.Equal("INSUFFICIENT_CREDITS", error["details"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversized_bodies_are_refused()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var body = JsonSerializer.Serialize(new { rows = 10, description = new string('x', 2 * 1024 * 1024) });
        // Expect: 100-continue lets the server refuse before the body is sent, as careful clients do;
        // without it the client may still be writing when the server answers and closes.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = Json(body) };
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
    }

    /// <summary>A body with no Content-Length is cut off where it passes the route's limit: 413 in the envelope, not 400 or a reset.</summary>
    [Theory]
    [InlineData("POST", "/v1/jobs", 300 * 1024)]
    [InlineData("POST", "/v1/client/estimate", 300 * 1024)]
    [InlineData("GET", "/v1/account", 8 * 1024)]
    public async Task An_oversized_chunked_body_is_413_with_the_error_envelope(string method, string path, int size)
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var body = "{\"rows\": 10, \"description\": \"" + new string('x', size) + "\"}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ChunkedJson(body) };
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await ReadAsync(response))["error"]!;
        Assert.Equal(413, error["code"]!.GetValue<int>());
        Assert.Contains("over this route's limit", error["message"]!.GetValue<string>());
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
    }

    /// <summary>JSON sent without a length, so the server sees Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Going_over_the_free_plan_limit_gets_429_with_retry_after()
    {
        var (_, key) = await node.NewAccountAsync(plan: "free");
        using var client = node.Rest(key);
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.GetAsync("/v1/account")));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) <= 10);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("RESOURCE_EXHAUSTED", (await ReadAsync(limited[0]))["error"]!["status"]!.GetValue<string>());
    }
}

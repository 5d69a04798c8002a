using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using RadMah.Gateway.V1;

namespace RadMah.Gateway.Tests;

/// <summary>Idempotency-Key on POST /v1/jobs and on gRPC CreateJob (metadata).</summary>
public class IdempotencyKeyApiTests(NodeFixture node)
{
    private static async Task<HttpResponseMessage> CreateAsync(HttpClient client, string body, params string[] keys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var key in keys) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task A_create_sent_twice_with_one_key_returns_one_job_and_holds_once()
    {
        var (_, apiKey) = await node.NewAccountAsync(credits: 1m);
        using var client = node.Rest(apiKey);
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CreateAsync(client, """{"rows": 100000, "description": "orders"}""", key)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var ids = (await Task.WhenAll(responses.Select(ReadAsync))).Select(j => j["id"]!.GetValue<string>()).Distinct().ToList();
        Assert.Single(ids);
        var jobs = (await ReadAsync(await client.GetAsync("/v1/jobs?limit=100")))["jobs"]!.AsArray();
        Assert.Equal(ids, jobs.Select(j => j!["id"]!.GetValue<string>()));
        var account = await ReadAsync(await client.GetAsync("/v1/account"));
        // One job of 0.1 credits, held or already captured: either way 0.9 is left, never 0.8.
        Assert.Equal(0.9, account["available"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task A_key_reused_with_another_body_is_409_in_the_error_envelope()
    {
        var (_, apiKey) = await node.NewAccountAsync();
        using var client = node.Rest(apiKey);
        var key = Guid.NewGuid().ToString();
        var first = await ReadAsync(await CreateAsync(client, """{"rows": 1000, "description": "orders"}""", key));
        var refused = await CreateAsync(client, """{"rows": 2000, "description": "orders"}""", key);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var error = (await ReadAsync(refused))["error"]!;
        Assert.Equal("ALREADY_EXISTS", error["status"]!.GetValue<string>());
        Assert.Contains(first["id"]!.GetValue<string>(), error["message"]!.GetValue<string>());
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", error["details"]![0]!["reason"]!.GetValue<string>());
        Assert.Single((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
    }

    [Fact]
    public async Task A_malformed_or_repeated_key_header_is_refused_by_name_and_creates_nothing()
    {
        var (_, apiKey) = await node.NewAccountAsync();
        using var client = node.Rest(apiKey);
        foreach (var keys in new[] { new[] { new string('k', 256) }, ["two words"], ["one", "two"] })
        {
            var response = await CreateAsync(client, """{"rows": 1000, "description": "orders"}""", keys);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await ReadAsync(response))["error"]!;
            Assert.Equal("Idempotency-Key", error["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
        }
        Assert.Empty((await ReadAsync(await client.GetAsync("/v1/jobs")))["jobs"]!.AsArray());
    }

    [Fact]
    public async Task GRPC_CreateJob_takes_the_key_as_metadata_and_shares_it_with_REST()
    {
        var (_, apiKey) = await node.NewAccountAsync();
        var (jobs, _, channel) = node.Grpc(apiKey);
        using var _c = channel;
        var key = Guid.NewGuid().ToString();
        // A fresh Metadata per call: the test's channel adds the API key to it.
        Metadata Headers() => new() { { "idempotency-key", key } };
        var request = new CreateJobRequest { Rows = 1000, Description = "orders" };
        var one = await jobs.CreateJobAsync(request, Headers());
        var two = await jobs.CreateJobAsync(request, Headers());
        Assert.Equal(one.Id, two.Id);
        using var client = node.Rest(apiKey);
        var rest = await ReadAsync(await CreateAsync(client, """{"rows": 1000, "description": "orders"}""", key));
        Assert.Equal(one.Id, rest["id"]!.GetValue<string>());
        var conflict = await Assert.ThrowsAsync<RpcException>(() => jobs.CreateJobAsync(new CreateJobRequest { Rows = 5, Description = "orders" }, Headers()).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
    }
}

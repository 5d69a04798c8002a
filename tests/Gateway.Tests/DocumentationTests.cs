using System.Net;
using System.Text.Json.Nodes;

namespace RadMah.Gateway.Tests;

public class DocumentationTests(NodeFixture node)
{
    [Fact]
    public async Task The_OpenAPI_document_describes_every_REST_route_with_snake_case_fields()
    {
        using var client = node.Rest(null);
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;
        var paths = doc["paths"]!.AsObject();
        Assert.NotNull(paths["/v1/client/estimate"]!["post"]);
        Assert.NotNull(paths["/v1/jobs"]!["post"]);
        Assert.NotNull(paths["/v1/jobs"]!["get"]);
        Assert.NotNull(paths["/v1/jobs/{job_id}"]!["get"]);
        Assert.NotNull(paths["/v1/jobs/{job_id}:cancel"]!["post"]);
        Assert.NotNull(paths["/v1/jobs/{job_id}:rerun"]!["post"]);
        Assert.NotNull(paths["/v1/jobs/{job_id}/artifacts"]!["get"]);
        Assert.NotNull(paths["/v1/artifacts/{artifact_id}/content"]!["get"]);
        Assert.NotNull(paths["/v1/account"]!["get"]);
        var job = doc["components"]!["schemas"]!["Job"]!["properties"]!.AsObject();
        foreach (var field in new[] { "id", "kind", "status", "rows", "seed", "description", "contract_digest", "created_at", "queued_at", "started_at", "finished_at", "credits_charged", "error", "warnings" })
            Assert.True(job.ContainsKey(field), field);
        Assert.Equal("X-API-Key", doc["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
        var listParameters = paths["/v1/jobs"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(["limit", "page_token"], listParameters);
    }

    [Fact]
    public async Task A_browsable_page_and_a_health_endpoint_are_served()
    {
        using var client = node.Rest(null);
        var page = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", report["status"]!.GetValue<string>());
        Assert.Equal("healthy", report["checks"]!["cluster"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", report["checks"]!["storage"]!["status"]!.GetValue<string>());
    }
}

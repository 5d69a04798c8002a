using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RadMah.Gateway.Tests;

/// <summary>GET /v1/jobs/{job_id}:watch: the job's state and every change as server-sent events.</summary>
public class WatchEventsApiTests(NodeFixture node)
{
    private sealed record ServerEvent(string Name, string? Id, string Data);

    /// <summary>Reads the stream to its end, event by event (comment lines skipped), as an EventSource would.</summary>
    private static async Task<List<ServerEvent>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<ServerEvent>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), Encoding.UTF8);
        string? name = null, id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0) events.Add(new ServerEvent(name ?? "message", id, data.ToString()));
                (name, id) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
        }
        return events;
    }

    [Fact]
    public async Task Watching_a_job_streams_its_states_in_order_until_it_is_terminal_each_as_GET_returns_it()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var created = JsonNode.Parse(await (await client.PostAsync("/v1/jobs", new StringContent("""{"rows": 200000, "description": "orders"}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        var id = created["id"]!.GetValue<string>();

        using var response = await client.GetAsync($"/v1/jobs/{id}:watch", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = await ReadEventsAsync(response);

        Assert.All(events, e => Assert.Equal("job", e.Name));
        var jobs = events.Select(e => JsonNode.Parse(e.Data)!).ToList();
        var versions = events.Select(e => long.Parse(e.Id!)).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal("succeeded", jobs[^1]["status"]!.GetValue<string>());
        var statuses = jobs.Select(j => j["status"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(statuses.Where(s => s != "succeeded"), statuses.Take(statuses.Count - 1));
        // The last event is the job exactly as GET answers once it is finished: same names, same numbers.
        var finished = JsonNode.Parse(await client.GetStringAsync($"/v1/jobs/{id}", TestContext.Current.CancellationToken));
        Assert.True(JsonNode.DeepEquals(finished, jobs[^1]), $"GET: {finished}\nwatch: {jobs[^1]}");
    }

    [Fact]
    public async Task Watching_a_finished_job_sends_its_state_once_and_ends()
    {
        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var id = JsonNode.Parse(await (await client.PostAsync("/v1/jobs", new StringContent("""{"rows": 10, "description": "orders"}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using (var first = await client.GetAsync($"/v1/jobs/{id}:watch", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken))
            Assert.Equal("succeeded", JsonNode.Parse((await ReadEventsAsync(first))[^1].Data)!["status"]!.GetValue<string>());
        using var again = await client.GetAsync($"/v1/jobs/{id}:watch", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var events = await ReadEventsAsync(again);
        Assert.Equal("succeeded", JsonNode.Parse(Assert.Single(events).Data)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watching_is_refused_without_a_key_for_another_accounts_job_and_with_unknown_parameters()
    {
        var (_, owner) = await node.NewAccountAsync();
        var (_, stranger) = await node.NewAccountAsync();
        using var ownerClient = node.Rest(owner);
        var id = JsonNode.Parse(await (await ownerClient.PostAsync("/v1/jobs", new StringContent("""{"rows": 10, "description": "orders"}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        using var anonymous = node.Rest(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/jobs/{id}:watch")).StatusCode);
        using var strangerClient = node.Rest(stranger);
        var hidden = await strangerClient.GetAsync($"/v1/jobs/{id}:watch");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("NOT_FOUND", JsonNode.Parse(await hidden.Content.ReadAsStringAsync())!["error"]!["status"]!.GetValue<string>());
        var malformed = await ownerClient.GetAsync("/v1/jobs/nope:watch");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var unknown = await ownerClient.GetAsync($"/v1/jobs/{id}:watch?since=3");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("since", await unknown.Content.ReadAsStringAsync());
    }
}

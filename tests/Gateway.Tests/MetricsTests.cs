using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RadMah.Gateway.Tests;

/// <summary>/metrics in Prometheus text format, with the platform's job, queue and credit metrics.</summary>
public partial class MetricsTests(NodeFixture node)
{
    [GeneratedRegex("""^radmah_jobs_total\{[^}]*status="succeeded"[^}]*tier="radmah-default"[^}]*\} (?<value>[0-9.e+]+)""", RegexOptions.Multiline)]
    private static partial Regex SucceededDefaultMock();

    [GeneratedRegex("""^radmah_credits_captured_total\{[^}]*tier="radmah-default"[^}]*\} (?<value>[0-9.e+-]+)""", RegexOptions.Multiline)]
    private static partial Regex CreditsCaptured();

    private static double Read(Regex pattern, string text) =>
        pattern.Match(text) is { Success: true } m ? double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture) : 0;

    [Fact]
    public async Task A_succeeded_job_shows_in_the_job_credit_and_duration_metrics()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = node.Rest(null);
        var before = await anonymous.GetStringAsync("/metrics", ct);

        var (_, key) = await node.NewAccountAsync();
        using var client = node.Rest(key);
        var created = await client.PostAsJsonAsync("/v1/jobs", new { rows = 1_000_000, description = "orders", seed = 4 }, ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(ct))!["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (JsonNode.Parse(await client.GetStringAsync($"/v1/jobs/{id}", ct))!["status"]!.GetValue<string>() != "succeeded")
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not succeed within a minute");
            await Task.Delay(100, ct);
        }

        // The exporter caches a scrape briefly; ask until the new figures show.
        string after;
        deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(400, ct);
            after = await anonymous.GetStringAsync("/metrics", ct);
        }
        while (Read(SucceededDefaultMock(), after) <= Read(SucceededDefaultMock(), before) && DateTime.UtcNow < deadline);

        Assert.True(Read(SucceededDefaultMock(), after) >= Read(SucceededDefaultMock(), before) + 1, after);
        // One million rows cost one credit.
        Assert.True(Read(CreditsCaptured(), after) >= Read(CreditsCaptured(), before) + 1, after);
        Assert.Matches("""radmah_job_duration_seconds_bucket\{[^}]*status="succeeded"[^}]*tier="radmah-default""", after);
        Assert.Matches("""radmah_queue_depth\{[^}]*state="waiting"[^}]*tier="radmah-default"[^}]*\} [0-9]+""", after);
        Assert.Matches("""radmah_compute_waiting\{[^}]*tier="radmah-interactive"[^}]*\} 0""", after);
        Assert.Contains("radmah_jobs_total{", after);
    }
}

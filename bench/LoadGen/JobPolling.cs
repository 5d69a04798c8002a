using System.Text.Json;

namespace RadMah.LoadGen;

/// <summary>How the load generators wait for a job over REST, as a client without Watch would.</summary>
public static class JobPolling
{
    /// <summary>GETs the job every <paramref name="pause"/> until it has succeeded; a job that failed or was canceled fails the run.</summary>
    public static async Task WaitUntilSucceededAsync(HttpClient client, string jobId, TimeSpan pause)
    {
        while (true)
        {
            using var response = await client.GetAsync($"/v1/jobs/{jobId}");
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /v1/jobs/{jobId}: {(int)response.StatusCode} {body}");
            using var doc = JsonDocument.Parse(body);
            var status = doc.RootElement.GetProperty("status").GetString();
            if (status == "succeeded") return;
            if (status is "failed" or "canceled") throw new InvalidOperationException($"job {jobId} {status}: {body}");
            await Task.Delay(pause);
        }
    }
}

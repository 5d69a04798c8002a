using System.Text.Json;

namespace RadMah.LoadGen;

/// <summary>How the load generators wait for a job over REST: following its event stream, or polling as a client without one would.</summary>
public static class JobPolling
{
    /// <summary>
    /// Follows GET /v1/jobs/{id}:watch (server-sent events: the job now, then each change; what the SDKs' streaming wait reads)
    /// until the job has succeeded; a job that failed or was canceled, or a stream that ends first, fails the run.
    /// </summary>
    public static async Task WaitByWatchAsync(HttpClient client, string jobId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{jobId}:watch");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /v1/jobs/{jobId}:watch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? status = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: error", StringComparison.Ordinal)) throw new InvalidOperationException($"the watch of {jobId} broke: {await reader.ReadLineAsync()}");
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line.AsMemory(5));
            status = doc.RootElement.GetProperty("status").GetString();
            if (status == "succeeded") return;
            if (status is "failed" or "canceled") throw new InvalidOperationException($"job {jobId} {status}: {line}");
        }
        throw new InvalidOperationException($"the watch of {jobId} ended with the job {status ?? "not seen"}.");
    }

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

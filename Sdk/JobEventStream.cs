using System.Text;
using System.Text.Json;

namespace RadMah.Sdk;

/// <summary>
/// GET /v1/jobs/{job_id}:watch read as server-sent events: each "job" event is the job as GET
/// returns it. The server sends a comment at least every 15 s, so a stream silent for
/// <see cref="Silence"/> is taken for lost.
/// </summary>
internal sealed class JobEventStream : IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(45);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private JobEventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<JobEventStream> OpenAsync(ApiConnection api, string jobId, CancellationToken cancellationToken)
    {
        var response = await api.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(jobId)}:watch");
            request.Headers.Accept.Clear();
            request.Headers.Accept.ParseAdd("text/event-stream");
            return request;
        }, Resend.Safe, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            response.Dispose();
            throw new HttpRequestException("the server answered the watch with something other than an event stream.");
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new JobEventStream(response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next job state, or null when the stream ended (or said it failed) before another came.</summary>
    public async Task<JobData?> NextAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            silence.CancelAfter(Silence);
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(silence.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (name == "error") return null;
                if (data.Length > 0 && name is null or "job") return JsonSerializer.Deserialize<JobData>(data.ToString(), ApiConnection.Json);
                (name, data) = (null, new StringBuilder());
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line.AsSpan(5).TrimStart(' '));
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}

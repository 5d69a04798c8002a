using System.Collections.Concurrent;
using System.Net;

namespace RadMah.Sdk.Tests;

/// <summary>The SDK's retries (idempotency key reused, Retry-After honoured) and its watch (event stream, polling fallback).</summary>
public class RetryAndWatchTests(NodeFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Passes requests to the real gateway, records them, and lets a test alter an answer.</summary>
    private sealed class Recorder(Func<HttpRequestMessage, HttpResponseMessage, int, HttpResponseMessage>? alter = null) : DelegatingHandler(new SocketsHttpHandler())
    {
        public ConcurrentQueue<(HttpMethod Method, string Path, string? IdempotencyKey, HttpStatusCode Status)> Seen { get; } = new();
        private int _count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var n = Interlocked.Increment(ref _count);
            if (alter is not null) response = alter(request, response, n);
            Seen.Enqueue((request.Method, request.RequestUri!.AbsolutePath, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null, response.StatusCode));
            return response;
        }
    }

    private async Task<RadMahClient> ClientAsync(Recorder recorder, string plan = "pro", int maxRetries = 3, decimal credits = 100m)
    {
        var (_, key) = await fixture.Node.NewAccountAsync(plan, credits);
        return new RadMahClient(apiKey: key, baseUrl: fixture.Node.RestBase.ToString(), httpClient: new HttpClient(recorder), maxRetries: maxRetries);
    }

    private static HttpResponseMessage Unavailable() => new(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(1)) } };

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_sent_again_with_its_key_and_makes_one_job()
    {
        // The gateway creates the job, but its answer is lost on the way (a proxy answers 503 instead).
        var recorder = new Recorder((request, response, n) => request.Method == HttpMethod.Post && n == 1 ? Unavailable() : response);
        using var client = await ClientAsync(recorder);
        var job = await client.Jobs.CreateAsync(rows: 1_000, description: "orders", cancellationToken: Ct);

        var creates = recorder.Seen.Where(s => s.Method == HttpMethod.Post).ToList();
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], creates.Select(c => c.Status));
        Assert.NotNull(creates[0].IdempotencyKey);
        Assert.Equal(creates[0].IdempotencyKey, creates[1].IdempotencyKey);
        var jobs = await client.Jobs.ListAsync(limit: 10, Ct);
        Assert.Equal([job.Id], jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Each_create_gets_its_own_key_and_a_key_reused_for_another_request_is_a_conflict()
    {
        var recorder = new Recorder();
        using var client = await ClientAsync(recorder);
        await client.Jobs.CreateAsync(rows: 10, description: "orders", cancellationToken: Ct);
        await client.Jobs.CreateAsync(rows: 10, description: "orders", cancellationToken: Ct);
        Assert.Equal(2, recorder.Seen.Where(s => s.Method == HttpMethod.Post).Select(s => s.IdempotencyKey).Distinct().Count());

        var request = new JobRequest { Rows = 10, Description = "orders", IdempotencyKey = "nightly-2026-12-06" };
        var first = await client.Jobs.CreateAsync(request, Ct);
        Assert.Equal(first.Id, (await client.Jobs.CreateAsync(request, Ct)).Id);
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => client.Jobs.CreateAsync(request with { Rows = 11 }, Ct));
        Assert.Equal(409, conflict.HttpStatus);
        Assert.Contains(first.Id, conflict.Message);
    }

    [Fact]
    public async Task Rate_limited_calls_wait_for_Retry_After_and_succeed_and_without_retries_say_how_long_to_wait()
    {
        var recorder = new Recorder();
        using var client = await ClientAsync(recorder, plan: "free");
        // The free plan allows bursts of 10 a second: 25 at once must meet 429s, and every call still succeeds.
        var accounts = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.GetAccountAsync(Ct)));
        Assert.Equal(25, accounts.Length);
        Assert.Contains(recorder.Seen, s => s.Status == HttpStatusCode.TooManyRequests);

        var strict = new Recorder();
        using var once = await ClientAsync(strict, plan: "free", maxRetries: 0);
        var refused = await Record.ExceptionAsync(() => Task.WhenAll(Enumerable.Range(0, 25).Select(_ => once.GetAccountAsync(Ct))));
        var limited = Assert.IsType<RateLimitedException>(refused);
        Assert.True(limited.RetryAfter >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_rerun_refused_with_503_is_not_sent_again()
    {
        var recorder = new Recorder((request, response, n) => request.RequestUri!.AbsolutePath.EndsWith(":rerun", StringComparison.Ordinal) ? Unavailable() : response);
        using var client = await ClientAsync(recorder);
        var job = await client.Jobs.CreateAsync(rows: 10, description: "orders", cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<RadMahApiException>(() => client.Jobs.RerunAsync(job.Id, Ct));
        Assert.Equal(503, refused.HttpStatus);
        Assert.Single(recorder.Seen, s => s.Path.EndsWith(":rerun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watching_follows_the_event_stream_to_the_end_without_polling()
    {
        var recorder = new Recorder();
        using var client = await ClientAsync(recorder);
        var job = await client.Jobs.CreateAsync(rows: 300_000, description: "orders", cancellationToken: Ct);
        var statuses = new List<string>();
        await foreach (var seen in job.WatchAsync(cancellationToken: Ct)) statuses.Add(seen.Status);
        Assert.Equal("succeeded", statuses[^1]);
        Assert.Equal("succeeded", job.Status);
        Assert.Single(recorder.Seen, s => s.Path.EndsWith(":watch", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Seen, s => s.Method == HttpMethod.Get && s.Path == $"/v1/jobs/{job.Id}");
    }

    [Fact]
    public async Task Watching_falls_back_to_polling_where_the_server_has_no_stream()
    {
        var recorder = new Recorder((request, response, n) => request.RequestUri!.AbsolutePath.EndsWith(":watch", StringComparison.Ordinal) ? new HttpResponseMessage(HttpStatusCode.NotFound) : response);
        using var client = await ClientAsync(recorder);
        var job = await client.Jobs.CreateAsync(rows: 1_000, description: "orders", cancellationToken: Ct);
        await job.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct, stream: true);
        Assert.Equal("succeeded", job.Status);
        Assert.Contains(recorder.Seen, s => s.Method == HttpMethod.Get && s.Path == $"/v1/jobs/{job.Id}");
    }

    [Fact]
    public async Task A_streamed_wait_past_its_timeout_throws_TimeoutException()
    {
        using var client = await ClientAsync(new Recorder(), credits: 1000m);
        var job = await client.Jobs.CreateAsync(rows: 300_000_000, description: "orders", cancellationToken: Ct);
        await Assert.ThrowsAsync<TimeoutException>(() => job.WaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken: Ct, stream: true));
        Assert.False(job.IsTerminal);
        await client.Jobs.CancelAsync(job.Id, Ct);
    }
}
